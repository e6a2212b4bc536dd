import Dendrite

/// Loads comma-separated files of numbers into ``Dataset``s.
///
///     let data = try CSVLoader.load(path: "wine.csv")                       // label: last column
///     let houses = try CSVLoader.load(path: "houses.csv", labelColumn: .name("price"), task: .regression)
///     let (rows, header) = try CSVLoader.loadFeatures(path: "rows.csv")      // no label column
///
/// The format is RFC 4180: an optional UTF-8 byte-order mark, LF or CRLF line ends, fields
/// in double quotes holding commas, line ends or `""`. Row 1 is a header when any of its
/// cells is text that is not a number. Every cell must be a finite number that fits a
/// `Float`; an empty cell, a ragged row, text, NaN or infinity throws a ``DataError`` that
/// names the line and column.
///
/// Labels that are all integers ≥ 0 make a classification data set with
/// `classCount = max + 1`, unless `task` is `.regression`; other labels become regression
/// targets `[N, 1]`.
public enum CSVLoader {
  /// The most classes integer labels may make; beyond it they are surely regression
  /// targets (prices, counts), and loading them as classes throws
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
    let table = try CSVTable.read(bytes: bytes, file: fileName, labelColumn: labelColumn)
    let features = Tensor(shape: [table.rowCount, table.featureCount], scalars: table.features)
    let name = datasetName(fileName)
    let classes = try classIndices(table, file: fileName, task: task)
    do throws(DatasetError) {
      if let classes {
        return try Dataset(features: features, classIndices: classes, name: name, featureNames: table.featureNames)
      }
      let targets = Tensor(shape: [table.rowCount, 1], scalars: table.labels.map { Float($0) })
      return try Dataset(features: features, targets: targets, name: name, featureNames: table.featureNames)
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

  /// The class index of each row, or nil when the labels are regression targets.
  private static func classIndices(_ table: CSVTable, file: String, task: LearningTask?) throws(DataError) -> [Int]? {
    if task == .regression { return nil }
    let column = (table.labelIndex ?? 0) + 1
    if let row = table.labels.firstIndex(where: { $0 < 0 || $0 != $0.rounded() }) {
      guard task == .classification else { return nil }
      throw DataError.labelNotAClass(file: file, line: table.labelLines[row], column: column, text: table.labelTexts[row])
    }
    let largest = table.labels.max() ?? 0
    guard largest < Double(maximumClassCount) else {
      throw DataError.tooManyClasses(file: file, classCount: largest < 1e15 ? Int(largest) + 1 : Int.max, limit: maximumClassCount)
    }
    return table.labels.map { Int($0) }
  }

  /// `data/wine.csv` → `wine`.
  private static func datasetName(_ path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    return file.lowercased().hasSuffix(".csv") ? String(file.dropLast(4)) : file
  }
}
