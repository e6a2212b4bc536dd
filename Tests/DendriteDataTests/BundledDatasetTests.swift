import Dendrite
import DendriteData
import Testing

@Suite("Bundled data sets load with the README's counts")
struct BundledDatasetTests {
  @Test("digits: 1797 × 64, 10 classes, counts 178 182 177 183 181 182 181 179 174 180, pixels 0…16")
  func digits() throws {
    let data = try Datasets.digits()
    #expect(data.name == "digits")
    #expect(data.features.shape == [1797, 64])
    #expect(data.classCount == 10)
    #expect(classCounts(data) == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    #expect(data.featureNames?.count == 64)
    #expect(data.featureNames?.first == "pixel_0_0")
    #expect(data.features.scalars.min() == 0)
    #expect(data.features.scalars.max() == 16)
    #expect(Array(data.features.scalars.prefix(4)) == [0, 0, 5, 13])
  }

  @Test("iris: 150 × 4, 3 classes of 50, sorted, first row 5.1 3.5 1.4 0.2")
  func iris() throws {
    let data = try Datasets.iris()
    #expect(data.name == "iris")
    #expect(data.features.shape == [150, 4])
    #expect(classCounts(data) == [50, 50, 50])
    #expect(data.classIndices?.first == 0 && data.classIndices?.last == 2)
    #expect(data.featureNames == ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"])
    #expect(Array(data.features.scalars.prefix(4)) == [5.1, 3.5, 1.4, 0.2])
  }

  @Test("breast-cancer: 569 × 30, 212 malignant (0) and 357 benign (1)")
  func breastCancer() throws {
    let data = try Datasets.breastCancer()
    #expect(data.name == "breast-cancer")
    #expect(data.features.shape == [569, 30])
    #expect(classCounts(data) == [212, 357])
    #expect(data.featureNames?.first == "mean radius")
    #expect(data.features.scalars.max() == 4254)
  }

  @Test("wine: 178 × 13, classes 59 71 48, names include od280/od315_of_diluted_wines")
  func wine() throws {
    let data = try Datasets.wine()
    #expect(data.name == "wine")
    #expect(data.features.shape == [178, 13])
    #expect(classCounts(data) == [59, 71, 48])
    #expect(data.featureNames?.first == "alcohol")
    #expect(data.featureNames?.contains("od280/od315_of_diluted_wines") == true)
    #expect(data.features.scalars[12] == 1065)
  }

  @Test("mnist5k: 5000 × 784 raw pixels 0…255, exactly 500 of each digit, sorted")
  func mnist5k() throws {
    let data = try Datasets.mnist5k()
    #expect(data.name == "mnist5k")
    #expect(data.sampleShape == [1, 28, 28])
    #expect(data.features.shape == [5000, 784])
    #expect(classCounts(data) == [Int](repeating: 500, count: 10))
    #expect(data.classIndices?[499] == 0 && data.classIndices?[500] == 1)
    #expect(data.features.scalars.min() == 0)
    #expect(data.features.scalars.max() == 255)
    #expect(data.features.scalars.allSatisfy { $0 == $0.rounded() })
    #expect(data.featureNames == nil)
  }

  @Test("the catalog matches what loading gives, and named(_:) loads each entry")
  func catalogMatchesData() throws {
    #expect(Datasets.catalog.map(\.name) == ["digits", "iris", "breast-cancer", "wine", "mnist5k"])
    for info in Datasets.catalog {
      let data = try Datasets.named(info.name)
      #expect(data.name == info.name)
      #expect(data.count == info.samples, "\(info.name)")
      #expect(data.featureCount == info.features, "\(info.name)")
      #expect(data.classCount == info.classes, "\(info.name)")
      #expect(!info.description.isEmpty && !info.license.isEmpty)
    }
  }

  @Test("named(_:) ignores case and underscores, and an unknown name lists the valid ones")
  func namedLookup() throws {
    #expect(try Datasets.named("Breast_Cancer").count == 569)
    #expect(throws: DataError.unknownDataset(name: "cifar10", available: Datasets.names)) {
      try Datasets.named("cifar10")
    }
    let message = DataError.unknownDataset(name: "cifar10", available: Datasets.names).description
    #expect(message == "unknown data set \"cifar10\"; the bundled ones are digits, iris, breast-cancer, wine, mnist5k (or give a .csv or IDX file)")
  }

  @Test("a missing resource bundle is an error that says what to copy")
  func missingBundleMessage() {
    let message = DataError.resourceBundleNotFound(searched: ["/opt/bin"]).description
    #expect(message.hasPrefix("the bundled data sets are missing: no Dendrite_DendriteData."))
    #expect(message.contains("searched /opt/bin"))
  }
}

/// The number of rows in each class.
func classCounts(_ data: Dataset) -> [Int] {
  var counts = [Int](repeating: 0, count: data.classCount ?? 0)
  for label in data.classIndices ?? [] { counts[label] += 1 }
  return counts
}
