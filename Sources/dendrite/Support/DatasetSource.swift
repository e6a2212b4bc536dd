import Dendrite
import DendriteData
import Foundation

/// `--dataset NAME|FILE`: a bundled data set by name, a CSV file, or an IDX images file
/// whose labels lie beside it. Bundled names are matched ignoring case and `_`/`-`
/// (`Digits`, `BREAST_CANCER`).
enum DatasetSource {
  /// The data set, with a CSV's text columns one-hot encoded over all its rows (what
  /// `evaluate` and `predict` use when the model stores no encoding).
  static func load(_ argument: String, regression: Bool) throws -> Dataset {
    try loadLabeled(argument, labelColumn: nil, task: regression ? .regression : nil).rows(nil, encoding: nil)
  }

  /// The data, and for a CSV file which column its labels came from and how they were
  /// read. `labelColumn` (`--label`), `delimiter` and `missing` are for CSV files only
  /// (the first two are an error with other data, `missing` is ignored): nil means the last
  /// column, a detected separator, and `error`.
  ///
  /// `recordedLabel` (a model file's label column) is the label column of a CSV file when
  /// `labelColumn` is nil and the file has that column.
  static func loadLabeled(
    _ argument: String, labelColumn: LabelColumn?, task: LearningTask?, delimiter: CSVDelimiter? = nil,
    missing: MissingValues? = nil, recordedLabel: LabelColumn? = nil
  ) throws -> LoadedData {
    let lowercased = argument.lowercased()
    let bundledName = String(lowercased.map { $0 == "_" ? "-" : $0 })
    let isBundled = Datasets.catalog.contains(where: { $0.name == bundledName })
    let isIDX = lowercased.contains("idx3") || lowercased.hasSuffix("-ubyte") || lowercased.hasSuffix("-ubyte.gz")
    if !isBundled && (lowercased.hasSuffix(".csv") || (!isIDX && FileManager.default.fileExists(atPath: argument))) {
      func load(_ column: LabelColumn) throws -> LabeledCSV {
        try CSVLoader.loadLabeled(path: argument, labelColumn: column, task: task, delimiter: delimiter, missing: missing ?? .error)
      }
      if labelColumn == nil, let recordedLabel {
        // The model's own label column when the file has it, else the last.
        do {
          return LoadedData(csv: try load(recordedLabel))
        } catch DataError.missingLabelColumn {}
      }
      return LoadedData(csv: try load(labelColumn ?? .last))
    }
    for (option, given, purpose) in [
      ("--delimiter", delimiter != nil, "sets a CSV file's field separator"),
      ("--label", labelColumn != nil, "chooses the label column of a CSV file"),
    ] where given && (isBundled || isIDX) {
      throw CommandError("\(option): \(argument) is not a CSV file; \(option) \(purpose)")
    }
    if isBundled { return LoadedData(dataset: try Datasets.named(bundledName)) }
    if isIDX { return LoadedData(dataset: try IDXLoader.load(imagesPath: argument)) }
    let names = Datasets.catalog.map(\.name).joined(separator: ", ")
    throw CommandError("--dataset \(argument): no bundled data set of that name and no such file; bundled: \(names), or give a .csv or IDX file")
  }
}

/// Data as `--dataset` gave it: a bundled or IDX ``Dataset``, or a CSV file's raw columns,
/// which become numbers only through a ``FeatureEncoding`` fitted on the training rows.
struct LoadedData {
  /// The CSV file's columns and labels; nil for bundled and IDX data.
  let csv: LabeledCSV?
  private var dataset: Dataset?
  /// The labels of every row.
  private(set) var labels: Dataset.Labels

  init(csv: LabeledCSV) {
    self.csv = csv
    labels = csv.labels
  }

  init(dataset: Dataset) {
    csv = nil
    self.dataset = dataset
    labels = dataset.labels
  }

  /// The data set's name (`iris`, a file's name without `.csv`).
  var name: String { csv?.name ?? dataset?.name ?? "data" }
  /// The number of rows.
  var count: Int { labels.count }
  /// The class names, index by index; nil for regression or unnamed classes.
  var classNames: [String]? { csv?.classNames ?? dataset?.classNames }
  /// The number of classes; nil for regression.
  var classCount: Int? {
    if case .classes(_, let count) = labels { return count }
    return nil
  }
  /// The number of source columns (before one-hot encoding).
  var columnCount: Int { csv?.features.columnCount ?? dataset?.featureCount ?? 0 }

