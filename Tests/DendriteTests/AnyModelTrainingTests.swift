import Dendrite
import Foundation
import Testing

// Everything here goes through the public API only: custom layers and models as a user
// writes them.

/// y = x ⊙ s: a custom layer with just the three requirements of `Layer`.
struct Scale: Layer {
  var scale: Tensor
  func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor { input * scale }
  var parameterNames: [String] { ["scale"] }
  var parameterValues: [Tensor] {
    get { [scale] }
    set { scale = newValue[0] }
  }
}

/// y = x·P with a trainable P `[in, out]`: changes the width, and can be saved.
struct Projection: SavableLayer {
  var matrix: Tensor
  init(matrix: Tensor) { self.matrix = matrix }
  func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor { matmul(input, matrix) }
  var parameterNames: [String] { ["matrix"] }
  var parameterValues: [Tensor] {
    get { [matrix] }
    set { matrix = newValue[0] }
  }
  static var typeName: String { "projection" }
  var configuration: JSONValue { ["in": .number(Double(matrix.shape[0])), "out": .number(Double(matrix.shape[1]))] }
  init(configuration: JSONValue, parameters: [String: Tensor]) throws {
    guard let matrix = parameters["matrix"], configuration["in"] == .number(Double(matrix.shape[0])) else {
      throw ProjectionError()
    }
    self.matrix = matrix
  }
  struct ProjectionError: Error, CustomStringConvertible {
    var description: String { "the configuration does not match the matrix" }
  }
}

/// A model that is not a Sequential: y = head(x + body(x)), a skip connection.
struct SkipModel: SavableLayer {
  var body: Dense
  var head: Dense
  init(seed: UInt64) {
    body = Dense(inputSize: 4, outputSize: 4, activation: .tanh, seed: seed)
    head = Dense(inputSize: 4, outputSize: 3, seed: seed + 1)
  }
  func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    head.forward(input + body.forward(input, context: &context), context: &context)
  }
  var parameterNames: [String] { ["body.weight", "body.bias", "head.weight", "head.bias"] }
  var parameterValues: [Tensor] {
    get { body.parameterValues + head.parameterValues }
    set {
      body.parameterValues = Array(newValue[0..<2])
      head.parameterValues = Array(newValue[2..<4])
    }
  }
  static var typeName: String { "skip-model" }
  var configuration: JSONValue { [:] }
  init(configuration: JSONValue, parameters: [String: Tensor]) throws {
    guard let w1 = parameters["body.weight"], let b1 = parameters["body.bias"], let w2 = parameters["head.weight"],
      let b2 = parameters["head.bias"]
    else { throw Projection.ProjectionError() }
    body = Dense(weight: w1, bias: b1, activation: .tanh)
    head = Dense(weight: w2, bias: b2)
  }
}

/// Three classes of four features, separable but not trivially.
func threeClassData(rows: Int = 60, seed: UInt64 = 7) throws -> Dataset {
  var generator = RandomGenerator(seed: seed)
  var features: [Float] = []
  var labels: [Int] = []
  for row in 0..<rows {
    let label = row % 3
    for feature in 0..<4 {
      features.append(Float(label == feature % 3 ? 1 : -0.5) + generator.nextUnitFloat() - 0.5)
    }
    labels.append(label)
  }
  return try Dataset(features: Tensor(shape: [rows, 4], scalars: features), classIndices: labels, classCount: 3, name: "toy")
}

@Suite("Any model trains: custom layers, other model types, one training path")
struct AnyModelTrainingTests {
  @Test("a custom layer with only the three requirements trains with fit and Trainer")
  func minimalCustomLayer() throws {
    let data = try threeClassData()
    var model = Sequential(seed: 1) {
      Scale(scale: Tensor(repeating: 1, shape: [4]))
      Dense(inputSize: 4, outputSize: 3)
    }
    #expect(model.parameterNames == ["0.scale", "1.weight", "1.bias"])
    let before = model.evaluate(data, loss: .softmaxCrossEntropy)["loss"] ?? .nan
    var optimizer = SGD(learningRate: 0.1)
    let history = try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 20, batchSize: 10)
    #expect(history.trainingPath == .tape(reason: "layer 0 (Scale) is a custom layer"))
    let after = model.evaluate(data, loss: .softmaxCrossEntropy)["loss"] ?? .nan
    #expect(after < 0.5 * before)
    #expect(model.parameters["0.scale"] != Tensor(repeating: 1, shape: [4]))

