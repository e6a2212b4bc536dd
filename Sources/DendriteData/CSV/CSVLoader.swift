import Dendrite

/// Loads comma-separated files of numbers into ``Dataset``s.
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

  /// Loads the CSV file at `path`.
  ///
  ///     let data = try CSVLoader.load(path: "iris.csv")
  ///     data.classCount   // 3
  ///
  /// - Parameters:
  ///   - path: the file; errors name it as given.
  ///   - labelColumn: the label column, `.last` by default.
  ///   - task: `.classification` or `.regression`; nil decides from the labels.
  /// - Returns: a data set named after the file (without `.csv`), feature names from the header.
  public static func load(path: String, labelColumn: LabelColumn = .last, task: LearningTask? = nil) throws(DataError) -> Dataset {
    let bytes = try FileReading.bytes(atPath: path)
    return try load(bytes: bytes, fileName: path, labelColumn: labelColumn, task: task)
  }

  /// Parses CSV text already in memory (tests, fuzzing, generated data).
  ///
  ///     let data = try CSVLoader.load(text: "x,y,label\n0,1,1\n1,0,0\n")
  public static func load(
    text: String, fileName: String = "input.csv", labelColumn: LabelColumn = .last, task: LearningTask? = nil
  ) throws(DataError) -> Dataset {
    try load(bytes: Array(text.utf8), fileName: fileName, labelColumn: labelColumn, task: task)
  }

  /// Parses CSV bytes already in memory; `fileName` names the source in errors.
  ///
  ///     let data = try CSVLoader.load(bytes: Array("1,2,0\n3,4,1\n".utf8), fileName: "tiny.csv")
  public static func load(
    bytes: [UInt8], fileName: String = "input.csv", labelColumn: LabelColumn = .last, task: LearningTask? = nil
  ) throws(DataError) -> Dataset {
    try loadLabeled(bytes: bytes, fileName: fileName, labelColumn: labelColumn, task: task).dataset
  }

  /// Loads the CSV file at `path` and says which column the labels came from and which
  /// task they make, and why (what `dendrite train` reports before training).
  ///
  ///     let loaded = try CSVLoader.loadLabeled(path: "iris.csv", labelColumn: .name("species"))
  ///     loaded.encoding.reason   // "the labels are text"
  ///
  /// - Parameter delimiter: the field separator; nil detects it (``CSVDelimiter/detect(in:)``).
  public static func loadLabeled(
    path: String, labelColumn: LabelColumn = .last, task: LearningTask? = nil, delimiter: CSVDelimiter? = nil
  ) throws(DataError) -> LabeledCSV {
    try loadLabeled(
      bytes: FileReading.bytes(atPath: path), fileName: path, labelColumn: labelColumn, task: task, delimiter: delimiter)
  }

  /// Parses CSV bytes already in memory, saying how its labels were read.
  ///
  ///     let loaded = try CSVLoader.loadLabeled(bytes: Array("a,y\n1,-1\n2,1\n".utf8))
  ///     loaded.dataset.classNames   // ["-1", "1"]
  public static func loadLabeled(
    bytes: [UInt8], fileName: String = "input.csv", labelColumn: LabelColumn = .last, task: LearningTask? = nil,
    delimiter: CSVDelimiter? = nil
  ) throws(DataError) -> LabeledCSV {
    let table = try CSVTable.read(bytes: bytes, file: fileName, labelColumn: labelColumn, delimiter: delimiter)
    let features = Tensor(shape: [table.rowCount, table.featureCount], scalars: table.features)
    let name = datasetName(fileName)
    let encoding = try encode(table, file: fileName, task: task)
    let index = table.labelIndex ?? 0
    do throws(DatasetError) {
      let dataset: Dataset
      if let classes = encoding.classIndices {
        dataset = try Dataset(
          features: features, classIndices: classes, name: name, featureNames: table.featureNames,
          classNames: encoding.classNames)
      } else {
        let targets = Tensor(shape: [table.rowCount, 1], scalars: encoding.targets ?? [])
        dataset = try Dataset(features: features, targets: targets, name: name, featureNames: table.featureNames)
      }
      return LabeledCSV(
        dataset: dataset, labelColumnIndex: index, labelColumnName: table.header?[index], encoding: encoding,
        delimiter: table.delimiter)
    } catch {
      throw DataError.invalidDataset(error)
    }
  }

  /// Loads a CSV file whose every column is a feature (rows to predict on).
  ///
  ///     let (rows, header) = try CSVLoader.loadFeatures(path: "rows.csv")
  ///     rows.shape   // [N, D]
  ///
  /// - Returns: the features `[N, D]` and the header row, if the file has one.
  public static func loadFeatures(path: String) throws(DataError) -> (features: Tensor, header: [String]?) {
    try loadFeatures(bytes: FileReading.bytes(atPath: path), fileName: path)
  }

  /// Parses feature-only CSV bytes already in memory.
  ///
  ///     let (rows, _) = try CSVLoader.loadFeatures(bytes: Array("1,2\n3,4\n".utf8))
  public static func loadFeatures(bytes: [UInt8], fileName: String = "input.csv") throws(DataError) -> (features: Tensor, header: [String]?) {
    let table = try CSVTable.read(bytes: bytes, file: fileName, labelColumn: nil)
    return (Tensor(shape: [table.rowCount, table.featureCount], scalars: table.features), table.header)
  }

  /// The labels as classes or targets, with the loader's errors for a task they cannot make.
  private static func encode(_ table: CSVTable, file: String, task: LearningTask?) throws(DataError) -> LabelEncoding {
    let column = (table.labelIndex ?? 0) + 1
    do throws(LabelEncoding.Problem) {
      return try LabelEncoding(texts: table.labelTexts, values: table.labels, task: task, maximumClassCount: maximumClassCount)
    } catch {
      switch error {
      case .textForRegression(let row):
        throw DataError.labelNotANumber(file: file, line: table.labelLines[row], column: column, text: table.labelTexts[row])
      case .fractionForClassification(let row):
        throw DataError.labelNotAClass(file: file, line: table.labelLines[row], column: column, text: table.labelTexts[row])
      case .tooManyClasses(let count):
        throw DataError.tooManyClasses(file: file, classCount: count, limit: maximumClassCount)
      }
    }
  }

  /// `data/wine.csv` → `wine`.
  private static func datasetName(_ path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    return file.lowercased().hasSuffix(".csv") ? String(file.dropLast(4)) : file
  }
}
