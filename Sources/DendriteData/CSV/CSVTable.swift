import Dendrite
import Dispatch
import Foundation

/// A CSV file's cells, typed column by column: a column whose cells are all numbers (or
/// missing) is numeric; a column with text in it holds categories. Missing cells (empty,
/// `NA`, `N/A`, `NaN`, `null`, … see ``isMissingMarker(_:)``) are kept, marked, for the
/// loader to refuse, drop or fill.
///
/// Row 1 is a header when one of its cells is text (not a number, not a missing marker)
/// and row 2 holds a number or a missing cell in that column, or there is no row 2. So a file without a
/// header whose labels are class names (`5.1,3.5,setosa` above `4.9,3.0,setosa`) keeps its
/// first row as data. A table of text alone has its own rule (``promoteTextHeader()``).
///
/// A number in a column of text becomes the category named by its canonical text
/// (``FeatureTable/categoryName(_:)``), so `2` and `2.0` are one category.
///
/// How it reads: a file a few megabytes at a time (``CSVRecordReader``), never whole;
/// numbers straight from the bytes into `[Float]` columns (``CSVNumber``,
/// ``CSVColumnBuilder``), never as strings; and a file of 4 MiB or more in two halves on
/// two threads, split at a line end near the middle and joined as if read in one pass
/// (the same columns, categories, summaries, lines and first error).
///
///     let table = try CSVTable.read(path: "large.csv")
///     table.rowCount, table.columns[0]   // 1000000, .numbers([0.39231, …])
struct CSVTable {
  /// What the reader saw in one column, for the loader's messages.
  struct ColumnSummary {
    /// Non-missing cells that are numbers, and that are text.
    var numberCount = 0
    var textCount = 0
    /// The first text cell: its row (from 0) and text.
    var firstText: (row: Int, text: String)?
  }

  /// The header row, when the file has one.
  var header: [String]?
  /// The field separator the file was read with.
  var delimiter = CSVDelimiter.comma
  /// The number of cells in every row.
  var width: Int
  /// Every column of the file, in file order.
  var columns: [FeatureTable.Column]
  /// What each column held.
  var summaries: [ColumnSummary]
  /// The line each data row starts on, from 1.
  var rowLines: [Int32]

  /// The number of data rows.
  var rowCount: Int { rowLines.count }

  /// The column names: the header, else `column 1`, `column 2`, ….
  var columnNames: [String] { header ?? (0..<width).map { "column \($0 + 1)" } }

  /// How a read is carried out. Tests shrink the chunks and choose the threads, to check
  /// that neither changes the result.
  struct ReadOptions {
    /// The bytes read from a file at a time.
    var chunkSize = 4 << 20
    /// 1, or 2 to read the two halves of a large file at once; nil: 2 on a machine with
    /// more than one core.
    var threads: Int?
    /// The smallest file read on two threads.
    var parallelMinimumBytes = 4 << 20
  }

  /// Reads the file at `path`, a chunk at a time (a pipe is read whole).
  static func read(path: String, delimiter: CSVDelimiter? = nil, options: ReadOptions = ReadOptions()) throws(DataError)
    -> CSVTable
  {
    let file = try FileReading.open(atPath: path)
    guard file.isRegularFile else {
      return try read(bytes: FileReading.bytes(atPath: path), file: path, delimiter: delimiter, options: options)
    }
    return try read(
      source: .file(file, chunkSize: max(options.chunkSize, 1)), size: file.size, file: path, delimiter: delimiter,
      options: options)
  }

  /// Parses and types `bytes`; `file` names the source in errors.
  ///
  /// - Throws: ``DataError``: an empty file, no data rows, a ragged row, a quoting error,
  ///   or a number that is infinite or does not fit a `Float`.
  static func read(bytes: [UInt8], file: String, delimiter: CSVDelimiter? = nil, options: ReadOptions = ReadOptions())
    throws(DataError) -> CSVTable
  {
    try read(source: .bytes(bytes), size: bytes.count, file: file, delimiter: delimiter, options: options)
  }

