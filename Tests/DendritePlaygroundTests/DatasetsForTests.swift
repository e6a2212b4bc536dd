import Dendrite
import DendriteData

@testable import DendritePlayground

/// A bundled set's raw test rows, as the session split them, for comparing with a model file.
enum DatasetsForTests {
  static func raw(_ name: String, rows config: PlaygroundConfig) throws -> Tensor {
    let all = try Datasets.named(name)
    let split = all.labels.splitRows(testFraction: 1 - Double(config.trainRatio) / 100, seed: config.seed)
    return all.subset(split.test).features
  }
}
