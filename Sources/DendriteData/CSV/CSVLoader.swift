import Dendrite

/// Loads comma-separated files of numbers into Dendrite's `Dataset`s.
///
///     let data = try CSVLoader.load(path: "wine.csv")                       // label: last column
///     let houses = try CSVLoader.load(path: "houses.csv", labelColumn: .name("price"), task: .regression)
///     let (rows, header) = try CSVLoader.loadFeatures(path: "rows.csv")      // no label column
///
/// The format is RFC 4180: an optional UTF-8 byte-order mark, LF or CRLF line ends, fields
/// in double quotes holding commas, line ends or `""`. Row 1 is a header when one of its
/// cells is text that is not a number above a number in row 2 (or there is no row 2). Every feature cell must be a finite number that fits
/// a `Float`; an empty cell, a ragged row, text, NaN or infinity throws a ``DataError`` that
/// names the line and column.
///
/// Label cells may be text (class names) or numbers. ``LabelEncoding`` decides, unless
/// `task` says, whether they are classes (named, numbered in sorted order, none empty) or
/// regression targets `[N, 1]`: text labels and integers with few distinct values are
/// classes; decimals and many distinct integers are targets.
public enum CSVLoader {
  /// The most classes labels may make; beyond it they are surely regression targets
  /// (prices, counts), and loading them as classes throws
  /// ``DataError/tooManyClasses(file:classCount:limit:)``.
  ///
  ///     CSVLoader.maximumClassCount   // 10_000
  public static let maximumClassCount = 10_000

  /// The most distinct texts a feature column may hold; it is one-hot encoded into as many
  /// inputs, so more is surely an identifier, free text or dates, and loading throws
  /// ``DataError/tooManyCategories(file:column:count:limit:)``.
  public static let maximumCategoryCount = 1_000

  /// Loads the CSV file at `path`.
  ///
  ///     let data = try CSVLoader.load(path: "iris.csv")
  ///     data.classCount   // 3
  ///
  /// - Parameters:
  ///   - path: the file; errors name it as given.
  ///   - labelColumn: the label column, `.last` by default.
  ///   - task: `.classification` or `.regression`; nil decides from the labels.
  ///   - missing: what to do with missing cells (an error by default).
  /// - Returns: a data set named after the file (without `.csv`), feature names from the
  ///   header; text columns one-hot encoded over all rows (`city=Paris`).
  public static func load(
    path: String, labelColumn: LabelColumn = .last, task: LearningTask? = nil, missing: MissingValues = .error
  ) throws(DataError) -> Dataset {
    try loadLabeled(path: path, labelColumn: labelColumn, task: task, missing: missing).dataset()
  }

  /// Parses CSV text already in memory (tests, fuzzing, generated data).
  ///
  ///     let data = try CSVLoader.load(text: "x,y,label\n0,1,1\n1,0,0\n")
  public static func load(
    text: String, fileName: String = "input.csv", labelColumn: LabelColumn = .last, task: LearningTask? = nil,
    missing: MissingValues = .error
  ) throws(DataError) -> Dataset {
    try load(bytes: Array(text.utf8), fileName: fileName, labelColumn: labelColumn, task: task, missing: missing)
  }

  /// Parses CSV bytes already in memory; `fileName` names the source in errors.
  ///
  ///     let data = try CSVLoader.load(bytes: Array("1,2,0\n3,4,1\n".utf8), fileName: "tiny.csv")
  public static func load(
    bytes: [UInt8], fileName: String = "input.csv", labelColumn: LabelColumn = .last, task: LearningTask? = nil,
    missing: MissingValues = .error
  ) throws(DataError) -> Dataset {
    try loadLabeled(bytes: bytes, fileName: fileName, labelColumn: labelColumn, task: task, missing: missing).dataset()
  }

  /// Loads the CSV file at `path` and says which column the labels came from and which
  /// task they make, and why (what `dendrite train` reports before training). The feature
  /// columns stay raw (``LabeledCSV/features``) until encoded.
  ///
  ///     let loaded = try CSVLoader.loadLabeled(path: "iris.csv", labelColumn: .name("species"))
  ///     loaded.encoding.reason   // "the labels are text"
  ///
  /// - Parameters:
  ///   - path: the file; errors name it as given.
  ///   - labelColumn: the label column, `.last` by default.
  ///   - task: `.classification` or `.regression`; nil decides from the labels.
  ///   - delimiter: the field separator; nil detects it (``CSVDelimiter/detect(in:)``).
  ///   - missing: what to do with missing cells (an error by default).
  public static func loadLabeled(
    path: String, labelColumn: LabelColumn = .last, task: LearningTask? = nil, delimiter: CSVDelimiter? = nil,
    missing: MissingValues = .error
  ) throws(DataError) -> LabeledCSV {
    let table = try CSVTable.read(path: path, delimiter: delimiter)
    return try labeled(table, fileName: path, labelColumn: labelColumn, task: task, missing: missing)
  }

