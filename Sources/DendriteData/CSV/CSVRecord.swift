/// One row of a CSV file as ``CSVParser`` found it: where each field's bytes lie in the
/// buffer it parsed, without copying them. A quoted field's range is its content, inside
/// the quotes; when that content holds `""` pairs, ``bytes(ofField:in:)`` undoes them.
///
///     // In `1,"a ""b""",3`: field 1 is bytes 3..<12, written with escaped quotes.
///     record.text(ofField: 1, in: buffer)   // "a \"b\""
struct CSVRecord {
  /// A field written in double quotes.
  struct QuotedField {
    /// Its position in the record, from 0.
    var field: Int
    /// The line its opening quote is on, and the line its closing quote is on.
    var line: Int
    var lineAfter: Int
    /// Whether its content holds `""` for a quote.
    var escaped: Bool
  }

  /// The line the record starts on, from 1.
  var line = 1
  /// Each field's bytes: `starts[i]..<ends[i]` in the parsed buffer.
  var starts: [Int] = []
  var ends: [Int] = []
  /// The fields written in quotes, in order (usually none).
  var quoted: [QuotedField] = []

  /// The number of fields.
  var count: Int { starts.count }

  /// Empties the record for the one starting on `line`, keeping its storage.
  mutating func reset(line: Int) {
    self.line = line
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    if !quoted.isEmpty { quoted.removeAll(keepingCapacity: true) }
  }

  /// Whether `field` is quoted content with `""` pairs to undo.
  func isEscaped(_ field: Int) -> Bool {
    quoted.contains { $0.field == field && $0.escaped }
  }

  /// The line `field` starts on (a quoted field before it may span lines).
  func line(ofField field: Int) -> Int {
    var line = self.line
    for quotedField in quoted {
      if quotedField.field == field { return quotedField.line }
      if quotedField.field > field { break }
      line = quotedField.lineAfter
    }
    return line
  }

  /// The field's bytes with each `""` made one quote.
  func bytes(ofField field: Int, in buffer: [UInt8]) -> [UInt8] {
    let range = starts[field]..<ends[field]
    guard isEscaped(field) else { return Array(buffer[range]) }
    var unescaped: [UInt8] = []
    unescaped.reserveCapacity(range.count)
    var index = range.lowerBound
    while index < range.upperBound {
      unescaped.append(buffer[index])
      index += buffer[index] == UInt8(ascii: "\"") ? 2 : 1
    }
    return unescaped
  }

  /// The field's text (unquoted; invalid UTF-8 becomes U+FFFD).
  func text(ofField field: Int, in buffer: [UInt8]) -> String {
    if !isEscaped(field) { return String(decoding: buffer[starts[field]..<ends[field]], as: UTF8.self) }
    return String(decoding: bytes(ofField: field, in: buffer), as: UTF8.self)
  }

  /// Every field's text.
  func texts(in buffer: [UInt8]) -> [String] {
    (0..<count).map { text(ofField: $0, in: buffer) }
  }

  /// The record with its own copy of the bytes it spans, so the buffer may be reused.
  func detached(from buffer: [UInt8]) -> (record: CSVRecord, bytes: [UInt8]) {
    guard let first = starts.first, let last = ends.last else { return (self, []) }
    var copy = self
    copy.starts = starts.map { $0 - first }
    copy.ends = ends.map { $0 - first }
    return (copy, Array(buffer[first..<last]))
  }
}