    let trainer = Trainer(model: model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1))
    #expect(!trainer.isFused)
    let first = try trainer.step(inputs: data.features, labels: data.labels)
    #expect(first == (model.evaluate(data, loss: .softmaxCrossEntropy, batchSize: 1000)["loss"] ?? .nan))
    #expect(trainer.model.parameters["0.scale"] != model.parameters["0.scale"])
  }

  @Test("a width-changing custom layer before Dense trains with fit and Trainer")
  func projectionBeforeDense() throws {
    let data = try threeClassData()
    var generator = RandomGenerator(seed: 3)
    let matrix = Tensor(shape: [4, 8], scalars: (0..<32).map { _ in generator.nextUnitFloat() - 0.5 })
    var model = Sequential(seed: 2) {
      Projection(matrix: matrix)
      Dense(inputSize: 8, outputSize: 3)
    }
    let before = model.evaluate(data, loss: .softmaxCrossEntropy)["loss"] ?? .nan
    var optimizer = Adam(learningRate: 0.05)
    let history = try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 15, batchSize: 10)
    #expect(history["loss"].count == 15)
    #expect((history["accuracy"].last ?? 0) > 0.9)
    #expect((model.evaluate(data, loss: .softmaxCrossEntropy)["loss"] ?? .nan) < 0.5 * before)

    let trainer = Trainer(model: model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1))
    let losses = try (0..<5).map { _ in try trainer.step(inputs: data.features, labels: data.labels) }
    #expect(losses[4] < losses[0])
  }

  @Test("a model that is not a Sequential trains with fit, early stopping and a checkpoint")
  func skipConnectionModel() throws {
    let data = try threeClassData()
    let (train, validation) = data.split(testFraction: 0.25, seed: 1)
    var model = SkipModel(seed: 5)
    let start = model.evaluate(validation, loss: .softmaxCrossEntropy)["loss"] ?? .nan
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dendrite-skip-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("best.safetensors").path
    let checkpoint = ModelCheckpoint(path: path, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: .none)
    let stopper = EarlyStopping(monitor: "val_loss", patience: 3, minimumDelta: 1e-3, restoreBestWeights: true)
    var optimizer = SGD(learningRate: 0.2, momentum: 0.9)
    let history = try model.fit(
      train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 200, batchSize: 9, validation: validation,
      callbacks: [checkpoint, stopper])
    #expect(history.trainingPath == .tape(reason: "SkipModel is not a Sequential"))
    #expect(history.count < 200)  // early stopping fired
    let best = try #require(stopper.best)
    // The best weights are back: the validation loss is the best epoch's.
    let restored = model.evaluate(validation, loss: .softmaxCrossEntropy)["loss"] ?? .nan
    #expect(abs(restored - best.value) <= 1e-5 * max(1, abs(best.value)))
    #expect(restored < 0.5 * start)
    // The checkpoint holds the model of the lowest validation loss (saved on any
    // improvement, so at least as good as early stopping's best), wrapped as module 0 of a Sequential.
    let file = try ModelFile.load(from: path, customLayers: [SkipModel.self])
    #expect(file.model.parameterNames == ["0.body.weight", "0.body.bias", "0.head.weight", "0.head.bias"])
    let saved = file.model.evaluate(validation, loss: .softmaxCrossEntropy)["loss"] ?? .nan
    #expect(saved <= restored + 1e-6)
    #expect(file.training?["val_loss"] == .float(saved))
    #expect(file.optimizer?.name == "momentum")
    #expect(file.inputSize == 4 && file.outputSize == 3)
  }

  @Test("widths that do not fit are thrown before training, naming the layer and both widths")
  func widthMismatches() throws {
    let data = try threeClassData()
    var optimizer = SGD(learningRate: 0.1)
    func message(_ model: Sequential, loss: Loss = .softmaxCrossEntropy) -> String? {
      var model = model
      do {
        try model.fit(data, loss: loss, optimizer: &optimizer, epochs: 1)
        return nil
      } catch {
        return (error as? TrainingError).map(\.description)
      }
    }
    let inner = message(Sequential { Dense(inputSize: 4, outputSize: 8, activation: .relu); Dense(inputSize: 6, outputSize: 3) })
    #expect(inner?.contains("layer 1 (Dense 6 → 3) takes 6 features but gets 8 features") == true)
    let first = message(Sequential { Dense(inputSize: 5, outputSize: 3) })
    #expect(first == "toy has 4 features, but layer 0 (Dense 5 → 3) takes 5 features but gets 4 features")
    let afterCustom = message(Sequential {
      Projection(matrix: Tensor.zeros(shape: [4, 8]))
      Dense(inputSize: 4, outputSize: 3)
    })
    #expect(afterCustom?.contains("layer 1 (Dense 4 → 3) takes 4 features but gets 8 features") == true)
    let insideCustom = message(Sequential {
      Projection(matrix: Tensor.zeros(shape: [6, 8]))
      Dense(inputSize: 8, outputSize: 3)
    })
    #expect(insideCustom?.contains("layer 0 (Projection) multiplies [1, 4] by [6, 8]") == true)
    var skip = SkipModel(seed: 1)
    skip.body = Dense(inputSize: 4, outputSize: 5, seed: 1)
    var skipOptimizer = SGD(learningRate: 0.1)
    #expect(throws: TrainingError.dataMismatch(
      "toy has 4 features, but the model combines shapes [1, 4] and [1, 5], which do not broadcast")
    ) { try skip.fit(data, loss: .softmaxCrossEntropy, optimizer: &skipOptimizer, epochs: 1) }
    let outputs = message(Sequential { Dense(inputSize: 4, outputSize: 2) })
    #expect(outputs == "toy has 3 classes but the model has 2 outputs (expected 3)")

    let trainer = Trainer(model: Sequential { Dense(inputSize: 5, outputSize: 3) }, loss: .softmaxCrossEntropy,
                          optimizer: SGD(learningRate: 0.1))
    #expect(throws: TrainingError.self) { try trainer.step(inputs: data.features, labels: data.labels) }
  }

  @Test("Trainer has the NaN guard and clipping on both paths")
  func trainerGuardAndClipping() throws {
    let classes = try threeClassData()
    let data = try Dataset(features: classes.features, targets: classes.features * 3, name: "targets")
    for fused in [true, false] {
      let model = Sequential(seed: 3) { Dense(inputSize: 4, outputSize: 4) }
      let trainer = Trainer(
        model: model, loss: .meanSquaredError, optimizer: SGD(learningRate: 1e3), useFusedKernels: fused)
      #expect(trainer.isFused == fused)
      var caught: TrainingError?
      for _ in 0..<10 where caught == nil {
        do { try trainer.step(inputs: data.features, labels: data.labels) } catch { caught = error as? TrainingError }
      }
      guard case .diverged? = caught else {
        Issue.record("no divergence error (fused: \(fused)): \(String(describing: caught)) \(trainer.model.parameterValues)")
        continue
      }
      // Clipping: a step of plain SGD moves the parameters by at most η·maxNorm.
      let clipped = Trainer(
        model: model, loss: .meanSquaredError, optimizer: SGD(learningRate: 1), clipGradientNorm: 0.01,
        useFusedKernels: fused)
      try clipped.step(inputs: data.features, labels: data.labels)
      let moved = zip(clipped.model.parameterValues, model.parameterValues).map { after, before in
        (after - before).scalars.reduce(0) { $0 + $1 * $1 }
      }.reduce(0, +).squareRoot()
      #expect(abs(moved - 0.01) < 1e-4)
    }
  }
}

