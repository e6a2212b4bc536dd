/// How a ``FeatureTable``'s raw columns become the network's input features, fitted on the
/// training rows only and stored in the model file (`dendrite.columns`), so that `predict`
/// and `evaluate` encode new rows exactly as training did.
///
/// - A numeric column is one input, its value as it is.
/// - A categorical column is one-hot encoded over the categories seen in the training rows,
///   sorted: one input per category, 1 for the row's category and 0 for the others. A
///   category the training rows never showed encodes as all zeros (and is counted, so the
///   caller can warn).
/// - A missing cell is filled when the encoding was fitted with ``MissingValues/mean``: a
///   number with its column's training mean, a category with its most frequent training
///   value. Otherwise it is an error.
///
///     let encoding = try FeatureEncoding.fit(table, rows: trainRows, missing: .mean)
///     let (features, unseen) = try encoding.apply(to: table, rows: testRows)
///     encoding.inputNames   // ["rooms", "city=Lyon", "city=Paris"]
public struct FeatureEncoding: Sendable, Equatable {
  /// How one source column is encoded.
  public struct ColumnEncoding: Sendable, Equatable {
    /// The source column's name.
    public var name: String
    /// What the column becomes.
    public var kind: Kind

    /// A numeric input, or one-hot inputs.
    public enum Kind: Sendable, Equatable {
      /// One input; `fill` replaces a missing cell (nil: a missing cell is an error).
      case number(fill: Float?)
      /// One input per category, in this order; `fill` replaces a missing cell.
      case oneHot(categories: [String], fill: String?)
    }

    /// The number of inputs the column becomes.
    public var width: Int {
      switch kind {
      case .number: 1
      case .oneHot(let categories, _): categories.count
      }
    }

    /// The encoding of the source column `name`.
    public init(name: String, kind: Kind) {
      self.name = name
      self.kind = kind
    }
  }

  /// A missing cell that the encoding cannot fill, or a column that cannot be encoded.
  public enum Problem: Error, Equatable, CustomStringConvertible {
    /// The cell in this row (from 0) of this column is missing, and no fill value was fitted.
    case missingCell(column: String, row: Int)
    /// The table lacks a column the encoding needs.
    case missingColumn(String)
    /// The column is numeric in one table and categorical in the other.
    case kindMismatch(column: String, expected: String)
    /// The training rows hold no value of this column to take a mean or a most frequent value from.
    case noValues(column: String)

    /// The problem as one line, naming the column.
    public var description: String {
      switch self {
      case .missingCell(let column, let row):
        "row \(row + 1), column \"\(column)\": the cell is missing; drop such rows or fill them (--missing drop|mean)"
      case .missingColumn(let column): "no column \"\(column)\", which the model was trained on"
      case .kindMismatch(let column, let expected): "column \"\(column)\" should hold \(expected)"
      case .noValues(let column):
        "column \"\(column)\" has no values in the training rows, so there is nothing to fill its missing cells with; drop the column"
      }
    }
  }

  /// One entry per source column, in input order.
  public var columns: [ColumnEncoding]

  /// An encoding with these columns, in input order.
  public init(columns: [ColumnEncoding]) { self.columns = columns }

  /// The number of network inputs.
  public var inputCount: Int { columns.reduce(0) { $0 + $1.width } }

  /// The source columns' names, in order.
  public var columnNames: [String] { columns.map(\.name) }

  /// The name of each network input: a numeric column's name, or `column=category` for a
  /// one-hot input.
  public var inputNames: [String] {
    columns.flatMap { column -> [String] in
      switch column.kind {
      case .number: [column.name]
      case .oneHot(let categories, _): categories.map { "\(column.name)=\($0)" }
      }
    }
  }

  /// The positions of the one-hot inputs (which scaling leaves as 0/1).
  public var oneHotInputs: [Int] {
    var position = 0
    var result: [Int] = []
    for column in columns {
      if case .oneHot = column.kind { result += position..<(position + column.width) }
      position += column.width
    }
    return result
  }

  /// Whether the encoding changes nothing: numeric columns only, none with a fill value. A
  /// model file need not store such an encoding.
  public var isIdentity: Bool {
    columns.allSatisfy { $0.kind == .number(fill: nil) }
  }