  /// Reads `size` bytes of `source`. On two threads, the first half ends at a line end
  /// near the middle and the second half's records are numbered from line 1 and shifted
  /// once the first half's line count is known. The split is only right if that line end
  /// is not inside a quoted field: then the first half ends inside quotes, and the file
  /// is read again on one thread.
  private static func read(
    source: CSVRecordReader.Source, size: Int, file: String, delimiter: CSVDelimiter?, options: ReadOptions
  ) throws(DataError) -> CSVTable {
    let head = try source.bytes(in: 0..<min(size, 1 << 16))
    let delimiter = delimiter ?? CSVDelimiter.detect(in: head)
    let lineEnds = head.count { $0 == Byte.lineFeed }
    let bytesPerRow = max(1, head.count / max(lineEnds, 1))
    // Rows to make room for: the bytes over the head's bytes a line, 2% more (the header
    // line is usually shorter than a row); never more than a row of empty cells a line
    // would make (`width` bytes a row), once the width is known.
    let expectedRows = { (bytes: Int, width: Int) in
      min(bytes / bytesPerRow + bytes / bytesPerRow / 50 + 16, bytes / max(width, 1) + 16)
    }
    let threads = options.threads ?? (ProcessInfo.processInfo.activeProcessorCount > 1 ? 2 : 1)
    let split = threads > 1 && size >= options.parallelMinimumBytes ? try splitPoint(of: source, size: size) : nil
    let readOnOneThread = { () throws(DataError) -> CSVTable in
      var options = options
      options.threads = 1
      return try read(source: source, size: size, file: file, delimiter: delimiter, options: options)
    }

    var reader = CSVRecordReader(source: source, range: 0..<(split ?? size), file: file, delimiter: delimiter)
    var builder: CSVColumnBuilder
    let header: [String]?
    do throws(DataError) {
      guard try reader.next() else {
        if split != nil { return try readOnOneThread() }
        throw DataError.emptyFile(file: file)
      }
      let (first, firstBytes) = reader.record.detached(from: reader.buffer)
      let firstTexts = first.texts(in: firstBytes)
      let hasSecond = try reader.next()
      if split != nil, !hasSecond { return try readOnOneThread() }
      let isHeader = Self.isHeader(firstTexts, above: hasSecond ? reader.record.texts(in: reader.buffer) : nil)
      header = isHeader ? firstTexts : nil
      // The first half's columns get room for the whole file, for the second's to follow.
      builder = CSVColumnBuilder(width: first.count, file: file, expectedRows: expectedRows(size, first.count))
      if !isHeader { try builder.append(first, in: firstBytes) }
      if hasSecond { try builder.append(reader.record, in: reader.buffer) }
    } catch {
      if split != nil, case .unterminatedQuote = error { return try readOnOneThread() }
      throw error
    }

    if let split {
      let width = builder.width
      // Moved, not copied: a copy left here would make the first append copy the columns.
      let firstHalf = Part(reader: consume reader, builder: consume builder)
      let secondHalf = Part(
        reader: CSVRecordReader(source: source, range: split..<size, file: file, delimiter: delimiter),
        builder: CSVColumnBuilder(width: width, file: file, expectedRows: expectedRows(size - split, width)))
      DispatchQueue.concurrentPerform(iterations: 2) { index in (index == 0 ? firstHalf : secondHalf).run() }
      if let error = firstHalf.error {
        if case .unterminatedQuote = error { return try readOnOneThread() }
        throw error
      }
      let lineOffset = firstHalf.reader.parser.line - 1
      if let error = secondHalf.error { throw error.shiftingLines(by: lineOffset) }
      // Taken out of the parts, so that each column is freed once merged.
      builder = firstHalf.builder
      firstHalf.builder = CSVColumnBuilder(width: 0, file: file, expectedRows: 0)
      let second = secondHalf.builder
      secondHalf.builder = CSVColumnBuilder(width: 0, file: file, expectedRows: 0)
      builder.append(contentsOf: second, lineOffset: lineOffset)
    } else {
      try Part.drain(&reader, into: &builder)
      builder.finish()
    }
    guard !builder.rowLines.isEmpty else { throw DataError.noDataRows(file: file) }
    var table = CSVTable(
      header: header, delimiter: delimiter, width: builder.width, columns: builder.columns.map(\.column),
      summaries: builder.columns.map(\.summary), rowLines: builder.rowLines)
    if header == nil { table.promoteTextHeader() }
    return table
  }