  /// Parses CSV bytes already in memory, saying how its labels were read.
  ///
  ///     let loaded = try CSVLoader.loadLabeled(bytes: Array("a,y\n1,-1\n2,1\n".utf8))
  ///     loaded.classNames   // ["-1", "1"]
  public static func loadLabeled(
    bytes: [UInt8], fileName: String = "input.csv", labelColumn: LabelColumn = .last, task: LearningTask? = nil,
    delimiter: CSVDelimiter? = nil, missing: MissingValues = .error
  ) throws(DataError) -> LabeledCSV {
    let table = try CSVTable.read(bytes: bytes, file: fileName, delimiter: delimiter)
    return try labeled(table, fileName: fileName, labelColumn: labelColumn, task: task, missing: missing)
  }

  /// Loads a CSV file whose every column is a feature (rows to predict on), raw: numbers
  /// and text categories, missing cells marked, for a model's `FeatureEncoding` (Dendrite).
  ///
  ///     let (table, hasHeader) = try CSVLoader.loadTable(path: "rows.csv")
  public static func loadTable(path: String) throws(DataError) -> (table: FeatureTable, hasHeader: Bool) {
    let table = try CSVTable.read(path: path)
    return (FeatureTable(names: table.columnNames, columns: table.columns), table.header != nil)
  }

  /// Loads a CSV file whose every column is a number (rows to predict on).
  ///
  ///     let (rows, header) = try CSVLoader.loadFeatures(path: "rows.csv")
  ///     rows.shape   // [N, D]
  ///
  /// - Returns: the features `[N, D]` and the header row, if the file has one.
  /// - Throws: ``DataError``: text (``DataError/notANumber(file:line:column:text:)``) or a
  ///   missing cell anywhere.
  public static func loadFeatures(path: String) throws(DataError) -> (features: Tensor, header: [String]?) {
    try numbers(CSVTable.read(path: path), file: path)
  }

  /// Parses feature-only CSV bytes already in memory.
  ///
  ///     let (rows, _) = try CSVLoader.loadFeatures(bytes: Array("1,2\n3,4\n".utf8))
  public static func loadFeatures(bytes: [UInt8], fileName: String = "input.csv") throws(DataError) -> (features: Tensor, header: [String]?) {
    try numbers(CSVTable.read(bytes: bytes, file: fileName), file: fileName)
  }

  /// The table as a matrix of numbers, or the error naming its first text or missing cell.
  private static func numbers(_ table: CSVTable, file: String) throws(DataError) -> (features: Tensor, header: [String]?) {
    var scalars = [Float](repeating: 0, count: table.rowCount * table.width)
    for (index, column) in table.columns.enumerated() {
      guard case .numbers(let values) = column else {
        let (row, text) = table.summaries[index].firstText ?? (0, "")
        throw DataError.notANumber(file: file, line: Int(table.rowLines[row]), column: index + 1, text: text)
      }
      for row in 0..<table.rowCount {
        guard !values[row].isNaN else { throw DataError.missingValue(file: file, line: Int(table.rowLines[row]), column: index + 1) }
        scalars[row * table.width + index] = values[row]
      }
    }
    return (Tensor(shape: [table.rowCount, table.width], scalars: scalars), table.header)
  }