@Suite("fused and tape paths agree for every loss and optimizer")
struct FusedVersusTapeTests {
  /// Each loss with its sensible output activation and labels.
  static func setUp(_ loss: Loss) throws -> (model: Sequential, data: Dataset) {
    let classes = try threeClassData(rows: 48)
    let binaryLabels = (0..<classes.count).map { $0 % 2 }
    let binary = try Dataset(features: classes.features, classIndices: binaryLabels, classCount: 2, name: "binary")
    let targets = Tensor(shape: [classes.count, 2], scalars: (0..<(2 * classes.count)).map { Float($0 % 7) / 7 - 0.3 })
    let regression = try Dataset(features: classes.features, targets: targets, name: "regression")
    func model(_ outputs: Int, _ activation: Activation) -> Sequential {
      Sequential(seed: 11) {
        Dense(inputSize: 4, outputSize: 6, activation: .tanh)
        Dense(inputSize: 6, outputSize: 5)
        ActivationLayer(.relu)
        Dense(inputSize: 5, outputSize: outputs, activation: activation)
      }
    }
    switch loss {
    case .meanSquaredError, .meanAbsoluteError, .huber: return (model(2, .linear), regression)
    case .binaryCrossEntropy: return (model(1, .sigmoid), binary)
    case .sigmoidCrossEntropy: return (model(1, .linear), binary)
    case .categoricalCrossEntropy: return (model(3, .softmax), classes)
    case .softmaxCrossEntropy: return (model(3, .linear), classes)
    case .negativeLogLikelihood: return (model(3, .logSoftmax), classes)
    }
  }

