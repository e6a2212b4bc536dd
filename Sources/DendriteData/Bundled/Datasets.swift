import Dendrite

/// The real data sets bundled with the package, loaded with no download.
///
///     let digits = try Datasets.digits()                              // 1797 × 64, 10 classes
///     let (train, test) = digits.split(testFraction: 0.2, seed: 42)
///     let wine = try Datasets.named("wine")                           // by command-line name
///
/// Values are as the sources publish them, unscaled (MNIST pixels 0…255, breast-cancer
/// features up to 4254): standardise or scale them before training. iris, wine and
/// mnist5k are sorted by class; `Dataset.split(testFraction:seed:)` shuffles and
/// stratifies. Sources and licences: `DATA_LICENSES.md`.
///
/// Loading throws ``DataError/resourceBundleNotFound(searched:)`` when the package's
/// resource bundle is not beside the executable (a binary copied on its own).
public enum Datasets {
  /// The command-line names, in catalog order.
  ///
  ///     Datasets.names   // ["digits", "iris", "breast-cancer", "wine", "mnist5k"]
  public static var names: [String] { catalog.map(\.name) }

  /// What each bundled data set holds, without loading it.
  ///
  ///     Datasets.catalog.map(\.name)   // ["digits", "iris", "breast-cancer", "wine", "mnist5k"]
  public static var catalog: [DatasetInfo] {
    [
      DatasetInfo(
        name: "digits", samples: 1797, features: 64, classes: 10,
        description: "8×8 handwritten digits, pixel counts 0…16 (UCI optical digits test set); about 180 per class",
        license: "CC BY 4.0"),
      DatasetInfo(
        name: "iris", samples: 150, features: 4, classes: 3,
        description: "iris flowers, sepal and petal sizes in cm; setosa, versicolor, virginica, 50 each, sorted by class",
        license: "CC BY 4.0"),
      DatasetInfo(
        name: "breast-cancer", samples: 569, features: 30, classes: 2,
        description: "Wisconsin diagnostic cell-nucleus measurements, 0…4254; 0 malignant 212, 1 benign 357",
        license: "CC BY 4.0"),
      DatasetInfo(
        name: "wine", samples: 178, features: 13, classes: 3,
        description: "chemical analysis of wines from three cultivars, 0.13…1680; 59, 71, 48, sorted by class",
        license: "CC BY 4.0"),
      DatasetInfo(
        name: "mnist5k", samples: 5000, features: 784, classes: 10,
        description: "5000 MNIST 28×28 handwritten digits, pixels 0…255; 500 per class, sorted by class",
        license: "CC BY-SA 3.0"),
    ]
  }

  /// A bundled data set by its command-line name (case and `_`/`-` do not matter).
  ///
  ///     let data = try Datasets.named("breast-cancer")
  ///
  /// - Throws: ``DataError/unknownDataset(name:available:)``, listing the valid names.
  public static func named(_ name: String) throws(DataError) -> Dataset {
    switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
    case "digits": try digits()
    case "iris": try iris()
    case "breast-cancer": try breastCancer()
    case "wine": try wine()
    case "mnist5k": try mnist5k()
    default: throw DataError.unknownDataset(name: name, available: names)
    }
  }

  /// UCI optical recognition of handwritten digits (test set): 1797 rows, 64 features
  /// (8×8 pixel counts, integers 0…16), 10 classes of about 180 each.
  ///
  ///     let digits = try Datasets.digits()   // digits.featureNames?[0] == "pixel_0_0"
  public static func digits() throws(DataError) -> Dataset { try bundledCSV("digits") }

  /// Fisher's iris: 150 rows, 4 features (cm), 3 classes of 50, sorted by class
  /// (0 setosa, 1 versicolor, 2 virginica).
  ///
  ///     let iris = try Datasets.iris()
  public static func iris() throws(DataError) -> Dataset { try bundledCSV("iris") }

  /// Breast Cancer Wisconsin (Diagnostic): 569 rows, 30 features (0…4254), 2 classes:
  /// 0 malignant (212), 1 benign (357).
  ///
  ///     let cancer = try Datasets.breastCancer()   // name "breast-cancer"
  public static func breastCancer() throws(DataError) -> Dataset { try bundledCSV("breast_cancer", name: "breast-cancer") }

  /// UCI wine recognition: 178 rows, 13 features (0.13…1680), 3 classes (59, 71, 48),
  /// sorted by class.
  ///
  ///     let wine = try Datasets.wine()
  public static func wine() throws(DataError) -> Dataset { try bundledCSV("wine") }

  /// 5000 MNIST digits: 784 features, the raw pixels 0…255 as `Float` (not divided by
  /// 255), row by row; 10 classes of exactly 500, sorted by class.
  ///
  ///     let mnist = try Datasets.mnist5k()
  ///     let scaled = mnist.replacingFeatures(mnist.features / 255)
  public static func mnist5k() throws(DataError) -> Dataset {
    let images = try ResourceBundle.url(forResource: "mnist5k-images-idx3-ubyte.gz")
    let labels = try ResourceBundle.url(forResource: "mnist5k-labels-idx1-ubyte.gz")
    var data = try IDXLoader.load(imagesPath: images.path, labelsPath: labels.path)
    data.name = "mnist5k"
    return data
  }

  private static func bundledCSV(_ file: String, name: String? = nil) throws(DataError) -> Dataset {
    let url = try ResourceBundle.url(forResource: file + ".csv")
    let bytes = try FileReading.bytes(atPath: url.path)
    var data = try CSVLoader.load(bytes: bytes, fileName: file + ".csv", labelColumn: .last, task: .classification)
    data.name = name ?? file
    return data
  }
}
