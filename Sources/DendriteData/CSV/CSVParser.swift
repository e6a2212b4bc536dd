/// Splits CSV bytes into records of text fields, as RFC 4180 describes them (with a
/// ``CSVDelimiter`` other than the comma when asked).
///
///     var parser = CSVParser(bytes: Array("a,\"b,\"\"c\"\"\"\r\n1,2\n".utf8), file: "x.csv")
///     while let record = try parser.next() { print(record.line, record.fields) }
///     // 1 ["a", "b,\"c\""]
///     // 2 ["1", "2"]
///
/// - An optional UTF-8 byte-order mark is skipped.
/// - Lines end with LF, CRLF, or a lone CR.
/// - A field in double quotes may hold commas, line ends, and `""` for one quote. A quote
///   inside an unquoted field is kept as text.
/// - Empty lines are skipped (a file's final line end makes no empty record).
///
/// The parser knows nothing about numbers: ``CSVTable`` validates the cells.
struct CSVParser {
  /// One row of the file.
  struct Record {
    /// The line the record starts on, from 1.
    var line: Int
    /// The fields, unquoted.
    var fields: [String]
    /// The line each field starts on (a quoted field may span lines).
    var fieldLines: [Int]
  }

  private let bytes: [UInt8]
  private let file: String
  /// The field separator (a comma unless told otherwise).
  let delimiter: UInt8
  private var index: Int
  private var line = 1

  /// A parser over `bytes`; `file` names the source in errors.
  init(bytes: [UInt8], file: String, delimiter: CSVDelimiter = .comma) {
    self.bytes = bytes
    self.file = file
    self.delimiter = delimiter.byte
    self.index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
  }

  /// The next non-empty record, or nil at the end of the input.
  ///
  /// - Throws: ``DataError/unterminatedQuote(file:line:column:)`` or
  ///   ``DataError/malformedQuote(file:line:column:)``.
  mutating func next() throws(DataError) -> Record? {
    while index < bytes.count, isLineEnd(bytes[index]) { consumeLineEnd() }
    guard index < bytes.count else { return nil }
    var record = Record(line: line, fields: [], fieldLines: [])
    while true {
      record.fieldLines.append(line)
      let column = record.fields.count + 1
      if index < bytes.count, bytes[index] == Byte.quote {
        record.fields.append(try quotedField(column: column))
      } else {
        record.fields.append(unquotedField())
      }
      guard index < bytes.count else { return record }
      if bytes[index] == delimiter {
        index += 1
      } else {
        consumeLineEnd()
        return record
      }
    }
  }

  private mutating func unquotedField() -> String {
    let start = index
    while index < bytes.count, bytes[index] != delimiter, !isLineEnd(bytes[index]) { index += 1 }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  private mutating func quotedField(column: Int) throws(DataError) -> String {
    let startLine = line
    index += 1
    var text: [UInt8] = []
    while true {
      guard index < bytes.count else { throw DataError.unterminatedQuote(file: file, line: startLine, column: column) }
      let byte = bytes[index]
      if byte == Byte.quote {
        if index + 1 < bytes.count, bytes[index + 1] == Byte.quote {
          text.append(Byte.quote)
          index += 2
          continue
        }
        index += 1
        break
      }
      if byte == Byte.lineFeed || (byte == Byte.carriageReturn && !(index + 1 < bytes.count && bytes[index + 1] == Byte.lineFeed)) {
        line += 1
      }
      text.append(byte)
      index += 1
    }
    if index < bytes.count, bytes[index] != delimiter, !isLineEnd(bytes[index]) {
      throw DataError.malformedQuote(file: file, line: line, column: column)
    }
    return String(decoding: text, as: UTF8.self)
  }

  private func isLineEnd(_ byte: UInt8) -> Bool { byte == Byte.lineFeed || byte == Byte.carriageReturn }

  /// Steps over one LF, CRLF or lone CR.
  private mutating func consumeLineEnd() {
    if bytes[index] == Byte.carriageReturn, index + 1 < bytes.count, bytes[index + 1] == Byte.lineFeed { index += 1 }
    index += 1
    line += 1
  }
}

private enum Byte {
  static let quote = UInt8(ascii: "\"")
  static let lineFeed = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")
}