  @Test("three epochs give the same history on both paths", arguments: Loss.allCases)
  func histories(loss: Loss) throws {
    let (model, data) = try Self.setUp(loss)
    let optimizers: [any Optimizer] = [SGD(learningRate: 0.05), SGD.momentum(learningRate: 0.05), Adam(learningRate: 0.01)]
    for optimizer in optimizers {
      func train(fused: Bool) throws -> History {
        var model = model
        var optimizer = optimizer
        return try model.fit(data, loss: loss, optimizer: &optimizer, epochs: 3, batchSize: 8, useFusedKernels: fused)
      }
      let fused = try train(fused: true)
      let tape = try train(fused: false)
      #expect(tape.trainingPath == .tape(reason: "fused kernels turned off"))
      #expect(fused.trainingPath == .fused)
      #expect(fused.count == 3 && tape.count == 3)
      for (a, b) in zip(fused.epochs, tape.epochs) {
        #expect(Set(a.keys) == Set(b.keys))
        for (key, value) in a {
          let other = b[key] ?? .nan
          let scale = max(abs(value), abs(other), 1e-3)
          #expect(abs(value - other) / scale <= 1e-4, "\(loss) \(optimizer.name) \(key): \(value) vs \(other)")
        }
      }
    }
  }
}

extension FusedVersusTapeTests {
  @Test("the path and its reason are visible in Trainer and History")
  func pathReasons() throws {
    func path(_ layers: [any Layer]) -> TrainingPath {
      Trainer(model: Sequential(layers: layers), loss: .categoricalCrossEntropy, optimizer: SGD(learningRate: 0.1)).path
    }
    let dense = Dense(inputSize: 4, outputSize: 3)
    #expect(path([dense, ActivationLayer(.softmax)]) == .fused)
    #expect(path([dense, Dropout(rate: 0), ActivationLayer(.tanh)]) == .fused)
    #expect(path([Dense(inputSize: 4, outputSize: 3, activation: .softmax), Dense(inputSize: 3, outputSize: 3)])
      == .tape(reason: "layer 1 (Dense 3 → 3) follows the softmax output"))
    #expect(path([dense, Dropout(rate: 0.5)]) == .tape(reason: "layer 1 (Dropout 0.5) draws random masks"))
    #expect(path([Dense(inputSize: 4, outputSize: 3, activation: .gelu)])
      == .tape(reason: "layer 0 (Dense 4 → 3, gelu): gelu is not one of the fused activations"))
    #expect(path([dense, ActivationLayer(.relu), ActivationLayer(.tanh)])
      == .tape(reason: "layer 2 (ActivationLayer tanh) does not directly follow a linear Dense layer"))
    #expect(path([Sequential(layers: [dense])]) == .tape(reason: "layer 0 (Sequential) is a nested Sequential"))
    #expect(path([Unflatten(shape: [1, 2, 2]), Conv2D(inChannels: 1, outChannels: 1, kernelSize: 2), Flatten(), Dense(inputSize: 1, outputSize: 3)])
      == .tape(reason: "layer 0 (Unflatten) has no fused kernel"))
    #expect(path([dense, BatchNorm(featureCount: 3)]) == .tape(reason: "layer 1 (BatchNorm) has no fused kernel"))
    let tape = Trainer(model: SkipModel(seed: 1), loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1))
    #expect(tape.path == .tape(reason: "SkipModel is not a Sequential"))
    #expect(tape.path.description == "tape (SkipModel is not a Sequential)")
  }
}