  /// Splits `table` into its label and feature columns, checks the feature columns, drops
  /// rows as `missing` says, and encodes the labels.
  private static func labeled(
    _ table: CSVTable, fileName: String, labelColumn: LabelColumn, task: LearningTask?, missing: MissingValues
  ) throws(DataError) -> LabeledCSV {
    let labelIndex = try resolve(labelColumn, header: table.header, width: table.width, file: fileName)
    guard table.width > 1 else { throw DataError.noFeatureColumns(file: fileName) }
    let featureIndices = (0..<table.width).filter { $0 != labelIndex }
    for index in featureIndices {
      let summary = table.summaries[index]
      if summary.textCount > 0, summary.numberCount > summary.textCount, let (row, text) = summary.firstText {
        throw DataError.textInNumericColumn(
          file: fileName, line: Int(table.rowLines[row]), column: index + 1, text: text, numbers: summary.numberCount,
          texts: summary.textCount)
      }
      // A decimal comma (`1,5`) or another separator inside a cell makes numbers look like
      // text: say so rather than one-hot encode them.
      if table.columns[index].isCategorical, let (row, text) = summary.firstText, looksLikeMisreadNumber(text) {
        throw DataError.notANumber(file: fileName, line: Int(table.rowLines[row]), column: index + 1, text: text)
      }
      if case .categories(_, let names) = table.columns[index], names.count > maximumCategoryCount {
        throw DataError.tooManyCategories(
          file: fileName, column: table.columnNames[index], count: names.count, limit: maximumCategoryCount)
      }
    }
    // Which rows stay: every row, unless cells are missing and `missing` drops them.
    let label = table.columns[labelIndex]
    var keep: [Int]?
    func firstMissing(in columns: [Int]) -> (row: Int, column: Int)? {
      var first: (row: Int, column: Int)?
      for index in columns {
        if let row = (0..<(first?.row ?? table.rowCount)).first(where: table.columns[index].isMissing) { first = (row, index) }
      }
      return first
    }
    switch missing {
    case .error:
      if let (row, column) = firstMissing(in: Array(0..<table.width)) {
        throw DataError.missingValue(file: fileName, line: Int(table.rowLines[row]), column: column + 1)
      }
    case .drop:
      var complete = [Bool](repeating: true, count: table.rowCount)
      for column in table.columns {
        for row in 0..<table.rowCount where complete[row] && column.isMissing(row) { complete[row] = false }
      }
      if complete.contains(false) { keep = complete.indices.filter { complete[$0] } }
    case .mean:
      if (0..<table.rowCount).contains(where: label.isMissing) {
        keep = (0..<table.rowCount).filter { !label.isMissing($0) }
      }
    }
    if let keep, keep.isEmpty { throw DataError.noCompleteRows(file: fileName, rows: table.rowCount) }
    var features = FeatureTable(
      names: featureIndices.map { table.columnNames[$0] }, columns: featureIndices.map { table.columns[$0] })
    let labelCells: FeatureTable.Column
    if let keep {
      features = features.rows(keep)
      labelCells = FeatureTable(names: ["label"], columns: [label]).rows(keep).columns[0]
    } else {
      labelCells = label
    }
    let encoding = try encode(labelCells, table: table, keep: keep, labelIndex: labelIndex, file: fileName, task: task)
    let labels: Dataset.Labels
    if let classes = encoding.classIndices {
      labels = .classes(classes, classCount: encoding.classNames?.count ?? 0)
    } else {
      labels = .targets(Tensor(shape: [features.rowCount, 1], scalars: encoding.targets ?? []))
    }
    return LabeledCSV(
      name: datasetName(fileName), features: features, hasHeader: table.header != nil, labels: labels,
      classNames: encoding.classNames, labelColumnIndex: labelIndex, labelColumnName: table.header?[labelIndex],
      encoding: encoding, delimiter: table.delimiter, missing: missing, sourceRowCount: table.rowCount,
      droppedRowCount: table.rowCount - features.rowCount)
  }

  /// The labels as classes or targets, with the loader's errors for a task they cannot make.
  private static func encode(
    _ cells: FeatureTable.Column, table: CSVTable, keep: [Int]?, labelIndex: Int, file: String, task: LearningTask?
  ) throws(DataError) -> LabelEncoding {
    let column = labelIndex + 1
    let texts: [String]
    let values: [Double?]
    switch cells {
    case .numbers(let numbers):
      (texts, values) = ([], numbers.map { Double($0) })
    case .categories(let codes, let names):
      texts = codes.map { names[Int($0)] }
      values = texts.map { Double($0) }
    }
    func line(_ row: Int) -> Int { Int(table.rowLines[keep?[row] ?? row]) }
    func text(_ row: Int) -> String { texts.indices.contains(row) ? texts[row] : FeatureTable.categoryName(Float(values[row] ?? 0)) }
    do throws(LabelEncoding.Problem) {
      return try LabelEncoding(texts: texts, values: values, task: task, maximumClassCount: maximumClassCount)
    } catch {
      switch error {
      case .textForRegression(let row):
        throw DataError.labelNotANumber(file: file, line: line(row), column: column, text: text(row))
      case .fractionForClassification(let row):
        throw DataError.labelNotAClass(file: file, line: line(row), column: column, text: text(row))
      case .tooManyClasses(let count):
        throw DataError.tooManyClasses(file: file, classCount: count, limit: maximumClassCount)
      }
    }
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

  /// Whether `text` is a number written with a decimal comma (`1,5`) or holding another
  /// separator (`1;2`, a tab).
  private static func looksLikeMisreadNumber(_ text: String) -> Bool {
    let parts = text.split(omittingEmptySubsequences: false) { $0 == "," || $0 == ";" || $0 == "\t" }
    return parts.count > 1 && parts.allSatisfy { Double(String($0).trimmingSpaces) != nil }
  }

  /// `data/wine.csv` → `wine`.
  private static func datasetName(_ path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    return file.lowercased().hasSuffix(".csv") ? String(file.dropLast(4)) : file
  }
}
