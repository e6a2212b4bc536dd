/// A CSV file's cells, split into feature columns, every cell validated as a finite 32-bit
/// number, and an optional label column, whose cells may be text (class names).
///
/// Row 1 is a header when one of its cells is text that is not a number (an empty cell
/// alone does not make a header: it is a missing value) and row 2 holds a number in that
/// column, or there is no row 2. So a file without a header whose labels are class names
/// (`5.1,3.5,setosa` above `4.9,3.0,setosa`) keeps its first row as data.
struct CSVTable {
  /// The header row, when the file has one.
  var header: [String]?
  /// The header without the label column.
  var featureNames: [String]?
  /// The number of columns in every row.
  var width: Int
  /// The features, row-major, `rowCount × featureCount`.
  var features: [Float] = []
  /// The label column's values (nil for a text label such as `setosa`), texts (trimmed)
  /// and lines; empty when there is no label column.
  var labels: [Double?] = []
  var labelTexts: [String] = []
  var labelLines: [Int] = []
  /// The label column's position, from 0.
  var labelIndex: Int?
  /// The field separator the file was read with.
  var delimiter = CSVDelimiter.comma

  /// The number of data rows.
  var rowCount: Int { labelIndex == nil ? features.count / Swift.max(width, 1) : labels.count }
  /// The number of feature columns.
  var featureCount: Int { labelIndex == nil ? width : width - 1 }

  /// Parses and validates `bytes`; `labelColumn` nil means every column is a feature.
  static func read(
    bytes: [UInt8], file: String, labelColumn: LabelColumn?, delimiter: CSVDelimiter? = nil
  ) throws(DataError) -> CSVTable {
    let delimiter = delimiter ?? CSVDelimiter.detect(in: bytes)
    var parser = CSVParser(bytes: bytes, file: file, delimiter: delimiter)
    guard let first = try parser.next() else { throw DataError.emptyFile(file: file) }
    let second = try parser.next()
    let isHeader = Self.isHeader(first, above: second)
    var table = CSVTable(header: isHeader ? first.fields : nil, width: first.fields.count)
    table.delimiter = delimiter
    if let labelColumn {
      let index = try resolve(labelColumn, header: table.header, width: table.width, file: file)
      guard table.width > 1 else { throw DataError.noFeatureColumns(file: file) }
      table.labelIndex = index
      table.featureNames = table.header.map { header in header.indices.filter { $0 != index }.map { header[$0] } }
    } else {
      table.featureNames = table.header
    }
    if !isHeader { try table.append(first, file: file) }
    if let second { try table.append(second, file: file) }
    while let record = try parser.next() { try table.append(record, file: file) }
    guard table.rowCount > 0 else { throw DataError.noDataRows(file: file) }
    return table
  }

  /// Whether `first` is a header: text in a column where `second` has a number, or text
  /// anywhere when there is no second row.
  private static func isHeader(_ first: CSVParser.Record, above second: CSVParser.Record?) -> Bool {
    let textColumns = first.fields.indices.filter { column in
      let trimmed = first.fields[column].trimmingSpaces
      return !trimmed.isEmpty && Double(trimmed) == nil
    }
    guard let second else { return !textColumns.isEmpty }
    return textColumns.contains { column in
      column < second.fields.count && Double(second.fields[column].trimmingSpaces) != nil
    }
  }

  private mutating func append(_ record: CSVParser.Record, file: String) throws(DataError) {
    guard record.fields.count == width else {
      throw DataError.raggedRow(file: file, line: record.line, expected: width, found: record.fields.count)
    }
    for (index, text) in record.fields.enumerated() {
      let line = record.fieldLines[index]
      let isLabel = index == labelIndex
      if isLabel {
        labels.append(try Self.label(text, file: file, line: line, column: index + 1))
        labelTexts.append(text.trimmingSpaces)
        labelLines.append(line)
      } else {
        features.append(Float(try Self.number(text, file: file, line: line, column: index + 1)))
      }
    }
  }

  /// The cell's value, or the error that says why it has none.
  private static func number(_ text: String, file: String, line: Int, column: Int) throws(DataError) -> Double {
    guard let value = try label(text, file: file, line: line, column: column) else {
      throw DataError.notANumber(file: file, line: line, column: column, text: text)
    }
    return value
  }

  /// A label cell's value, nil when it is text (a class name); an empty cell or a
  /// non-finite number throws.
  private static func label(_ text: String, file: String, line: Int, column: Int) throws(DataError) -> Double? {
    let trimmed = text.trimmingSpaces
    guard !trimmed.isEmpty else { throw DataError.missingValue(file: file, line: line, column: column) }
    guard let value = Double(trimmed) else { return nil }
    guard value.isFinite, Float(value).isFinite else {
      throw DataError.notFinite(file: file, line: line, column: column, text: text)
    }
    return value
  }

  private static func resolve(_ column: LabelColumn, header: [String]?, width: Int, file: String) throws(DataError) -> Int {
    switch column {
    case .last: return width - 1
    case .first: return 0
    case .index(let index):
      let position = index < 0 ? width + index : index
      guard position >= 0, position < width else {
        throw DataError.missingLabelColumn(file: file, label: "at index \(index) (\(index < 0 ? "-1 is the last" : "from 0"))", columnCount: width, available: header)
      }
      return position
    case .name(let name):
      let key = name.trimmingSpaces.lowercased()
      guard let header,
        let index = header.firstIndex(of: name) ?? header.firstIndex(where: { $0.trimmingSpaces.lowercased() == key })
      else {
        throw DataError.missingLabelColumn(file: file, label: "\"\(name)\"", columnCount: width, available: header)
      }
      return index
    }
  }
}
