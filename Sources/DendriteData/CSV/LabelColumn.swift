/// Which CSV column holds the labels; every other column is a feature.
///
///     let data = try CSVLoader.load(path: "houses.csv", labelColumn: .name("price"), task: .regression)
///     let wine = try CSVLoader.load(path: "wine.csv", labelColumn: .index(0))
public enum LabelColumn: Sendable, Equatable {
  /// The last column (the default, as in the bundled files).
  case last
  /// The first column.
  case first
  /// The column at this position, counting from 0; a negative index counts from the end
  /// (`-1` is the last column, `-2` the one before).
  case index(Int)
  /// The column whose header cell is this name (exact, else ignoring case and surrounding
  /// spaces). The file needs a header row.
  case name(String)
}

/// What the labels are: classes or numbers to regress on.
///
///     let data = try CSVLoader.load(path: "scores.csv", task: .regression)
public enum LearningTask: String, Sendable, Equatable, CaseIterable {
  /// Labels are classes (texts or integers), numbered 0, 1, …, C−1 in sorted order;
  /// see ``LabelEncoding``.
  case classification
  /// Labels are real-valued targets, one output column.
  case regression
}
