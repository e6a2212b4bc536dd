import Dendrite
import DendriteData

/// The rows `dendrite evaluate` scores. On the data the model was trained on (the same
/// bundled set, or a file with the same SHA-256, row count and label column) it keeps only
/// the model's held-out test rows, the very rows `dendrite train` scored, unless
/// `--all-rows` is given; any other data, or a model file without a data set record, is
/// scored whole.
///
///     let scored = try HeldOutRows(of: data, argument: "iris", record: file.dataset, labelColumn: nil, allRows: false)
///     scored.scope     // .testSplit
///     scored.summary   // "scored on the 30 held-out test rows of iris (the model's test split, seed 42; --all-rows scores all 150)"
///
/// `data` must have its labels as in training: a classifier's classes numbered as the model
/// numbers them (`numberingClasses(like:)`), since the split is stratified by class index.
struct HeldOutRows {
  /// Which rows were scored, as `evaluate --json` reports it in `scored_on`.
  enum Scope: String {
    case testSplit = "test-split"
    case allRows = "all-rows"
  }

  /// The rows to score.
  let data: Dataset
  let scope: Scope
  /// One line saying what was scored.
  let summary: String

  /// - Parameters:
  ///   - data: every row of the data set, labelled as in training.
  ///   - argument: the `--dataset` argument; a file is hashed only when the model has a record
  ///     of a file with as many rows.
  ///   - record: the model file's `dendrite.dataset`; nil for files written before it existed.
  ///   - labelColumn: the CSV's label column as training records it; nil for bundled and IDX data.
  ///   - sourceRowCount: the rows in the file before any were dropped for missing cells
  ///     (as the record counts them); nil when none could be.
  ///   - allRows: `--all-rows`.
  init(
    of data: Dataset, argument: String, record: DatasetRecord?, labelColumn: String?, sourceRowCount: Int? = nil,
    allRows: Bool
  ) throws {
    let total = data.count
    guard let record, record.rowCount == sourceRowCount ?? total, record.labelColumn == labelColumn,
      record.testFraction > 0, record.testFraction < 1, case let identity = try DatasetIdentity(argument: argument),
      identity.matches(record)
    else {
      let other = record.map { " (not the data the model was trained on, \($0.name))" } ?? ""
      (self.data, scope, summary) = (data, .allRows, "scored on all \(total) rows\(other)")
      return
    }
    let testRows = data.labels.splitRows(testFraction: record.testFraction, seed: record.seed).test
    if allRows {
      let seen = record.validationFraction > 0 ? "trained or validated on" : "trained on"
      (self.data, scope, summary) = (data, .allRows, "scored on all \(total) rows, \(total - testRows.count) of which the model \(seen)")
    } else {
      (self.data, scope) = (data.subset(testRows), .testSplit)
      summary = "scored on the \(testRows.count) held-out test rows of \(identity.name) "
        + "(the model's test split, seed \(record.seed); --all-rows scores all \(total))"
    }
  }
}
