import Dendrite
import Testing

@testable import DendritePlayground

@Suite struct PlaygroundConfigTests {
  @Test func defaultsFollowTheDocument() throws {
    let config = try PlaygroundConfig(hash: "")
    #expect(config.dataset == .circle)
    #expect(config.loss == .sigmoidCrossEntropy)
    #expect(config.activations == [.tanh])
    #expect(config.outputActivation == nil)
    #expect(config.layers == [4, 2])
    #expect(config.learningRate == 0.03)
    #expect(config.batchSize == 10)
    #expect(config.optimizer == .sgd)
    #expect(config.initialization == .glorot)
    #expect(config.noise == 0)
    #expect(config.trainRatio == 50)
    #expect(config.points == 500)
    #expect(config.features == [.x1, .x2])
    #expect(config.regularization == PlaygroundRegularization.none)
    #expect(config.regularizationRate == 0)
    #expect(config.dropout == 0)
    #expect(config.seed == 1)
    #expect(config.compare == nil && config.compareWith == nil && config.preset == nil)
    #expect(!config.play)
  }

  @Test func lossDefaultsFromTheDataSet() throws {
    #expect(try PlaygroundConfig(hash: "dataset=gauss3").loss == .softmaxCrossEntropy)
    #expect(try PlaygroundConfig(hash: "dataset=plane").loss == .meanSquaredError)
    #expect(try PlaygroundConfig(hash: "dataset=digits").loss == .softmaxCrossEntropy)
    #expect(try PlaygroundConfig(hash: "dataset=breast-cancer").loss == .sigmoidCrossEntropy)
  }

  @Test func readsAHash() throws {
    let config = try PlaygroundConfig(
      hash: "#dataset=xor&loss=mse&layers=4,2&activation=relu%2Ctanh&learningRate=0.1&features=x1,x2,x1x2&seed=7&play=1")
    #expect(config.dataset == .xor)
    #expect(config.loss == .meanSquaredError)
    #expect(config.activations == [.relu, .tanh])
    #expect(config.activation(ofLayer: 1) == .tanh)
    #expect(config.learningRate == 0.1)
    #expect(config.features == [.x1, .x2, .x1x2])
    #expect(config.seed == 7)
    #expect(config.play)
    #expect(try PlaygroundConfig(hash: "layers=").layers == [])
  }

  @Test func readsStringsAndNumbersAlike() throws {
    let strings = try PlaygroundConfig(json: ["learningRate": "0.03", "batchSize": "25", "noise": "10", "seed": "3"])
    let numbers = try PlaygroundConfig(json: ["learningRate": 0.03, "batchSize": 25, "noise": 10, "seed": 3])
    #expect(strings == numbers)
    #expect(numbers.batchSize == 25 && numbers.noise == 10 && numbers.seed == 3)
    #expect(try PlaygroundConfig(json: ["play": true]).play)
  }

  @Test func roundTripsThroughJSONAndHash() throws {
    let config = try PlaygroundConfig(
      hash: "dataset=spiral&loss=binary-cross-entropy&outputActivation=sigmoid&layers=8,6,4&activation=relu,tanh,elu"
        + "&learningRate=0.3&batchSize=17&optimizer=adam&init=he&noise=35&trainRatio=70&points=800"
        + "&features=x1,sinx2,x1sq&regularization=l2&regularizationRate=0.001&dropout=0.25&seed=99"
        + "&compare=activation&compareWith=sigmoid&play=1")
    #expect(try PlaygroundConfig(json: config.json) == config)
    #expect(try PlaygroundConfig(hash: config.hash) == config)
    #expect(config.json["layers"] == "8,6,4")
    #expect(config.json["learningRate"] == 0.3)
    let preset = try PlaygroundConfig(hash: "preset=init-normal-vs-he&seed=5")
    #expect(try PlaygroundConfig(json: preset.json) == preset)
    #expect(try PlaygroundConfig(hash: PlaygroundConfig().hash) == PlaygroundConfig())
  }

  @Test func compareWithDefaultsFromTheComparison() throws {
    #expect(try PlaygroundConfig(hash: "compare=loss").compareWith == "mse")
    #expect(try PlaygroundConfig(hash: "compare=activation").compareWith == "relu")
    #expect(try PlaygroundConfig(hash: "compare=init").compareWith == "normal")
    #expect(try PlaygroundConfig(hash: "compareWith=relu").compareWith == nil)
  }

