/// Where a model's training data came from and how it was split, stored in model files as
/// `dendrite.dataset`: enough for `dendrite evaluate` to recognise the same data and score
/// only its held-out test rows.
///
///     DatasetRecord(name: "houses.csv", sha256: "9f86d0…", rowCount: 500, labelColumn: "price",
///                   seed: 42, testFraction: 0.2, validationFraction: 0.1, missing: .error)
///
/// A bundled data set is identified by its name (`sha256` nil), a file by its name and the
/// SHA-256 of its bytes, so a renamed copy is still recognised and an edited file is not.
public struct DatasetRecord: Sendable, Equatable {
  /// The bundled data set's name, or the file's name (without its folder).
  public var name: String
  /// The file's SHA-256 as 64 lowercase hex digits; nil for a bundled data set.
  public var sha256: String?
  /// The number of rows the data set had (before any were dropped for missing cells).
  public var rowCount: Int
  /// The label column (a header name, or an index from 0 as text); nil for bundled and IDX data.
  public var labelColumn: String?
  /// The seed of the split.
  public var seed: UInt64
  /// The share of rows held out for the test split.
  public var testFraction: Double
  /// The share of rows taken from the training part for validation.
  public var validationFraction: Double
  /// How missing cells were handled (rows dropped change which rows the split saw).
  public var missing: MissingValues

  /// A record of these values; each parameter sets the property of the same name.
  public init(
    name: String, sha256: String?, rowCount: Int, labelColumn: String?, seed: UInt64, testFraction: Double,
    validationFraction: Double, missing: MissingValues = .error
  ) {
    self.name = name
    self.sha256 = sha256
    self.rowCount = rowCount
    self.labelColumn = labelColumn
    self.seed = seed
    self.testFraction = testFraction
    self.validationFraction = validationFraction
    self.missing = missing
  }

  /// Whether it names a bundled data set.
  public var isBundled: Bool { sha256 == nil }

  /// The record as JSON (`{"name", "sha256", "rows", "label_column", "seed", "test_fraction",
  /// "validation_fraction", "missing"}`).
  public var json: JSONValue {
    var fields: [String: JSONValue] = [
      "name": .string(name), "rows": .number(Double(rowCount)), "seed": .string(String(seed)),
      "test_fraction": .number(testFraction), "validation_fraction": .number(validationFraction),
      "missing": .string(missing.rawValue),
    ]
    if let sha256 { fields["sha256"] = .string(sha256) }
    if let labelColumn { fields["label_column"] = .string(labelColumn) }
    return .object(fields)
  }

  /// Reads ``json``'s form back; nil when a field is missing or malformed.
  public init?(json: JSONValue) {
    guard case .string(let name)? = json["name"], case .number(let rows)? = json["rows"], let rowCount = Int(exactly: rows),
      case .string(let seedText)? = json["seed"], let seed = UInt64(seedText),
      case .number(let test)? = json["test_fraction"], case .number(let validation)? = json["validation_fraction"],
      case .string(let missingName)? = json["missing"], let missing = MissingValues(rawValue: missingName)
    else { return nil }
    var sha: String?
    if case .string(let digest)? = json["sha256"] { sha = digest }
    var label: String?
    if case .string(let column)? = json["label_column"] { label = column }
    self.init(
      name: name, sha256: sha, rowCount: rowCount, labelColumn: label, seed: seed, testFraction: test,
      validationFraction: validation, missing: missing)
  }
}