  /// A table of text columns only (`color,size,label` above `red,S,a`) has no number to
  /// tell its header by. Its first row is taken as a header when every one of its cells is
  /// text that occurs nowhere else in its column, while some column repeats a value below
  /// it (categories do; a header's names do not).
  ///
  ///     // color,size,label / red,S,a / blue,M,b / red,L,a  →  header ["color", "size", "label"]
  mutating func promoteTextHeader() {
    guard rowCount > 2 else { return }
    var names: [String] = []
    var repeats = false
    for column in columns {
      guard case .categories(let codes, let categories) = column, codes[0] >= 0 else { return }
      let first = codes[0]
      guard !codes.dropFirst().contains(first) else { return }
      names.append(categories[Int(first)])
      if !repeats { repeats = Set(codes.dropFirst()).count < rowCount - 1 }
    }
    guard repeats else { return }
    header = names
    rowLines.removeFirst()
    for index in columns.indices {
      guard case .categories(let codes, let categories) = columns[index] else { continue }
      // The name stays in the category list, unused: encodings count only the categories rows hold.
      columns[index] = .categories(codes: Array(codes.dropFirst()), names: categories)
      summaries[index].textCount -= 1
      if let firstText = summaries[index].firstText, firstText.row == 0 {
        let next = codes.dropFirst().firstIndex { $0 >= 0 }.map { $0 - 1 }
        summaries[index].firstText = next.map { ($0, categories[Int(codes[$0 + 1])]) }
      } else if let firstText = summaries[index].firstText {
        summaries[index].firstText = (firstText.row - 1, firstText.text)
      }
    }
  }

  /// The offset just past the first line end after the middle of the file, or nil when
  /// there is none near it.
  private static func splitPoint(of source: CSVRecordReader.Source, size: Int) throws(DataError) -> Int? {
    let middle = size / 2
    let piece = try source.bytes(in: middle..<min(size, middle + (1 << 16)))
    guard let index = piece.firstIndex(where: { $0 == Byte.lineFeed || $0 == Byte.carriageReturn }) else { return nil }
    var split = middle + index + 1
    if piece[index] == Byte.carriageReturn {
      guard index + 1 < piece.count else { return nil }
      if piece[index + 1] == Byte.lineFeed { split += 1 }
    }
    return split < size ? split : nil
  }

  /// Whether `first` is a header: text in a column where `second` has a number or a
  /// missing cell, or text anywhere when there is no second row.
  private static func isHeader(_ first: [String], above second: [String]?) -> Bool {
    let textColumns = first.indices.filter { column in
      let trimmed = first[column].trimmingSpaces
      return !isMissingMarker(trimmed) && Double(trimmed) == nil
    }
    guard let second else { return !textColumns.isEmpty }
    return textColumns.contains { column in
      guard column < second.count else { return false }
      let below = second[column].trimmingSpaces
      return Double(below) != nil || isMissingMarker(below)
    }
  }

  /// The cell texts that mean "no value" (as pandas reads them): empty, `NA`, `N/A`, `n/a`,
  /// `NaN`, `nan`, `-nan`, `NULL`, `null`, `None`, `#N/A`, `?`.
  static func isMissingMarker(_ trimmed: String) -> Bool {
    trimmed.isEmpty || missingMarkers.contains(trimmed)
  }

  static let missingMarkers: Set<String> = ["NA", "N/A", "n/a", "NaN", "nan", "-nan", "-NaN", "NULL", "null", "None", "#N/A", "?"]
}

/// One part of a file read on its own thread: its reader, the columns it builds, and
/// the error that stopped it.
///
///     let part = Part(reader: reader, builder: builder)
///     part.run()   // part.builder holds the part's rows, or part.error says why not
private final class Part: @unchecked Sendable {
  var reader: CSVRecordReader
  var builder: CSVColumnBuilder
  var error: DataError?

  init(reader: CSVRecordReader, builder: CSVColumnBuilder) {
    self.reader = reader
    self.builder = builder
  }

  /// Reads the rest of the part; an error is kept in ``error``.
  func run() {
    do {
      try Self.drain(&reader, into: &builder)
    } catch {
      self.error = error
    }
  }

  /// Appends every record left in `reader` to `builder`.
  static func drain(_ reader: inout CSVRecordReader, into builder: inout CSVColumnBuilder) throws(DataError) {
    while true {
      if reader.nextNumbers(into: &builder) { continue }
      guard try reader.next() else { return }
      try builder.append(reader.record, in: reader.buffer)
    }
  }
}

extension DataError {
  /// The error with its line moved `offset` lines down (for a part of a file whose
  /// lines were counted from its own start).
  ///
  ///     DataError.raggedRow(file: "f.csv", line: 3, expected: 2, found: 1).shiftingLines(by: 10)   // line 13
  fileprivate func shiftingLines(by offset: Int) -> DataError {
    switch self {
    case .raggedRow(let file, let line, let expected, let found):
      .raggedRow(file: file, line: line + offset, expected: expected, found: found)
    case .unterminatedQuote(let file, let line, let column): .unterminatedQuote(file: file, line: line + offset, column: column)
    case .malformedQuote(let file, let line, let column): .malformedQuote(file: file, line: line + offset, column: column)
    case .notFinite(let file, let line, let column, let text):
      .notFinite(file: file, line: line + offset, column: column, text: text)
    default: self
    }
  }
}
