import Dendrite

/// A CSV file loaded with a label column: its raw feature columns (numbers and text
/// categories, before any encoding), its labels, and what the loader decided about them —
/// which column they are, whether they are classes or regression targets and why, and how
/// many rows missing cells cost.
///
///     let loaded = try CSVLoader.loadLabeled(path: "iris.csv")
///     loaded.labelColumnDescription   // "species"
///     loaded.encoding.task            // .classification
///     loaded.encoding.reason          // "the labels are text"
///     try loaded.dataset().classNames // ["setosa", "versicolor", "virginica"]
///
/// Text feature columns become numbers only through a `FeatureEncoding` (Dendrite's, one-hot), which
/// a training run fits on its training rows: ``dataset(rows:encoding:)`` applies one.
public struct LabeledCSV: Sendable {
  /// The data set's name: the file name without `.csv`.
  public let name: String
  /// The feature columns, raw, for the rows kept.
  public let features: FeatureTable
  /// Whether the feature names come from a header row (else they are `column 1`, …).
  public let hasHeader: Bool
  /// The labels of the rows kept: class indices or targets `[N, 1]`.
  public let labels: Dataset.Labels
  /// The class names, index by index; nil for regression.
  public let classNames: [String]?
  /// The label column's position, from 0.
  public let labelColumnIndex: Int
  /// The label column's header cell, when the file has a header row.
  public let labelColumnName: String?
  /// How the labels became classes or targets.
  public let encoding: LabelEncoding
  /// The field separator the file was read with (given, or detected).
  public let delimiter: CSVDelimiter
  /// How missing cells were handled.
  public let missing: MissingValues
  /// The number of data rows in the file, and how many were left out for missing cells
  /// (`MissingValues.drop`) or missing labels.
  public let sourceRowCount: Int
  /// The number of those rows left out (see `sourceRowCount`).
  public let droppedRowCount: Int

  /// The label column as a message or `--json` names it: its header name, else its index
  /// from 0 as text.
  ///
  ///     try CSVLoader.loadLabeled(bytes: Array("1,2,0\n3,4,1\n".utf8)).labelColumnDescription   // "2"
  public var labelColumnDescription: String { labelColumnName ?? String(labelColumnIndex) }

  /// The number of rows kept.
  public var rowCount: Int { features.rowCount }

  /// The rows `rows` (nil: all) as a data set, features encoded by `encoding` (nil: one
  /// fitted on every row kept, filling missing cells as ``missing`` says).
  ///
  ///     let all = try loaded.dataset()
  ///     let train = try loaded.dataset(rows: trainRows, encoding: fitted)
  ///
  /// - Throws: ``DataError``: a missing cell the encoding cannot fill, a column of the
  ///   wrong kind for `encoding`.
  public func dataset(rows: [Int]? = nil, encoding: FeatureEncoding? = nil) throws(DataError) -> Dataset {
    try encode(rows: rows, encoding: encoding).dataset
  }

  /// ``dataset(rows:encoding:)``, with what encoding met: per text column, how many cells
  /// held a category `encoding` does not know (encoded as all zeros), and how many missing
  /// cells were filled.
  ///
  ///     let (test, unseen, _) = try loaded.encode(rows: testRows, encoding: fitted)
  ///     unseen   // ["city": 2]
  public func encode(
    rows: [Int]? = nil, encoding: FeatureEncoding? = nil
  ) throws(DataError) -> (dataset: Dataset, unseen: [String: Int], filled: Int) {
    do {
      let encoding = try encoding ?? FeatureEncoding.fit(features, missing: missing)
      let encoded = try encoding.apply(to: features, rows: rows)
      let names = hasHeader || !encoding.isIdentity ? encoding.inputNames : nil
      let dataset = try Dataset(
        features: encoded.features, labels: rows.map(labels.rows) ?? labels, name: name, featureNames: names,
        classNames: classNames)
      return (dataset, encoded.unseen, encoded.filled)
    } catch let error as FeatureEncoding.Problem {
      throw DataError.unencodable(file: name, problem: error.description)
    } catch let error as DatasetError {
      throw DataError.invalidDataset(error)
    } catch {
      throw DataError.unencodable(file: name, problem: "\(error)")
    }
  }
}
