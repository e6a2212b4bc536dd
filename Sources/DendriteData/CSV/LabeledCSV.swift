import Dendrite

/// A CSV file loaded as a data set, with what the loader decided about its labels: which
/// column they are, and whether they are classes or regression targets and why.
///
///     let loaded = try CSVLoader.loadLabeled(path: "iris.csv")
///     loaded.labelColumnDescription   // "species"
///     loaded.encoding.task            // .classification
///     loaded.encoding.reason          // "the labels are text"
///     loaded.dataset.classNames       // ["setosa", "versicolor", "virginica"]
public struct LabeledCSV: Sendable {
  /// The data set.
  public let dataset: Dataset
  /// The label column's position, from 0.
  public let labelColumnIndex: Int
  /// The label column's header cell, when the file has a header row.
  public let labelColumnName: String?
  /// How the labels became classes or targets.
  public let encoding: LabelEncoding
  /// The field separator the file was read with (given, or detected).
  public var delimiter: CSVDelimiter = .comma

  /// The label column as a message or `--json` names it: its header name, else its index
  /// from 0 as text.
  ///
  ///     try CSVLoader.loadLabeled(bytes: Array("1,2,0\n3,4,1\n".utf8)).labelColumnDescription   // "2"
  public var labelColumnDescription: String { labelColumnName ?? String(labelColumnIndex) }
}
