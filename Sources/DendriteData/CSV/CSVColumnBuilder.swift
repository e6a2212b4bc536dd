import Dendrite

/// Types a CSV file's cells column by column as its records come, straight from their
/// bytes: numbers go into `[Float]` columns without becoming strings; a column turns into
/// categories at its first text cell (its numbers so far become categories named by
/// ``FeatureTable/categoryName(_:)``). Missing cells (``CSVTable/isMissingMarker(_:)``)
/// are `.nan` in a numeric column and -1 in a categorical one.
///
///     var builder = CSVColumnBuilder(width: 2, file: "x.csv", expectedRows: 100)
///     try builder.append(record, in: buffer)   // for each data record
///     builder.columns[0].column                 // .numbers([…]) or .categories(…)
struct CSVColumnBuilder {
  /// One column being built.
  struct Column {
    var numbers: [Float] = []
    /// Set once the column holds text: codes into `names`.
    var codes: [Int32]?
    var names: [String] = []
    var index: [String: Int32] = [:]
    var summary = CSVTable.ColumnSummary()

    /// The finished column.
    var column: FeatureTable.Column {
      if let codes { return .categories(codes: codes, names: names) }
      return .numbers(numbers)
    }

    /// The code of the category `name`, added when new.
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

    /// Appends `number` (finite) as a number or, in a categorical column, as its category.
    mutating func append(number: Float) {
      summary.numberCount += 1
      if codes == nil {
        numbers.append(number)
      } else {
        let code = code(for: FeatureTable.categoryName(number))
        codes?.append(code)
      }
    }

    /// Appends a missing cell.
    mutating func appendMissing() {
      if codes == nil { numbers.append(.nan) } else { codes?.append(-1) }
    }

    /// Appends the text `trimmed` of row `row`, making the column categorical.
    mutating func append(text trimmed: String, row: Int) {
      summary.textCount += 1
      if summary.firstText == nil { summary.firstText = (row, trimmed) }
      if codes == nil { becomeCategorical() }
      let code = code(for: trimmed)
      codes?.append(code)
    }

    /// Appends the cells of `other`, the same column of the rows that follow, as if they
    /// had been appended here one by one; `rowOffset` is this column's row count.
    mutating func append(contentsOf other: Column, rowOffset: Int) {
      summary.numberCount += other.summary.numberCount
      summary.textCount += other.summary.textCount
      if summary.firstText == nil, let (row, text) = other.summary.firstText {
        summary.firstText = (row + rowOffset, text)
      }
      if codes == nil, other.codes == nil {
        var merged: [Float] = []
        merged.reserveCapacity(numbers.count + other.numbers.count)
        merged += numbers
        merged += other.numbers
        numbers = merged
        return
      }
      if codes == nil { becomeCategorical() }
      var merged: [Int32] = []
      merged.reserveCapacity((codes?.count ?? 0) + other.numbers.count + (other.codes?.count ?? 0))
      merged += codes ?? []
      codes = nil
      if let otherCodes = other.codes {
        // The other part's names are in the order they first occur in it, so adding them
        // in that order numbers them as one pass over all the rows would.
        let remap = other.names.map { code(for: $0) }
        for value in otherCodes { merged.append(value < 0 ? -1 : remap[Int(value)]) }
      } else {
        for value in other.numbers { merged.append(value.isNaN ? -1 : code(for: FeatureTable.categoryName(value))) }
      }
      codes = merged
    }
  }

  /// The file's name, for errors.
  let file: String
  /// The number of cells in every row.
  let width: Int
  /// The columns so far.
  private(set) var columns: [Column]
  /// The line each row starts on.
  private(set) var rowLines: [Int32] = []
  /// The byte strings that mean a missing cell, from ``CSVTable/missingMarkers``.
  private let missingMarkers: [[UInt8]] = CSVTable.missingMarkers.map { Array($0.utf8) }

  /// A builder for rows of `width` cells, with room for about `expectedRows` of them.
  init(width: Int, file: String, expectedRows: Int) {
    self.width = width
    self.file = file
    columns = Array(repeating: Column(), count: width)
    for index in columns.indices {
      columns[index].numbers.reserveCapacity(max(expectedRows, 0))
    }
    rowLines.reserveCapacity(max(expectedRows, 0))
  }

  /// Appends the cells of `record`, whose ranges point into `buffer`.
  ///
  /// - Throws: ``DataError/raggedRow(file:line:expected:found:)`` or
  ///   ``DataError/notFinite(file:line:column:text:)``.
  mutating func append(_ record: CSVRecord, in buffer: [UInt8]) throws(DataError) {
    guard record.count == width else {
      throw DataError.raggedRow(file: file, line: record.line, expected: width, found: record.count)
    }
    let row = rowLines.count
    rowLines.append(Int32(truncatingIfNeeded: record.line))
    let plain = record.quoted.isEmpty
    for field in 0..<width {
      if plain || !record.isEscaped(field) {
        try appendCell(field, of: record, bytes: buffer, from: record.starts[field], to: record.ends[field], row: row)
      } else {
        let bytes = record.bytes(ofField: field, in: buffer)
        try appendCell(field, of: record, bytes: bytes, from: 0, to: bytes.count, row: row)
      }
    }
  }

  /// Types the cell `bytes[start..<end]`, field `field` of `record`.
  @inline(__always)
  private mutating func appendCell(
    _ field: Int, of record: CSVRecord, bytes: [UInt8], from start: Int, to end: Int, row: Int
  ) throws(DataError) {
    var start = start
    var end = end
    while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    if let value = CSVNumber.decimal(bytes, from: start, to: end) {
      let number = Float(value)
      guard number.isFinite else { throw notFinite(field, of: record, bytes: bytes) }
      columns[field].append(number: number)
      return
    }
    if isMissingMarker(bytes, from: start, to: end) {
      columns[field].appendMissing()
      return
    }
    let text = String(decoding: bytes[start..<end], as: UTF8.self)
    if let value = Double(text) {
      guard value.isFinite, Float(value).isFinite else { throw notFinite(field, of: record, bytes: bytes) }
      columns[field].append(number: Float(value))
    } else {
      columns[field].append(text: text, row: row)
    }
  }

  /// Whether `bytes[start..<end]` is empty or one of ``CSVTable/missingMarkers``.
  @inline(__always)
  private func isMissingMarker(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
    if start == end { return true }
    guard end - start <= 4 else { return false }
    return missingMarkers.contains { $0.elementsEqual(bytes[start..<end]) }
  }

  /// The error for a number in `field` that is not finite as a `Float`.
  private func notFinite(_ field: Int, of record: CSVRecord, bytes: [UInt8]) -> DataError {
    let text =
      record.isEscaped(field)
      ? String(decoding: bytes, as: UTF8.self) : String(decoding: bytes[record.starts[field]..<record.ends[field]], as: UTF8.self)
    return DataError.notFinite(file: file, line: record.line(ofField: field), column: field + 1, text: text)
  }

  /// Appends the rows of `other`, which follow these in the file and were numbered from
  /// line 1: `lineOffset` is the number of lines before them.
  mutating func append(contentsOf other: consuming CSVColumnBuilder, lineOffset: Int) {
    let rowOffset = rowLines.count
    rowLines.reserveCapacity(rowLines.count + other.rowLines.count)
    for line in other.rowLines { rowLines.append(line &+ Int32(truncatingIfNeeded: lineOffset)) }
    other.rowLines = []
    for index in columns.indices {
      columns[index].append(contentsOf: other.columns[index], rowOffset: rowOffset)
      other.columns[index] = Column()
    }
  }
}
