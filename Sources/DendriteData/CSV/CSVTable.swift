import Dendrite

/// A CSV file's cells, typed column by column: a column whose cells are all numbers (or
/// missing) is numeric; a column with text in it holds categories. Missing cells (empty,
/// `NA`, `N/A`, `NaN`, `null`, … see ``isMissingMarker(_:)``) are kept, marked, for the
/// loader to refuse, drop or fill.
///
/// Row 1 is a header when one of its cells is text (not a number, not a missing marker)
/// and row 2 holds a number or a missing cell in that column, or there is no row 2. So a file without a
/// header whose labels are class names (`5.1,3.5,setosa` above `4.9,3.0,setosa`) keeps its
/// first row as data.
///
/// A number in a column of text becomes the category named by its canonical text
/// (``FeatureTable/categoryName(_:)``), so `2` and `2.0` are one category.
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

  /// Reads the file at `path`.
  static func read(path: String, delimiter: CSVDelimiter? = nil) throws(DataError) -> CSVTable {
    try read(bytes: FileReading.bytes(atPath: path), file: path, delimiter: delimiter)
  }

  /// Parses and types `bytes`; `file` names the source in errors.
  ///
  /// - Throws: ``DataError``: an empty file, no data rows, a ragged row, a quoting error,
  ///   or a number that is infinite or does not fit a `Float`.
  static func read(bytes: [UInt8], file: String, delimiter: CSVDelimiter? = nil) throws(DataError) -> CSVTable {
    let delimiter = delimiter ?? CSVDelimiter.detect(in: bytes)
    var parser = CSVParser(bytes: bytes, file: file, delimiter: delimiter)
    guard let first = try parser.next() else { throw DataError.emptyFile(file: file) }
    let second = try parser.next()
    let isHeader = Self.isHeader(first, above: second)
    var builder = ColumnBuilder(width: first.fields.count)
    if !isHeader { try builder.append(first, file: file) }
    if let second { try builder.append(second, file: file) }
    while let record = try parser.next() { try builder.append(record, file: file) }
    guard !builder.rowLines.isEmpty else { throw DataError.noDataRows(file: file) }
    return CSVTable(
      header: isHeader ? first.fields : nil, delimiter: delimiter, width: builder.width,
      columns: builder.columns.map(\.column), summaries: builder.columns.map(\.summary), rowLines: builder.rowLines)
  }

  /// Whether `first` is a header: text in a column where `second` has a number or a
  /// missing cell, or text anywhere when there is no second row.
  private static func isHeader(_ first: CSVParser.Record, above second: CSVParser.Record?) -> Bool {
    let textColumns = first.fields.indices.filter { column in
      let trimmed = first.fields[column].trimmingSpaces
      return !isMissingMarker(trimmed) && Double(trimmed) == nil
    }
    guard let second else { return !textColumns.isEmpty }
    return textColumns.contains { column in
      guard column < second.fields.count else { return false }
      let below = second.fields[column].trimmingSpaces
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

/// Accumulates typed columns row by row.
private struct ColumnBuilder {
  struct Column {
    var numbers: [Float] = []
    /// Set once the column holds text: codes into `names`.
    var codes: [Int32]?
    var names: [String] = []
    var index: [String: Int32] = [:]
    var summary = CSVTable.ColumnSummary()

    var column: FeatureTable.Column {
      if let codes { return .categories(codes: codes, names: names) }
      return .numbers(numbers)
    }

    mutating func code(for name: String) -> Int32 {
      if let code = index[name] { return code }
      let code = Int32(names.count)
      index[name] = code
      names.append(name)
      return code
    }

    /// Turns the numbers so far into categories named by their canonical text.
    mutating func becomeCategorical() {
      var converted: [Int32] = []
      converted.reserveCapacity(numbers.count)
      for value in numbers { converted.append(value.isNaN ? -1 : code(for: FeatureTable.categoryName(value))) }
      codes = converted
      numbers = []
    }
  }

  let width: Int
  var columns: [Column]
  var rowLines: [Int32] = []

  init(width: Int) {
    self.width = width
    columns = Array(repeating: Column(), count: width)
  }

  mutating func append(_ record: CSVParser.Record, file: String) throws(DataError) {
    guard record.fields.count == width else {
      throw DataError.raggedRow(file: file, line: record.line, expected: width, found: record.fields.count)
    }
    let row = rowLines.count
    rowLines.append(Int32(truncatingIfNeeded: record.line))
    for (index, text) in record.fields.enumerated() {
      let trimmed = text.trimmingSpaces
      if CSVTable.isMissingMarker(trimmed) {
        if columns[index].codes != nil { columns[index].codes?.append(-1) } else { columns[index].numbers.append(.nan) }
        continue
      }
      if let value = Double(trimmed) {
        guard value.isFinite, Float(value).isFinite else {
          throw DataError.notFinite(file: file, line: record.fieldLines[index], column: index + 1, text: text)
        }
        columns[index].summary.numberCount += 1
        if columns[index].codes != nil {
          let code = columns[index].code(for: FeatureTable.categoryName(Float(value)))
          columns[index].codes?.append(code)
        } else {
          columns[index].numbers.append(Float(value))
        }
      } else {
        columns[index].summary.textCount += 1
        if columns[index].summary.firstText == nil { columns[index].summary.firstText = (row, trimmed) }
        if columns[index].codes == nil { columns[index].becomeCategorical() }
        let code = columns[index].code(for: trimmed)
        columns[index].codes?.append(code)
      }
    }
  }
}