@Suite("gradient flow measures the model as it runs")
struct GradientFlowOfAnyModelTests {
  @Test("inline and separate activations give the same figures, and the loss is the model's")
  func inlineVersusSeparate() throws {
    let data = try threeClassData()
    let inline = Sequential(seed: 4) {
      Dense(inputSize: 4, outputSize: 8, activation: .sigmoid)
      Dense(inputSize: 8, outputSize: 3)
    }
    let separate = Sequential(layers: [
      Dense(weight: inline.parameterValues[0], bias: inline.parameterValues[1]),
      ActivationLayer(.sigmoid),
      Dense(weight: inline.parameterValues[2], bias: inline.parameterValues[3]),
    ])
    let a = GradientFlowSnapshot.measure(model: inline, features: data.features, labels: data.labels, loss: .softmaxCrossEntropy)
    let b = GradientFlowSnapshot.measure(model: separate, features: data.features, labels: data.labels, loss: .softmaxCrossEntropy)
    #expect(a.layers.count == 2 && b.layers.count == 2)
    #expect(a.layers.map(\.name) == ["0.weight", "2.weight"])
    #expect(b.layers.map(\.name) == ["0.weight", "2.weight"])
    for (x, y) in zip(a.layers, b.layers) {
      #expect(x.activation == y.activation)
      #expect(x.weightGradientNorm == y.weightGradientNorm)
      #expect(x.errorNorm == y.errorNorm)
      #expect(x.saturatedShare == y.saturatedShare)
    }
    #expect(a.layers[0].activation == .sigmoid)
    let modelLoss = softmaxCrossEntropy(logits: inline(data.features), classIndices: data.classIndices ?? [])
    #expect(a.loss == modelLoss.scalar && b.loss == modelLoss.scalar)
  }

  @Test("the figures equal finite differences on a small network, dropout and custom layers included")
  func finiteDifferences() throws {
    let data = try threeClassData(rows: 6)
    let model = Sequential(seed: 8) {
      Scale(scale: Tensor([1, 0.5, -1, 2]))
      Dense(inputSize: 4, outputSize: 3, activation: .tanh)
      Dropout(rate: 0.5)
      Dense(inputSize: 3, outputSize: 3)
    }
    let snapshot = GradientFlowSnapshot.measure(model: model, features: data.features, labels: data.labels, loss: .softmaxCrossEntropy)
    #expect(snapshot.layers.map(\.name) == ["0.scale", "1.weight", "4.weight"])
    #expect(snapshot.layers[0].errorNorm.isNaN)  // not a dense layer: no z
    func loss(_ values: [Tensor]) -> Double {
      var copy = model
      copy.parameterValues = values
      return Double(copy.evaluate(data, loss: .softmaxCrossEntropy)["loss"] ?? .nan)
    }
    #expect(Double(snapshot.loss) == loss(model.parameterValues))
    // ‖∂J/∂W‖ by central differences, in Double from float evaluations.
    let values = model.parameterValues
    for (layer, index) in [(0, 0), (1, 1), (2, 3)] {
      var sumOfSquares = 0.0
      for element in 0..<values[index].scalarCount {
        let h: Float = 1e-2
        var plus = values, minus = values
        var p = plus[index].scalars, m = minus[index].scalars
        p[element] += h
        m[element] -= h
        plus[index] = Tensor(shape: values[index].shape, scalars: p)
        minus[index] = Tensor(shape: values[index].shape, scalars: m)
        let derivative = (loss(plus) - loss(minus)) / Double(2 * h)
        sumOfSquares += derivative * derivative
      }
      let expected = sumOfSquares.squareRoot()
      #expect(abs(Double(snapshot.layers[layer].weightGradientNorm) - expected) <= 2e-3 * max(expected, 1e-2))
    }
  }

