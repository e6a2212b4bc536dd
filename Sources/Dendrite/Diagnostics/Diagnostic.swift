/// One finding of the ``Advisor``: how serious it is, a stable code, and a one-line message
/// that gives the reason (from the study) and the fix.
///
///     let diagnostic = Diagnostic(.warning, code: "sigmoid-mse", message: "…; use sigmoid-cross-entropy on the logits")
///     print(diagnostic)   // warning: …; use sigmoid-cross-entropy on the logits [sigmoid-mse]
///
/// The codes are part of the contract (tests, the lab and scripts match on them); the
/// messages may be reworded.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
  /// How serious a finding is.
  public enum Severity: String, Sendable, Equatable, CaseIterable {
    /// Training works but worse than it could: slower learning, a weaker model.
    case warning
    /// The configuration cannot learn: the loss is constant or meaningless, or a class has
    /// no output. `dendrite train` stops before training.
    case error
  }

  /// How serious the finding is.
  public var severity: Severity
  /// A stable, kebab-case identifier (`sigmoid-mse`, `double-softmax`, …).
  public var code: String
  /// One line: what is wrong, why (the study's reasoning) and what to do instead.
  public var message: String

  /// Creates a diagnostic.
  public init(_ severity: Severity, code: String, message: String) {
    self.severity = severity
    self.code = code
    self.message = message
  }

  /// `warning: <message> [<code>]` or `error: <message> [<code>]`.
  public var description: String { "\(severity.rawValue): \(message) [\(code)]" }
}