  /// Every limit and bad value is refused with a message that names the key and the limit.
  @Test(arguments: [
    ("layers=4,4,4,4,4,4,4,4,4", "layers: at most 8 hidden layers"),
    ("layers=65", "layers: at most 64 units per layer"),
    ("layers=4,0", "layers: widths are whole numbers from 1 to 64"),
    ("layers=a", "layers: widths are whole numbers from 1 to 64"),
    ("batchSize=0", "batchSize: a whole number from 1 to 1000"),
    ("batchSize=1001", "batchSize: a whole number from 1 to 1000"),
    ("batchSize=2.5", "batchSize: a whole number from 1 to 1000"),
    ("learningRate=0", "learningRate: must be above 0 and at most 10"),
    ("learningRate=10.5", "learningRate: must be above 0 and at most 10"),
    ("learningRate=nan", "learningRate: expected a number"),
    ("points=1001", "points: a whole number from 10 to 1000"),
    ("noise=51", "noise: a whole number from 0 to 50"),
    ("trainRatio=95", "trainRatio: a whole number from 10 to 90"),
    ("dropout=1", "dropout: must be at least 0 and below 1"),
    ("regularizationRate=-1", "regularizationRate: must be at least 0"),
    ("seed=-1", "seed: a whole number from 0 to"),
    ("dataset=moons", "dataset: unknown value moons"),
    ("loss=hinge", "loss: unknown value hinge"),
    ("activation=softmax", "activation: unknown activation softmax"),
    ("layers=4,2&activation=relu,tanh,elu", "activation: 3 activations for 2 hidden layers"),
    ("outputActivation=tanh", "outputActivation: unknown value tanh"),
    ("optimizer=adagrad", "optimizer: unknown value adagrad"),
    ("init=zeros", "init: unknown value zeros"),
    ("features=x3", "features: unknown feature x3"),
    ("regularization=l3", "regularization: unknown value l3"),
    ("compare=optimizer", "compare: unknown value optimizer"),
    ("compare=loss&compareWith=relu", "compareWith: unknown loss relu"),
    ("compare=activation&compareWith=mse", "compareWith: unknown activation mse"),
    ("compare=init&compareWith=zeros", "compareWith: unknown init zeros"),
    ("preset=fast", "preset: unknown preset fast"),
    ("play=2", "play: 0 or 1"),
    ("speed=3", "speed: unknown key"),
    ("dataset=gauss3&loss=sigmoid-cross-entropy", "loss: sigmoid-cross-entropy needs two classes, but gauss3 has 3"),
    ("dataset=plane&loss=softmax-cross-entropy", "loss: softmax-cross-entropy needs classes, but plane is a regression"),
    ("dataset=iris&compare=loss&compareWith=binary-cross-entropy", "compareWith: binary-cross-entropy needs two classes"),
    ("dataset", "dataset: expected key=value"),
  ])
  func refusesWithTheKeyAndTheLimit(hash: String, message: String) {
    #expect {
      _ = try PlaygroundConfig(hash: hash)
    } throws: { error in
      (error as? PlaygroundError)?.description.hasPrefix(message) == true
    }
  }

  @Test func refusesNonObjectsAndNestedValues() {
    #expect(throws: PlaygroundError.self) { try PlaygroundConfig(json: "dataset=xor") }
    #expect(throws: PlaygroundError.self) { try PlaygroundConfig(json: ["layers": [4, 2]]) }
  }

  @Test func limitsAreTheDocumented() {
    #expect(PlaygroundLimits.maximumHiddenLayers == 8)
    #expect(PlaygroundLimits.maximumUnitsPerLayer == 64)
    #expect(PlaygroundLimits.maximumPoints == 1_000)
    #expect(PlaygroundLimits.maximumBatchSize == 1_000)
    #expect(PlaygroundLimits.maximumLearningRate == 10)
    #expect(PlaygroundLimits.maximumFramesPerSecond == 30)
    #expect(PlaygroundLimits.maximumStepsPerSecond == 2_000)
    #expect(PlaygroundLimits.maximumMessageBytes == 16_384)
    #expect(PlaygroundLimits.maximumSessions == 64)
  }

  @Test(arguments: PlaygroundPreset.allCases)
  func presetsLoadAndOtherKeysOverride(preset: PlaygroundPreset) throws {
    let config = try PlaygroundConfig(hash: "preset=\(preset.rawValue)")
    #expect(config.preset == preset)
    #expect(config.compare != nil)
    let race = try PlaygroundRace(config: config)
    #expect(race.frame(includePoints: false)["b"] != nil)
    let overridden = try PlaygroundConfig(hash: "preset=\(preset.rawValue)&learningRate=0.5&seed=9")
    #expect(overridden.learningRate == 0.5 && overridden.seed == 9)
    #expect(overridden.layers == config.layers)
  }

  @Test func presetsSetTheStudysChoices() throws {
    let saturated = try PlaygroundConfig(hash: "preset=saturated-neuron")
    #expect(saturated.layers == [] && saturated.outputActivation == .sigmoid && saturated.loss == .meanSquaredError)
    #expect(saturated.compare == .loss && saturated.compareWith == "binary-cross-entropy")
    let deep = try PlaygroundConfig(hash: "preset=deep-sigmoid")
    #expect(deep.activations == [.sigmoid] && deep.layers.count == 6)
    let initRace = try PlaygroundConfig(hash: "preset=init-normal-vs-he")
    #expect(initRace.initialization == .normal && initRace.compare == .`init` && initRace.compareWith == "he")
    // A data set that the preset's loss does not suit gets its default loss.
    #expect(try PlaygroundConfig(hash: "preset=deep-sigmoid&dataset=gauss3").loss == .softmaxCrossEntropy)
  }
}

@Suite struct PlaygroundConfigInCodeTests {
  @Test func aSessionChecksAConfigBuiltInCode() {
    var config = PlaygroundConfig()
    config.layers = [4, 100]
    #expect(throws: PlaygroundError("layers: at most 64 units per layer (got 100)")) { try PlaygroundSession(config: config) }
    config = PlaygroundConfig()
    config.batchSize = 0
    #expect(throws: PlaygroundError("batchSize: a whole number from 1 to 1000 (got 0)")) { try PlaygroundSession(config: config) }
    config = PlaygroundConfig()
    config.dropout = 1
    #expect(throws: PlaygroundError.self) { try PlaygroundSession(config: config) }
    config = PlaygroundConfig()
    config.dataset = .gauss3
    #expect(throws: PlaygroundError.self) { try PlaygroundSession(config: config) }
  }
}