  @Test("a gradient recovering from a vanished start is not flagged as exploding; a real one is")
  func explodingFlag() {
    func warnings(_ epochs: [[Float]]) -> [String] {
      let recorder = GradientFlowRecorder()
      let model = Sequential(seed: 1) {
        Dense(inputSize: 2, outputSize: 2)
        Dense(inputSize: 2, outputSize: 2)
        Dense(inputSize: 2, outputSize: 2)
      }
      var state = TrainingState(
        model: model, optimizerState: OptimizerState(), optimizerName: "sgd", learningRate: 0.1, history: History())
      for (epoch, norms) in epochs.enumerated() {
        let gradients = Dictionary(uniqueKeysWithValues: zip(["0.weight", "1.weight", "2.weight"], norms).map { name, norm in
          (name, Tensor(shape: [1], scalars: [norm]))
        })
        _ = recorder.handle(.gradientsComputed(epoch: epoch, step: 0, gradients: gradients), state: &state)
        _ = recorder.handle(.epochFinished(epoch: epoch, totalEpochs: epochs.count, metrics: [:]), state: &state)
      }
      return recorder.warnings
    }
    let recovering = warnings([[1e-5, 0.05, 0.46], [1e-3, 0.1, 0.46], [0.16, 0.2, 0.46]])
    #expect(!recovering.contains { $0.contains("exploding") })
    #expect(recovering.contains { $0.contains("vanishing gradients at 0.weight") })
    let exploding = warnings([[0.1, 0.4, 0.3], [400, 40, 100]])
    #expect(exploding.contains { $0.contains("exploding gradients at 0.weight") && $0.contains("grew 4e+03") })
  }
}

@Suite("custom layers in model files")
struct CustomLayerModelFileTests {
  @Test("a conforming custom layer saves and loads; the loader needs its type")
  func savesAndLoads() throws {
    var generator = RandomGenerator(seed: 9)
    let matrix = Tensor(shape: [4, 8], scalars: (0..<32).map { _ in generator.nextUnitFloat() })
    let model = Sequential(seed: 2) {
      Projection(matrix: matrix)
      Dense(inputSize: 8, outputSize: 3, activation: .relu)
      Dense(inputSize: 3, outputSize: 3)
    }
    // A custom first layer does not show the input width: give it (fit's checkpoints do).
    #expect(throws: ModelFileError.self) { try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3) }
    let file = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3, inputSize: 4)
    #expect(file.inputSize == 4 && file.outputSize == 3)
    let bytes = try file.safetensors().encoded()
    let safetensors = try SafetensorsFile(bytes: bytes)
    #expect(safetensors.names == ["0.matrix", "1.weight", "1.bias", "3.weight", "3.bias"])
    let loaded = try ModelFile(safetensors: safetensors, customLayers: [Projection.self])
    #expect(loaded.model.parameterNames == model.parameterNames)
    #expect(loaded.model.parameterValues == model.parameterValues)
    let rows = Tensor(shape: [2, 4], scalars: [1, 2, 3, 4, -1, 0, 1, 0.5])
    #expect(loaded.predict(rows) == file.predict(rows))
    #expect(throws: ModelFileError.self) { try ModelFile(safetensors: safetensors) }
    do {
      _ = try ModelFile(safetensors: safetensors)
    } catch {
      #expect(error.reason == .unknownCustomLayer(layer: "layer 0 (custom projection)", name: "projection"))
      #expect(error.description.contains("customLayers: [TheType.self]"))
    }

