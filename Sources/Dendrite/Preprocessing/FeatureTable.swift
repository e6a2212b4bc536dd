/// A table of raw feature columns as a file holds them, before encoding: numeric columns,
/// and categorical columns of text values (a city, a colour). Missing cells are kept, marked,
/// so that a ``FeatureEncoding`` fitted on the training rows can fill or refuse them.
///
///     let table = FeatureTable(
///       names: ["rooms", "city"],
///       columns: [.numbers([3, 4, .nan]), .categories(codes: [0, 1, 0], names: ["Lyon", "Paris"])])
///     table.missingCount   // 1 (the NaN)
///
/// Storage is columnar and compact: a number takes 4 bytes, a categorical cell a 4-byte code
/// into its column's category names, so a million-row table of 20 columns holds 80 MB.
public struct FeatureTable: Sendable, Equatable {
  /// One column's cells.
  public enum Column: Sendable, Equatable {
    /// Numbers; `.nan` marks a missing cell.
    case numbers([Float])
    /// Text values as codes into `names` (each distinct text once); −1 marks a missing cell.
    case categories(codes: [Int32], names: [String])

    /// The number of cells.
    public var count: Int {
      switch self {
      case .numbers(let values): values.count
      case .categories(let codes, _): codes.count
      }
    }

    /// Whether the cell in `row` is missing.
    public func isMissing(_ row: Int) -> Bool {
      switch self {
      case .numbers(let values): values[row].isNaN
      case .categories(let codes, _): codes[row] < 0
      }
    }

    /// Whether the column holds text values.
    public var isCategorical: Bool {
      if case .categories = self { return true }
      return false
    }
  }

  /// The column names (a header's cells, or `column 1`, `column 2`, … without one).
  public private(set) var names: [String]
  /// The columns, one per name.
  public private(set) var columns: [Column]
  /// The number of rows.
  public let rowCount: Int

  /// A table of `columns` named `names`.
  ///
  /// - Precondition: one name per column, every column of the same length, and every
  ///   category code −1 or an index into its names.
  public init(names: [String], columns: [Column]) {
    precondition(names.count == columns.count, "FeatureTable: \(names.count) names for \(columns.count) columns")
    let rows = columns.first?.count ?? 0
    precondition(
      columns.allSatisfy { $0.count == rows }, "FeatureTable: columns of lengths \(columns.map(\.count)); every column needs \(rows) cells")
    for column in columns {
      if case .categories(let codes, let categories) = column {
        precondition(codes.allSatisfy { $0 >= -1 && Int($0) < categories.count }, "FeatureTable: a category code outside -1..<\(categories.count)")
      }
    }
    self.names = names
    self.columns = columns
    self.rowCount = rows
  }

  /// A table of numbers only, from a feature matrix `[N, D]`.
  ///
  ///     let table = FeatureTable(features: Tensor([[1, 2], [3, 4]]), names: ["a", "b"])
  ///
  /// - Parameters:
  ///   - features: the matrix `[N, D]`, one numeric column per feature.
  ///   - names: one per column; nil names them `column 1`, `column 2`, ….
  public init(features: Tensor, names: [String]? = nil) {
    precondition(features.rank == 2, "FeatureTable(features:) needs [rows, columns], got \(features.shape)")
    let (rows, width) = (features.shape[0], features.shape[1])
    var columns = [[Float]](repeating: [], count: width)
    for column in 0..<width {
      columns[column].reserveCapacity(rows)
      for row in 0..<rows { columns[column].append(features.scalars[row * width + column]) }
    }
    self.init(names: names ?? (1...max(width, 1)).prefix(width).map { "column \($0)" }, columns: columns.map(Column.numbers))
  }

  /// The category a number names when it stands in a column of text (`2` for 2.0, `2.5`):
  /// one spelling per value, so that `2` and `2.0` are one category.
  ///
  ///     FeatureTable.categoryName(2)     // "2"
  ///     FeatureTable.categoryName(2.5)   // "2.5"
  public static func categoryName(_ value: Float) -> String {
    value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
  }

  /// The number of columns.
  public var columnCount: Int { columns.count }

  /// The number of missing cells in the whole table.
  public var missingCount: Int {
    columns.reduce(0) { total, column in total + (0..<rowCount).reduce(0) { $0 + (column.isMissing($1) ? 1 : 0) } }
  }

  /// For each row, whether any of its cells is missing.
  public var rowsWithMissingCells: [Bool] {
    var flags = [Bool](repeating: false, count: rowCount)
    for column in columns {
      for row in 0..<rowCount where column.isMissing(row) { flags[row] = true }
    }
    return flags
  }

  /// The first missing cell in row order, as (row, column), or nil.
  public var firstMissingCell: (row: Int, column: Int)? {
    var first: (row: Int, column: Int)?
    for (index, column) in columns.enumerated() {
      // Only rows above the best so far can improve it; an earlier column wins a tie.
      if let row = (0..<(first?.row ?? rowCount)).first(where: column.isMissing) { first = (row, index) }
    }
    return first
  }

  /// The rows at `indices`, in that order (category names are kept whole).
  public func rows(_ indices: [Int]) -> FeatureTable {
    FeatureTable(
      names: names,
      columns: columns.map { column in
        switch column {
        case .numbers(let values): .numbers(indices.map { values[$0] })
        case .categories(let codes, let categories): .categories(codes: indices.map { codes[$0] }, names: categories)
        }
      })
  }

  /// The columns at `indices`, in that order.
  public func selectingColumns(_ indices: [Int]) -> FeatureTable {
    FeatureTable(names: indices.map { names[$0] }, columns: indices.map { columns[$0] })
  }
}
