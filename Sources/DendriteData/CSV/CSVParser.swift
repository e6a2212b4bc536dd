/// Finds CSV records in bytes, as RFC 4180 describes them (with a ``CSVDelimiter`` other
/// than the comma when asked), one at a time, in a buffer that may hold only part of the
/// file: when a record runs past the bytes it has, it says so and the caller reads more
/// (``CSVRecordReader`` does).
///
///     let bytes = Array("a,\"b,\"\"c\"\"\"\r\n1,2\n".utf8)
///     var parser = CSVParser(file: "x.csv")
///     var position = 0
///     while try parser.next(in: bytes, from: &position, to: bytes.count, atEnd: true) == .record {
///       print(parser.record.line, parser.record.texts(in: bytes))
///     }
///     // 1 ["a", "b,\"c\""]
///     // 2 ["1", "2"]
///
/// - Lines end with LF, CRLF, or a lone CR; lines count from 1, across line ends inside
///   quotes too.
/// - A field in double quotes may hold separators, line ends, and `""` for one quote. A
///   quote inside an unquoted field is kept as text.
/// - Empty lines are skipped (a file's final line end makes no empty record).
/// - A byte-order mark is the reader's business (``CSVRecordReader``).
///
/// The parser knows nothing about numbers: ``CSVColumnBuilder`` types the cells.
struct CSVParser {
  /// What ``next(in:from:to:atEnd:)`` found.
  enum Outcome {
    /// A record, in ``record``.
    case record
    /// The bytes end inside a record (or right after a CR): read more and call again.
    case needMoreBytes
    /// No more records.
    case end
  }

  /// The file's name, for errors.
  let file: String
  /// The field separator.
  let delimiter: UInt8
  /// The line the next byte is on.
  private(set) var line: Int
  /// The record found last.
  private(set) var record = CSVRecord()

  /// A parser starting on `line`; `file` names the source in errors.
  init(file: String, delimiter: CSVDelimiter = .comma, line: Int = 1) {
    self.file = file
    self.delimiter = delimiter.byte
    self.line = line
  }

  /// Finds the record that starts at `position` in `bytes[..<end]`, skipping empty lines,
  /// and moves `position` past it. `atEnd` says that no bytes follow `end`; otherwise a
  /// record cut by `end` is left unread (`position` at its start) for a call with more
  /// bytes.
  ///
  /// - Throws: ``DataError/unterminatedQuote(file:line:column:)`` or
  ///   ``DataError/malformedQuote(file:line:column:)``.
  mutating func next(in bytes: [UInt8], from position: inout Int, to end: Int, atEnd: Bool) throws(DataError)
    -> Outcome
  {
    var index = position
    while index < end {
      let byte = bytes[index]
      if byte == Byte.lineFeed {
        index += 1
      } else if byte == Byte.carriageReturn {
        if index + 1 < end {
          index += bytes[index + 1] == Byte.lineFeed ? 2 : 1
        } else if atEnd {
          index += 1
        } else {
          break
        }
      } else {
        break
      }
      line += 1
      position = index
    }
    guard index < end else { return atEnd ? .end : .needMoreBytes }
    if bytes[index] == Byte.carriageReturn { return .needMoreBytes }  // a CR cut from its LF
    let startLine = line
    // The record is worked on as a local, so that appending to its arrays checks their
    // uniqueness once, not once a field.
    var record = self.record
    self.record = CSVRecord()
    defer { self.record = record }
    record.reset(line: line)
    while true {
      if index < end, bytes[index] == Byte.quote {
        guard try quotedField(in: bytes, at: &index, to: end, atEnd: atEnd, into: &record) else {
          line = startLine
          return .needMoreBytes
        }
      } else {
        let start = index
        while index < end {
          let byte = bytes[index]
          if byte == delimiter || byte == Byte.lineFeed || byte == Byte.carriageReturn { break }
          index += 1
        }
        record.starts.append(start)
        record.ends.append(index)
      }
      if index == end {
        guard atEnd else {
          line = startLine
          return .needMoreBytes
        }
        position = index
        return .record
      }
      if bytes[index] == delimiter {
        index += 1
        continue
      }
      if bytes[index] == Byte.carriageReturn {
        if index + 1 < end {
          index += bytes[index + 1] == Byte.lineFeed ? 2 : 1
        } else if atEnd {
          index += 1
        } else {
          line = startLine
          return .needMoreBytes
        }
      } else {
        index += 1
      }
      line += 1
      position = index
      return .record
    }
  }

  /// Counts a line read by someone else (a record of numbers read straight into columns).
  mutating func passLine() { line += 1 }

  /// Reads the quoted field at `index` into the record and moves past its closing quote;
  /// false when `end` cuts it (and more bytes follow).
  private mutating func quotedField(
    in bytes: [UInt8], at index: inout Int, to end: Int, atEnd: Bool, into record: inout CSVRecord
  ) throws(DataError) -> Bool {
    let column = record.count + 1
    let startLine = line
    var escaped = false
    index += 1
    let start = index
    while true {
      guard index < end else {
        if atEnd { throw DataError.unterminatedQuote(file: file, line: startLine, column: column) }
        return false
      }
      let byte = bytes[index]
      if byte == Byte.quote {
        if index + 1 < end {
          guard bytes[index + 1] == Byte.quote else { break }
          escaped = true
          index += 2
          continue
        }
        if atEnd { break }
        return false
      }
      if byte == Byte.lineFeed {
        line += 1
      } else if byte == Byte.carriageReturn {
        if index + 1 < end {
          if bytes[index + 1] != Byte.lineFeed { line += 1 }
        } else if atEnd {
          line += 1
        } else {
          return false
        }
      }
      index += 1
    }
    record.starts.append(start)
    record.ends.append(index)
    record.quoted.append(.init(field: column - 1, line: startLine, lineAfter: line, escaped: escaped))
    index += 1
    if index < end, bytes[index] != delimiter, bytes[index] != Byte.lineFeed, bytes[index] != Byte.carriageReturn {
      throw DataError.malformedQuote(file: file, line: line, column: column)
    }
    return true
  }
}

/// The bytes CSV syntax is made of.
enum Byte {
  static let quote = UInt8(ascii: "\"")
  static let lineFeed = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")
}