  /// Fits the encoding on `rows` of `table` (nil: every row).
  ///
  ///     let encoding = try FeatureEncoding.fit(table, rows: trainRows, missing: .mean)
  ///
  /// - Parameters:
  ///   - table: the source columns.
  ///   - rows: the rows to fit on (the training rows); nil for every row.
  ///   - missing: ``MissingValues/mean`` fits fill values (training means and most
  ///     frequent categories); the other modes fit none, so a missing cell stays an error.
  /// - Throws: ``Problem/noValues(column:)`` when `.mean` finds a column with no value in `rows`.
  public static func fit(_ table: FeatureTable, rows: [Int]? = nil, missing: MissingValues = .error) throws(Problem) -> FeatureEncoding {
    let rows = rows ?? Array(0..<table.rowCount)
    var encodings: [ColumnEncoding] = []
    for (name, column) in zip(table.names, table.columns) {
      switch column {
      case .numbers(let values):
        var fill: Float?
        if missing == .mean {
          var (sum, count) = (0.0, 0)
          for row in rows where !values[row].isNaN {
            sum += Double(values[row])
            count += 1
          }
          guard count > 0 else { throw .noValues(column: name) }
          fill = Float(sum / Double(count))
        }
        encodings.append(ColumnEncoding(name: name, kind: .number(fill: fill)))
      case .categories(let codes, let names):
        var counts = [Int](repeating: 0, count: names.count)
        for row in rows where codes[row] >= 0 { counts[Int(codes[row])] += 1 }
        let seen = names.indices.filter { counts[$0] > 0 }.map { names[$0] }.sorted()
        var fill: String?
        if missing == .mean {
          // The most frequent category; a tie goes to the first in sorted order.
          guard let best = names.indices.filter({ counts[$0] > 0 }).max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && names[$0] > names[$1]) })
          else { throw .noValues(column: name) }
          fill = names[best]
        }
        encodings.append(ColumnEncoding(name: name, kind: .oneHot(categories: seen, fill: fill)))
      }
    }
    return FeatureEncoding(columns: encodings)
  }

  /// Encodes `rows` of `table` (nil: every row) as features `[rows, inputCount]`.
  ///
  ///     let (features, unseen) = try encoding.apply(to: table, rows: testRows)
  ///     unseen   // ["city": 2]: two cells held a city the training rows never showed
  ///
  /// - Parameters:
  ///   - table: columns named and ordered as ``columnNames`` (match them first).
  ///   - rows: the rows to encode; nil for every row.
  /// - Returns: the features; for each categorical column with unseen categories, how many
  ///   cells held one (encoded as all zeros); and how many missing cells were filled.
  /// - Throws: ``Problem``: a column of the wrong kind, or a missing cell with no fill value.
  public func apply(to table: FeatureTable, rows: [Int]? = nil) throws(Problem) -> (features: Tensor, unseen: [String: Int], filled: Int) {
    guard table.columnCount == columns.count else {
      let missing = columnNames.first { !table.names.contains($0) } ?? columnNames.last ?? ""
      throw .missingColumn(missing)
    }
    let rowCount = rows?.count ?? table.rowCount
    let width = inputCount
    var scalars = [Float](repeating: 0, count: rowCount * width)
    var unseen: [String: Int] = [:]
    var filled = 0
    var offset = 0
    for (encoding, column) in zip(columns, table.columns) {
      switch (encoding.kind, column) {
      case (.number(let fill), .numbers(let values)):
        for index in 0..<rowCount {
          let row = rows?[index] ?? index
          var value = values[row]
          if value.isNaN {
            guard let fill else { throw .missingCell(column: encoding.name, row: row) }
            value = fill
            filled += 1
          }
          scalars[index * width + offset] = value
        }
      case (.oneHot(let categories, let fill), .categories(let codes, let names)):
        // The table's own codes → positions in the fitted categories (nil: unseen).
        let position = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        let mapping = names.map { position[$0] }
        let fillPosition = fill.flatMap { position[$0] }
        for index in 0..<rowCount {
          let row = rows?[index] ?? index
          let code = codes[row]
          let target: Int?
          if code < 0 {
            guard fill != nil else { throw .missingCell(column: encoding.name, row: row) }
            target = fillPosition
            filled += 1
          } else {
            target = mapping[Int(code)]
            if target == nil { unseen[encoding.name, default: 0] += 1 }
          }
          if let target { scalars[index * width + offset + target] = 1 }
        }
      case (.oneHot(let categories, _), .numbers(let values)):
        // Categories that look like numbers (a column of 1/2/3 codes read as numbers in a
        // new file): match them as text.
        let position = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        var converted = FeatureTable.Column.numbers(values)
        if case .numbers(let numbers) = converted {
          var names: [String] = []
          var index: [String: Int32] = [:]
          let codes = numbers.map { value -> Int32 in
            guard !value.isNaN else { return -1 }
            let text = FeatureTable.categoryName(value)
            if let code = index[text] { return code }
            index[text] = Int32(names.count)
            names.append(text)
            return Int32(names.count - 1)
          }
          converted = .categories(codes: codes, names: names)
        }
        // A column of numbers that names no category is numbers, not categories (a column
        // left wholly empty reads as numbers too: it is all missing).
        let names = names(of: converted)
        guard names.isEmpty || names.contains(where: { position[$0] != nil }) || categories.isEmpty else {
          throw .kindMismatch(column: encoding.name, expected: "categories such as \"\(categories[0])\"")
        }
        let single = FeatureEncoding(columns: [encoding])
        let part = try single.apply(to: FeatureTable(names: [encoding.name], columns: [converted]), rows: rows)
        for index in 0..<rowCount {
          for k in 0..<encoding.width { scalars[index * width + offset + k] = part.features.scalars[index * encoding.width + k] }
        }
        unseen.merge(part.unseen, uniquingKeysWith: +)
        filled += part.filled
      case (.number, .categories):
        throw .kindMismatch(column: encoding.name, expected: "numbers")
      }
      offset += encoding.width
    }
    return (Tensor(shape: [rowCount, width], scalars: scalars), unseen, filled)
  }

  private func names(of column: FeatureTable.Column) -> [String] {
    if case .categories(_, let names) = column { return names }
    return []
  }
}

