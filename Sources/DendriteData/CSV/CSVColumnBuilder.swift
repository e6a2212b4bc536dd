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
      summary.numberCount = numbers.count { !$0.isNaN }
      var converted: [Int32] = []
      converted.reserveCapacity(numbers.count)
      for value in numbers { converted.append(value.isNaN ? -1 : code(for: FeatureTable.categoryName(value))) }
      codes = converted
      numbers = []
    }

    /// Appends `number` (finite) to a categorical column, as its category.
    mutating func appendCategory(of number: Float) {
      summary.numberCount += 1
      let code = code(for: FeatureTable.categoryName(number))
      codes?.append(code)
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
      if codes == nil, other.codes != nil { becomeCategorical() }
      summary.numberCount += other.summary.numberCount
      summary.textCount += other.summary.textCount
      if summary.firstText == nil, let (row, text) = other.summary.firstText {
        summary.firstText = (row + rowOffset, text)
      }
      if codes == nil, other.codes == nil {
        numbers += other.numbers  // in the room reserved for the whole file, usually
        return
      }
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
        // Numbers after text: categories by canonical name, as one pass would make them.
        for value in other.numbers { merged.append(value.isNaN ? -1 : code(for: FeatureTable.categoryName(value))) }
      }
      codes = merged
    }
  }

  /// The file's name, for errors.
  let file: String
  /// The number of cells in every row.
  let width: Int
  /// The columns so far (complete after ``finish()``).
  private(set) var columns: [Column]
  /// The line each row starts on.
  private(set) var rowLines: [Int32] = []
  /// The numbers of the latest rows, row after row (a categorical column's place holds
  /// 0), moved into the columns a block of rows at a time: appending to one array is
  /// cheaper than appending to one of `width`.
  private var pending: [Float] = []
  /// Whether every column is still numeric.
  private var allNumeric = true
  /// The rows `pending` holds before they are moved.
  private static let blockRows = 2048
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
    pending.reserveCapacity(width * (Self.blockRows + 1))
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
    // Worked on as a local, so that appending checks its uniqueness once a record.
    var pending = self.pending
    self.pending = []
    defer { self.pending = pending }
    let plain = record.quoted.isEmpty
    for field in 0..<width {
      if plain {
        // The common cell: a plain decimal in a numeric column.
        var start = record.starts[field]
        var end = record.ends[field]
        while start < end, buffer[start] == 0x20 || buffer[start] == 0x09 { start += 1 }
        while end > start, buffer[end - 1] == 0x20 || buffer[end - 1] == 0x09 { end -= 1 }
        if columns[field].codes == nil, let value = CSVNumber.decimal(buffer, from: start, to: end) {
          let number = Float(value)
          guard number.isFinite else { throw notFinite(field, of: record, bytes: buffer) }
          pending.append(number)
          continue
        }
        try appendCell(field, of: record, bytes: buffer, from: start, to: end, row: row, pending: &pending)
      } else if record.isEscaped(field) {
        let bytes = record.bytes(ofField: field, in: buffer)
        try appendCell(field, of: record, bytes: bytes, from: 0, to: bytes.count, row: row, pending: &pending)
      } else {
        try appendCell(
          field, of: record, bytes: buffer, from: record.starts[field], to: record.ends[field], row: row,
          pending: &pending)
      }
    }
    if pending.count >= Self.blockRows * width { moveCompleteRows(from: &pending) }
  }

  /// Appends the record at `position` in `bytes[..<end]` when it is a plain line of
  /// `width` decimals that ``CSVNumber`` reads (no quotes, spaces or missing cells) and
  /// every column is numeric, and returns the index past its line end; otherwise nil and
  /// nothing is appended (the parser and ``append(_:in:)`` take the record). Reading the
  /// numbers while finding the fields saves a pass over the bytes.
  ///
  ///     builder.appendNumbers(Array("1,2.5\n".utf8), from: 0, to: 6, delimiter: 44, line: 2)   // 6
  mutating func appendNumbers(_ bytes: [UInt8], from position: Int, to end: Int, delimiter: UInt8, line: Int) -> Int? {
    guard allNumeric else { return nil }
    var pending = self.pending
    self.pending = []
    defer { self.pending = pending }
    let mark = pending.count
    var index = position
    for field in 0..<width {
      let (value, stop) = CSVNumber.decimalPrefix(bytes, from: index, to: end)
      guard let value, stop < end, Float(value).isFinite else { break }
      if field + 1 < width {
        guard bytes[stop] == delimiter else { break }
        index = stop + 1
      } else if bytes[stop] == Byte.lineFeed {
        index = stop + 1
      } else if bytes[stop] == Byte.carriageReturn, stop + 1 < end {
        index = stop + (bytes[stop + 1] == Byte.lineFeed ? 2 : 1)
      } else {
        break
      }
      pending.append(Float(value))
    }
    guard pending.count - mark == width else {
      pending.removeLast(pending.count - mark)
      return nil
    }
    rowLines.append(Int32(truncatingIfNeeded: line))
    if pending.count >= Self.blockRows * width { moveCompleteRows(from: &pending) }
    return index
  }

  /// Types the cell `bytes[start..<end]`, field `field` of `record`: any cell, in any
  /// column; a number or a missing cell of a numeric column goes to `pending`.
  private mutating func appendCell(
    _ field: Int, of record: CSVRecord, bytes: [UInt8], from start: Int, to end: Int, row: Int,
    pending: inout [Float]
  ) throws(DataError) {
    var start = start
    var end = end
    while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    let numeric = columns[field].codes == nil
    var number: Float
    if let value = CSVNumber.decimal(bytes, from: start, to: end) {
      number = Float(value)
    } else if isMissingMarker(bytes, from: start, to: end) {
      if numeric { pending.append(.nan) } else { columns[field].codes?.append(-1); pending.append(0) }
      return
    } else {
      let text = String(decoding: bytes[start..<end], as: UTF8.self)
      guard let value = Double(text) else {
        if numeric {
          moveCompleteRows(from: &pending)
          allNumeric = false
        }
        columns[field].append(text: text, row: row)
        pending.append(0)
        return
      }
      guard value.isFinite else { throw notFinite(field, of: record, bytes: bytes) }
      number = Float(value)
    }
    guard number.isFinite else { throw notFinite(field, of: record, bytes: bytes) }
    if numeric {
      pending.append(number)
    } else {
      columns[field].appendCategory(of: number)
      pending.append(0)
    }
  }

  /// Moves the complete rows of `pending` into the numeric columns.
  private mutating func moveCompleteRows(from pending: inout [Float]) {
    let count = pending.count / width * width
    guard count > 0 else { return }
    do {
      let block = pending
      for field in 0..<width where columns[field].codes == nil {
        columns[field].numbers.append(contentsOf: stride(from: field, to: count, by: width).lazy.map { block[$0] })
      }
    }
    pending.removeFirst(count)
  }

  /// Moves the last rows into the columns and counts the numbers of the numeric columns.
  mutating func finish() {
    var pending = self.pending
    self.pending = []
    moveCompleteRows(from: &pending)
    self.pending = pending
    for field in 0..<width where columns[field].codes == nil {
      columns[field].summary.numberCount = columns[field].numbers.count { !$0.isNaN }
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
    finish()
    other.finish()
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
