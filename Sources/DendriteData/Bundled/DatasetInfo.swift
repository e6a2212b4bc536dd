/// A bundled data set's vital statistics, known without loading it (`dendrite datasets`).
///
///     for info in Datasets.catalog {
///       print(info.name, info.samples, info.features, info.classes, info.description)
///     }
public struct DatasetInfo: Sendable, Equatable, Codable {
  /// The name ``Datasets/named(_:)`` and the command line take: `digits`, `breast-cancer`, ….
  public var name: String
  /// The number of rows.
  public var samples: Int
  /// The number of features per row.
  public var features: Int
  /// The number of classes.
  public var classes: Int
  /// One line: what the rows are, what the features are, how the classes are balanced.
  public var description: String
  /// The data's licence, as in `DATA_LICENSES.md`.
  public var license: String

  /// Describes a data set.
  ///
  ///     let info = DatasetInfo(name: "xor", samples: 4, features: 2, classes: 2, description: "XOR", license: "none")
  public init(name: String, samples: Int, features: Int, classes: Int, description: String, license: String) {
    self.name = name
    self.samples = samples
    self.features = features
    self.classes = classes
    self.description = description
    self.license = license
  }
}