  /// Class labels as regression targets (`--task regression` on a bundled classification set).
  mutating func treatClassesAsTargets() {
    guard case .classes(let indices, _) = labels else { return }
    labels = .targets(Tensor(shape: [indices.count, 1], scalars: indices.map { Float($0) }))
  }

  /// The rows `rows` (nil: all) as a data set: a CSV's features encoded by `encoding` (nil:
  /// fitted on every row), a data set's rows as they are.
  func rows(_ rows: [Int]?, encoding: FeatureEncoding?) throws -> Dataset {
    try encode(rows, encoding: encoding).dataset
  }

  /// ``rows(_:encoding:)`` with the cells of unseen categories per column and the number
  /// of missing cells filled.
  func encode(_ rows: [Int]?, encoding: FeatureEncoding?) throws -> (dataset: Dataset, unseen: [String: Int], filled: Int) {
    var part: Dataset
    var (unseen, filled) = ([String: Int](), 0)
    if let csv {
      (part, unseen, filled) = try csv.encode(rows: rows, encoding: encoding)
    } else if let dataset {
      part = rows.map(dataset.subset) ?? dataset
    } else {
      throw CommandError("no data")
    }
    if case .targets = labels, part.targets == nil {
      // Classes read as targets (--task regression).
      part = try Dataset(
        features: part.features, labels: rows.map(labels.rows) ?? labels, name: part.name, featureNames: part.featureNames)
    }
    return (part, unseen, filled)
  }

  /// The raw feature columns, and whether their names come from the source (a header).
  var table: (columns: FeatureTable, hasHeader: Bool) {
    if let csv { return (csv.features, csv.hasHeader) }
    let features = dataset?.features ?? Tensor(shape: [0, 0], scalars: [])
    return (FeatureTable(features: features, names: dataset?.featureNames), dataset?.featureNames != nil)
  }

  /// The range every feature lies in by the source's definition (IDX images), else nil.
  var featureRange: ClosedRange<Float>? { dataset?.featureRange }

  /// The image shape `[C, H, W]` of each row by the source's definition (IDX images), else nil.
  var sampleShape: [Int]? { dataset?.sampleShape }
}

extension LabelColumn {
  /// `--label COLUMN`: a whole number is an index from 0 (negative counts from the end),
  /// anything else a header name.
  ///
  ///     LabelColumn(argument: "-1")        // .index(-1), the last column
  ///     LabelColumn(argument: "species")   // .name("species")
  init(argument: String) {
    self = Int(argument).map(LabelColumn.index) ?? .name(argument)
  }
}

extension LabeledCSV {
  /// The line `dendrite train` prints before training: which column is the label, which
  /// task was chosen and why, and how to override it.
  ///
  ///     label column "species" (index 4): classification, because the labels are text;
  ///     3 classes: setosa, versicolor, virginica (override with --task classification|regression)
  var summary: String {
    let column = labelColumnName.map { "\"\($0)\" (index \(labelColumnIndex))" } ?? "at index \(labelColumnIndex) (no header)"
    let because = encoding.isInferred ? "because \(encoding.reason)" : "as --task asked"
    var classes = ""
    if let names = classNames {
      let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : "")
      classes = "; \(names.count) classes: \(shown)"
    }
    let separator = delimiter == .tab ? "tab" : "\"\(delimiter.rawValue)\""
    return "label column \(column): \(encoding.task.rawValue), \(because)\(classes) "
      + "(override with --task \(CommandLineNames.tasks.joined(separator: "|"))); fields separated by \(separator)"
  }

  /// The line about the feature columns when some are text or rows were dropped, else nil:
  ///
  ///     columns: 4 numeric, 3 categorical (island, sex, species: one-hot); 11 rows with missing cells dropped
  var columnSummary: String? {
    let categorical = features.names.indices.filter { features.columns[$0].isCategorical }.map { features.names[$0] }
    var parts: [String] = []
    if !categorical.isEmpty {
      let shown = categorical.prefix(8).joined(separator: ", ") + (categorical.count > 8 ? ", …" : "")
      parts.append("\(features.columnCount - categorical.count) numeric, \(categorical.count) categorical (\(shown): one-hot encoded over the training rows' values)")
    }
    if droppedRowCount > 0 {
      let why = missing == .drop ? "with missing cells" : "with a missing label"
      parts.append("\(droppedRowCount) of \(sourceRowCount) rows \(why) dropped")
    }
    return parts.isEmpty ? nil : "columns: " + parts.joined(separator: "; ")
  }
}

/// A command-line error with its full message.
struct CommandError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
