/// The character that separates a CSV file's fields: `,` (the default), `;` (spreadsheets
/// in locales whose decimal mark is a comma), a tab, or `|`.
///
/// When none is given, ``detect(in:)`` picks the one that occurs most often in the first
/// line outside quotes (a comma when none occurs), and the command line reports it.
///
///     CSVDelimiter.detect(in: Array("a;b;label\n1;2;0\n".utf8))   // .semicolon
///     CSVDelimiter(name: "tab")                                   // .tab
public enum CSVDelimiter: String, Sendable, CaseIterable {
  /// `,`.
  case comma = ","
  /// `;`.
  case semicolon = ";"
  /// A tab, named `tab` on the command line.
  case tab = "\t"
  /// `|`.
  case pipe = "|"

  /// The delimiter with this command-line name (`,` `;` `tab` `|`, also `comma`,
  /// `semicolon`, `pipe`), or nil.
  public init?(name: String) {
    switch name {
    case ",", "comma": self = .comma
    case ";", "semicolon": self = .semicolon
    case "tab", "\t", "\\t": self = .tab
    case "|", "pipe": self = .pipe
    default: return nil
    }
  }

  /// The command-line name: `,` `;` `tab` `|`.
  public var name: String { self == .tab ? "tab" : rawValue }

  /// The byte it is.
  var byte: UInt8 { UInt8(ascii: rawValue.unicodeScalars.first ?? ",") }

  /// The delimiter that occurs most often in the first non-empty line of `bytes`, outside
  /// double quotes; a comma when none does (a file of one column) or on a tie with it.
  public static func detect(in bytes: [UInt8]) -> CSVDelimiter {
    var counts = [UInt8: Int]()
    var inQuotes = false
    var seenContent = false
    for byte in bytes.prefix(65_536) {
      if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
      if !inQuotes && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) {
        if seenContent { break } else { continue }
      }
      seenContent = true
      if !inQuotes { counts[byte, default: 0] += 1 }
    }
    var best = CSVDelimiter.comma
    for candidate in allCases where (counts[candidate.byte] ?? 0) > (counts[best.byte] ?? 0) { best = candidate }
    return best
  }
}
