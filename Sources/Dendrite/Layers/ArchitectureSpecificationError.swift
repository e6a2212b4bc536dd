/// Why a text is not an ``ArchitectureSpecification``, or why a specification does not fit
/// the data's shape; the message says where the problem is and what to write instead.
///
///     do { _ = try ArchitectureSpecification(parsing: "conv(32)") }
///     catch { print(error) }   // conv needs (filters, kernel), got "conv(32)"
public struct ArchitectureSpecificationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The whole message, one line.
  ///
  ///     ArchitectureSpecificationError("the specification is empty").description   // "the specification is empty"
  public let description: String

  /// Creates an error with its message.
  ///
  ///     ArchitectureSpecificationError("the specification is empty")
  public init(_ description: String) { self.description = description }

  /// A syntax error: what was expected at a character position (from 1) and what was there.
  static func syntax(at position: Int, expected: String, found: String) -> ArchitectureSpecificationError {
    ArchitectureSpecificationError("at character \(position): expected \(expected), got \(found)")
  }

  /// A layer written with arguments it cannot take.
  static func arguments(_ usage: String, got text: String, problem: String? = nil) -> ArchitectureSpecificationError {
    ArchitectureSpecificationError(usage + ", got \"\(text)\"" + (problem.map { " (\($0))" } ?? ""))
  }

  /// A layer whose input is not what it takes.
  static func misfit(_ layer: String, _ problem: String) -> ArchitectureSpecificationError {
    ArchitectureSpecificationError("\(layer) \(problem)")
  }
}
