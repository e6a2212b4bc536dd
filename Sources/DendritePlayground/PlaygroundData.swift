import Dendrite
import DendriteData

/// A session's data: the training and test parts as network inputs, and for a 2-D set the
/// raw points and how a point of the plane becomes inputs.
///
///     let data = try PlaygroundData(config: PlaygroundConfig())
///     data.train.count   // 250: half of the 500 circle points
struct PlaygroundData: Sendable {
  /// The training part, as the network sees it.
  var train: Dataset
  /// The test part, as the network sees it.
  var test: Dataset
  /// The inputs' names (`x1`, `x1sq`, … or the table's columns).
  var inputNames: [String]
  /// The number of classes; nil for regression.
  var classCount: Int?
  /// The classes' names, when the data set has them.
  var classNames: [String]?
  /// The scaling fitted on the training part (bundled tables), stored in exported files.
  var preprocessing: Preprocessing
  /// The features of a 2-D set; nil for a bundled table.
  var planarFeatures: [PlaygroundFeature]?
  /// `[x1, x2, label]` per training point (2-D sets only).
  var trainPoints: [[Float]]
  /// `[x1, x2, label]` per test point (2-D sets only).
  var testPoints: [[Float]]
  /// The rows of the whole data set (for the model file's record).
  var rowCount: Int

  /// Generates or loads the data of `config`, split by `trainRatio` with its seed.
  init(config: PlaygroundConfig) throws(PlaygroundError) {
    let testFraction = 1 - Double(config.trainRatio) / 100
    if config.dataset.isPlanar {
      let points = PlanarPoints(config.dataset, count: config.points, noise: config.noise, seed: config.seed)
      let features = points.features(config.features)
      let all: Dataset
      do {
        if let classCount = config.dataset.classCount {
          all = try Dataset(
            features: features, classIndices: points.labels.map { Int($0) }, classCount: classCount,
            name: config.dataset.rawValue, featureNames: config.features.map(\.rawValue))
        } else {
          all = try Dataset(
            features: features, targets: Tensor(shape: [points.labels.count, 1], scalars: points.labels),
            name: config.dataset.rawValue, featureNames: config.features.map(\.rawValue))
        }
      } catch {
        throw PlaygroundError("dataset: \(error.description)")
      }
      let rows = all.labels.splitRows(testFraction: testFraction, seed: config.seed)
      train = all.subset(rows.train)
      test = all.subset(rows.test)
      func pointRows(_ indices: [Int]) -> [[Float]] { indices.map { [points.x1[$0], points.x2[$0], points.labels[$0]] } }
      trainPoints = pointRows(rows.train)
      testPoints = pointRows(rows.test)
      inputNames = config.features.map(\.rawValue)
      classCount = config.dataset.classCount
      classNames = nil
      preprocessing = .none
      planarFeatures = config.features
      rowCount = all.count
    } else {
      let all: Dataset
      do {
        all = try Datasets.named(config.dataset.rawValue)
      } catch {
        throw PlaygroundError("dataset: \(error.description)")
      }
      let rows = all.labels.splitRows(testFraction: testFraction, seed: config.seed)
      let rawTrain = all.subset(rows.train)
      preprocessing = Preprocessing.fitStandardization(rawTrain.features)
      train = rawTrain.replacingFeatures(preprocessing.apply(rawTrain.features))
      let rawTest = all.subset(rows.test)
      test = rawTest.replacingFeatures(preprocessing.apply(rawTest.features))
      inputNames = all.featureNames ?? (0..<all.featureCount).map { "feature \($0 + 1)" }
      classCount = all.classCount
      classNames = all.classNames
      planarFeatures = nil
      trainPoints = []
      testPoints = []
      rowCount = all.count
    }
  }

  /// The network inputs at points of the plane (2-D sets only).
  func inputs(x1: [Float], x2: [Float]) -> Tensor? {
    planarFeatures.map { PlanarPoints.features($0, x1: x1, x2: x2) }
  }
}
