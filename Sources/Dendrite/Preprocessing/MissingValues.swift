/// What to do with a missing cell (an empty cell, `NA`, `NaN`, `null`, …) in a table of features.
///
///     let loaded = try CSVLoader.loadLabeled(path: "penguins.csv", missing: .mean)
///
/// `dendrite train --missing error|drop|mean` chooses one; `error` is the default, so a
/// missing cell is never filled without being asked.
public enum MissingValues: String, Sendable, Equatable, CaseIterable {
  /// A missing cell is an error that names its line and column.
  case error
  /// Rows with a missing cell (or a missing label) are left out, and counted.
  case drop
  /// A missing number takes its column's mean over the training rows, a missing category its
  /// column's most frequent value there; both are stored with the model (``FeatureEncoding``),
  /// so new rows are filled the same way. Rows with a missing label are left out.
  case mean
}