extension FeatureEncoding {
  /// The encoding as model files store it (`dendrite.columns`):
  /// `{"columns": [{"name": "rooms", "kind": "number", "fill": 3.2},
  /// {"name": "city", "kind": "one_hot", "categories": ["Lyon", "Paris"], "fill": "Paris"}]}`.
  public var json: JSONValue {
    .object([
      "columns": .array(columns.map { column in
        var fields: [String: JSONValue] = ["name": .string(column.name)]
        switch column.kind {
        case .number(let fill):
          fields["kind"] = "number"
          if let fill { fields["fill"] = .float(fill) }
        case .oneHot(let categories, let fill):
          fields["kind"] = "one_hot"
          fields["categories"] = .array(categories.map(JSONValue.string))
          if let fill { fields["fill"] = .string(fill) }
        }
        return .object(fields)
      })
    ])
  }

  /// Reads ``json``'s form back; nil when it is malformed (a fill that is not one of the
  /// categories, duplicate categories, a non-finite fill).
  public init?(json: JSONValue) {
    guard case .array(let items)? = json["columns"] else { return nil }
    var columns: [ColumnEncoding] = []
    for item in items {
      guard case .string(let name)? = item["name"], case .string(let kind)? = item["kind"] else { return nil }
      switch kind {
      case "number":
        var fill: Float?
        if let value = item["fill"] {
          guard case .number(let number) = value, Float(number).isFinite else { return nil }
          fill = Float(number)
        }
        columns.append(ColumnEncoding(name: name, kind: .number(fill: fill)))
      case "one_hot":
        guard case .array(let values)? = item["categories"] else { return nil }
        var categories: [String] = []
        for value in values {
          guard case .string(let category) = value else { return nil }
          categories.append(category)
        }
        guard Set(categories).count == categories.count else { return nil }
        var fill: String?
        if let value = item["fill"] {
          guard case .string(let category) = value, categories.contains(category) else { return nil }
          fill = category
        }
        columns.append(ColumnEncoding(name: name, kind: .oneHot(categories: categories, fill: fill)))
      default:
        return nil
      }
    }
    self.init(columns: columns)
  }
}
