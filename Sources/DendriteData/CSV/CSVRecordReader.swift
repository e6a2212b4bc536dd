import Dendrite

/// Hands out the records of a byte range of a CSV file or of bytes in memory, reading a
/// file a chunk at a time so that only a few megabytes of it are held at once. A record
/// cut by a chunk's end (a quoted field may span lines and chunks) is parsed again once
/// the next chunk has been appended to its bytes.
///
///     var reader = CSVRecordReader(source: .bytes(bytes), range: 0..<bytes.count, file: "x.csv", delimiter: .comma)
///     while try reader.next() { print(reader.record.texts(in: reader.buffer)) }
///
/// A range starting at byte 0 skips a UTF-8 byte-order mark.
struct CSVRecordReader {
  /// Where the bytes come from.
  enum Source {
    /// Bytes already in memory.
    case bytes([UInt8])
    /// An open file, read in chunks of `chunkSize` bytes.
    case file(FileContents.Reader, chunkSize: Int)
  }

  /// The bytes the current ``record``'s ranges point into.
  private(set) var buffer: [UInt8]
  /// The parser, with the record found last and the line it reached.
  private(set) var parser: CSVParser
  /// The record found by the last ``next()`` that returned true.
  var record: CSVRecord { parser.record }

  private let source: Source
  /// Where parsing resumes in `buffer`, and where the bytes read so far end.
  private var position: Int
  private var end: Int
  /// The file offset of the next chunk, and the end of the range.
  private var nextOffset: Int
  private let rangeEnd: Int
  private var atEnd: Bool
  private var checkByteOrderMark: Bool

  /// A reader of the bytes in `range` of `source`, whose first line is `line`; `file`
  /// names the source in errors.
  init(source: Source, range: Range<Int>, file: String, delimiter: CSVDelimiter, line: Int = 1) {
    self.source = source
    parser = CSVParser(file: file, delimiter: delimiter, line: line)
    rangeEnd = range.upperBound
    checkByteOrderMark = range.lowerBound == 0
    switch source {
    case .bytes(let bytes):
      buffer = bytes
      position = range.lowerBound
      end = range.upperBound
      nextOffset = range.upperBound
      atEnd = true
    case .file:
      buffer = []
      position = 0
      end = 0
      nextOffset = range.lowerBound
      atEnd = range.isEmpty
    }
  }

  /// Moves to the next record; false at the end of the range.
  ///
  /// - Throws: the parser's ``DataError``s, and ``DataError/unreadable(path:reason:)``.
  mutating func next() throws(DataError) -> Bool {
    if checkByteOrderMark {
      while end - position < 3, !atEnd { try readChunk() }
      if end - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
        position += 3
      }
      checkByteOrderMark = false
    }
    while true {
      switch try parser.next(in: buffer, from: &position, to: end, atEnd: atEnd) {
      case .record: return true
      case .end: return false
      case .needMoreBytes: try readChunk()
      }
    }
  }

  /// Appends the next record to `builder` when it is a plain line of numbers that lies
  /// whole in the bytes read (``CSVColumnBuilder/appendNumbers(_:from:to:delimiter:line:)``);
  /// false otherwise, and then ``next()`` reads it.
  mutating func nextNumbers(into builder: inout CSVColumnBuilder) -> Bool {
    guard !checkByteOrderMark,
      let next = builder.appendNumbers(buffer, from: position, to: end, delimiter: parser.delimiter, line: parser.line)
    else { return false }
    position = next
    parser.passLine()
    return true
  }

  /// Drops the bytes parsed already and appends the next chunk.
  private mutating func readChunk() throws(DataError) {
    guard case .file(let file, let chunkSize) = source, !atEnd else { return }
    if position > 0 {
      buffer.removeSubrange(0..<position)
      end -= position
      position = 0
    }
    let wanted = min(chunkSize, rangeEnd - nextOffset)
    let count = try FileReading.read(file, at: nextOffset, count: wanted, appendingTo: &buffer)
    nextOffset += count
    end += count
    if count < wanted || nextOffset >= rangeEnd { atEnd = true }
  }
}

extension CSVRecordReader.Source {
  /// The bytes in `range` (fewer when the file is shorter).
  ///
  ///     let head = try source.bytes(in: 0..<65_536)   // for delimiter detection
  ///
  /// - Throws: ``DataError/unreadable(path:reason:)``.
  func bytes(in range: Range<Int>) throws(DataError) -> [UInt8] {
    switch self {
    case .bytes(let bytes):
      return Array(bytes[min(range.lowerBound, bytes.count)..<min(range.upperBound, bytes.count)])
    case .file(let file, _):
      var bytes: [UInt8] = []
      _ = try FileReading.read(file, at: range.lowerBound, count: range.count, appendingTo: &bytes)
      return bytes
    }
  }
}