    // The same through Layer.save: without a preprocessing it needs inputSize, and says so.
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("projection-\(UUID().uuidString).safetensors").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
      try model.save(to: path, loss: .softmaxCrossEntropy, classCount: 3)
      Issue.record("no error")
    } catch {
      #expect(error.description.contains("pass inputSize:"))
      #expect(error.description.contains("save(to:…)"))
    }
    try model.save(to: path, loss: .softmaxCrossEntropy, classCount: 3, inputSize: 4)
    let saved = try ModelFile.load(from: path, customLayers: [Projection.self])
    #expect(saved.inputSize == 4)
    #expect(saved.predict(rows) == file.predict(rows))
  }

  @Test("a Sequential nested in a model saves as its layers, numbered as PyTorch's flat nn.Sequential")
  func nestedSequential() throws {
    let encoder = Sequential(seed: 1) {
      Dense(inputSize: 4, outputSize: 6, activation: .relu)
      Dense(inputSize: 6, outputSize: 5, activation: .tanh)
    }
    let model = Sequential(seed: 2) {
      encoder
      Sequential(seed: 3) { Sequential(seed: 4) { Dense(inputSize: 5, outputSize: 3) } }
    }
    #expect(Sequential(flatteningNested: model).layers.count == 3)
    let file = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3)
    let loaded = try ModelFile(safetensors: SafetensorsFile(bytes: file.safetensors().encoded()))
    #expect(loaded.model.parameterNames == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
    let rows = Tensor(shape: [2, 4], scalars: [1, 2, 3, 4, -1, 0, 1, 0.5])
    let difference = zip(loaded.predict(rows).scalars, softmax(model(rows)).scalars).map { abs($0 - $1) }.max() ?? 1
    #expect(difference < 1e-6)  // predict gives probabilities: the softmax of the logits

    // A checkpoint of the nested model: the optimizer's slots follow the flat names.
    var optimizer = Adam(learningRate: 0.01)
    var trained = model
    let data = try Dataset(features: rows, classIndices: [0, 2], classCount: 3)
    try trained.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 2, batchSize: 2)
    let checkpoint = try ModelFile(
      model: trained, loss: .softmaxCrossEntropy, classCount: 3,
      optimizer: .init(name: "adam", learningRate: 0.01, state: optimizer.state))
    let slots = try #require(checkpoint.optimizer?.state.slots)
    #expect(slots.keys.contains("4.weight.m") && slots.keys.contains("0.bias.v") && !slots.keys.contains("0.0.bias.v"))
    #expect(trained.parameterNames[2] == "0.2.weight")
    #expect(slots["2.weight.m"] == optimizer.state.slots["0.2.weight.m"])
  }

  @Test("saving a custom layer that does not conform throws an error that says what to add")
  func nonConforming() throws {
    let model = Sequential(seed: 2) {
      Dense(inputSize: 4, outputSize: 4)
      Scale(scale: Tensor(repeating: 1, shape: [4]))
      Dense(inputSize: 4, outputSize: 3)
    }
    do {
      _ = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3)
      Issue.record("no error")
    } catch {
      #expect(error.reason == .unsavableLayer(layer: "layer 1 (Scale)", type: "Scale"))
      #expect(error.description.contains("conform Scale to SavableLayer"))
    }
  }

  @Test("a model file written by Dendrite 0.1.0 still loads and predicts as it did")
  func version010Fixture() throws {
    let url = try #require(Bundle.module.url(forResource: "iris-dendrite-0.1.0", withExtension: "safetensors", subdirectory: "Fixtures"))
    let file = try ModelFile.load(from: url.path)
    #expect(file.inputSize == 4 && file.outputSize == 3 && file.classCount == 3)
    let probabilities = file.predict(Tensor([[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]))
    let expected: [Float] = [0.715807, 0.057421688, 0.22677137, 0.06453385, 0.14077608, 0.79469]
    for (value, reference) in zip(probabilities.scalars, expected) { #expect(abs(value - reference) <= 1e-6) }
  }
}

@Suite("one description of a model")
struct ModelDescriptionTests {
  @Test("activations fold into the dense layer before them, nested models flatten, custom layers show")
  func description() {
    let model = Sequential(seed: 1) {
      Dense(inputSize: 4, outputSize: 8)
      Dropout(rate: 0.1)
      ActivationLayer(.relu)
      Sequential(layers: [Dense(inputSize: 8, outputSize: 8, activation: .tanh), ActivationLayer(.sigmoid)])
      Scale(scale: Tensor(repeating: 1, shape: [8]))
      Dense(inputSize: 8, outputSize: 3)
    }
    let description = ModelDescription(model)
    #expect(description.denseLayers.map(\.activation) == [.relu, .sigmoid, .linear])
    #expect(description.denseLayers.map(\.outputSize) == [8, 8, 3])
    #expect(description.entries.map(\.path).contains("layer 3 (Sequential) › layer 0 (Dense 8 → 8, tanh)"))
    #expect(description.entries.contains { $0.kind == .custom(typeName: "Scale") })
    #expect(description.widths == nil)  // a custom layer: the widths are not known from the layers
    #expect(description.outputActivation == .linear)
    #expect(ModelDescription(SkipModel(seed: 1)).entries.map(\.kind) == [.custom(typeName: "SkipModel")])
    #expect(Advisor.check(model: model, loss: .softmaxCrossEntropy).isEmpty)
  }
}
