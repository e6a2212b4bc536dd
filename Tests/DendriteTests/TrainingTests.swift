import Dendrite
import Testing

/// A small two-class problem: XOR with noise-free corners repeated.
private func xorDataset() throws -> Dataset {
  var rows: [[Float]] = []
  var labels: [Int] = []
  for _ in 0..<8 {
    for (a, b) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
      rows.append([Float(a), Float(b)])
      labels.append(a ^ b)
    }
  }
  return try Dataset(features: Tensor(rows), classIndices: labels, name: "xor")
}

private func xorModel(outputs: Int = 2, outputActivation: Activation = .linear) -> Sequential {
  .multilayerPerceptron(
    inputSize: 2, hiddenSizes: [8], activation: .tanh, outputSize: outputs, outputActivation: outputActivation, seed: 3)
}

@Suite("Training: fit, evaluate, callbacks, NaN guard")
struct TrainingTests {
  @Test("fit learns XOR with softmax cross-entropy and Adam, and History has Keras's keys")
  func learnsXOR() throws {
    let data = try xorDataset()
    var model = xorModel()
    var optimizer = Adam(learningRate: 0.05)
    let history = try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 60, batchSize: 8, validation: data)
    #expect(history.count == 60)
    #expect(Set(history.epochs[0].keys) == ["loss", "accuracy", "val_loss", "val_accuracy", "lr"])
    #expect(history["loss"].last! < history["loss"].first! / 5)
    let scores = model.evaluate(data, loss: .softmaxCrossEntropy)
    #expect(scores["accuracy"] == 1)
    #expect(Swift.abs(scores["loss"]! - history["val_loss"].last!) < 1e-6)
  }

  @Test("one sigmoid output with sigmoid cross-entropy learns XOR too")
  func learnsXORWithOneLogit() throws {
    let data = try xorDataset()
    var model = xorModel(outputs: 1)
    var optimizer = Adam(learningRate: 0.05)
    try model.fit(data, loss: .sigmoidCrossEntropy, optimizer: &optimizer, epochs: 60, batchSize: 8)
    #expect(model.evaluate(data, loss: .sigmoidCrossEntropy)["accuracy"] == 1)
  }

  @Test("the same seed gives bit-identical weights and history")
  func reproducible() throws {
    let data = try xorDataset()
    func run() throws -> (Sequential, History) {
      var model = xorModel()
      var optimizer = SGD(learningRate: 0.1, momentum: 0.9)
      let history = try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 5, batchSize: 4, seed: 9)
      return (model, history)
    }
    let (a, historyA) = try run()
    let (b, historyB) = try run()
    #expect(a.parameterValues == b.parameterValues)
    #expect(historyA == historyB)
  }

  @Test("a diverging run stops at the first non-finite loss, naming epoch and step")
  func nanGuard() throws {
    let data = try xorDataset()
    var model = xorModel(outputs: 2)
    var optimizer = SGD(learningRate: 1e30)
    #expect {
      try model.fit(data, loss: .meanSquaredError, optimizer: &optimizer, epochs: 5, batchSize: 4)
    } throws: { error in
      guard case TrainingError.diverged(let epoch, let step, _, _) = error else { return false }
      return epoch == 0 && step >= 1 && "\(error)".contains("Lower the learning rate")
    }
  }

  @Test("early stopping stops after `patience` epochs without improvement and restores the best weights")
  func earlyStopping() throws {
    let data = try xorDataset()
    var model = xorModel()
    // A learning rate so large that the validation loss gets worse after the first steps.
    var optimizer = SGD(learningRate: 5)
    let stopper = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
    var snapshots: [[Tensor]] = []
    final class Recorder: TrainingCallback {
      var record: ([Tensor]) -> Void
      init(_ record: @escaping ([Tensor]) -> Void) { self.record = record }
      func handle(_ event: TrainingEvent, state: inout TrainingState) -> TrainingDecision {
        if case .epochFinished = event { record(state.model.parameterValues) }
        return .proceed
      }
    }
    let recorder = Recorder { snapshots.append($0) }
    let history = try model.fit(
      data, loss: .meanSquaredError, optimizer: &optimizer, epochs: 50, batchSize: 32, validation: data,
      callbacks: [recorder, stopper])
    let best = try #require(stopper.best)
    #expect(history.count == best.epoch + 3)
    #expect(history["val_loss"][best.epoch] == history["val_loss"].min())
    #expect(model.parameterValues == snapshots[best.epoch])
  }

  @Test("fit rejects data that does not fit the model and bad options")
  func rejectsMismatches() throws {
    let data = try xorDataset()
    var wide = Sequential.multilayerPerceptron(inputSize: 3, hiddenSizes: [], activation: .relu, outputSize: 2)
    var optimizer = SGD(learningRate: 0.1)
    #expect(throws: TrainingError.self) {
      try wide.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 1)
    }
    var model = xorModel(outputs: 3)
    #expect(throws: TrainingError.self) {
      try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 1)
    }
    var ok = xorModel()
    #expect(throws: TrainingError.invalidOption("epochs must be positive, got 0")) {
      try ok.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 0)
    }
  }

  @Test("regression with MSE reduces the error and reports mae")
  func regression() throws {
    var generator = RandomGenerator(seed: 4)
    let x = Tensor(randomUniform: [64, 3], in: -1...1, generator: &generator)
    let y = matmul(x, Tensor([[1], [-2], [0.5]])) + 0.3
    let data = try Dataset(features: x, targets: y, name: "linear")
    var model = Sequential.multilayerPerceptron(inputSize: 3, hiddenSizes: [], activation: .relu, outputSize: 1)
    var optimizer = SGD(learningRate: 0.1)
    let history = try model.fit(data, loss: .meanSquaredError, optimizer: &optimizer, epochs: 100, batchSize: 16)
    #expect(history["mae"].last! < 0.01)
    #expect(model.evaluate(data, loss: .meanSquaredError)["loss"]! < 1e-4)
  }

  @Test("the split is stratified: each class keeps its share")
  func stratifiedSplit() throws {
    let labels = Array(repeating: 0, count: 50) + Array(repeating: 1, count: 30) + Array(repeating: 2, count: 20)
    let data = try Dataset(features: Tensor(shape: [100, 1], scalars: (0..<100).map(Float.init)), classIndices: labels)
    let (train, test) = data.split(testFraction: 0.2, seed: 1)
    #expect(train.count == 80 && test.count == 20)
    let testLabels = try #require(test.classIndices)
    #expect(testLabels.filter { $0 == 0 }.count == 10)
    #expect(testLabels.filter { $0 == 1 }.count == 6)
    #expect(testLabels.filter { $0 == 2 }.count == 4)
    // Disjoint and complete.
    let all = Set(train.features.scalars + test.features.scalars)
    #expect(all.count == 100)
    // Shuffled: the test part is not the first rows.
    #expect(test.features.scalars != test.features.scalars.sorted())
  }

  @Test("standardization and min-max scaling use the training statistics")
  func preprocessing() {
    let train = Tensor([[1, 10, 5], [3, 10, 7]])
    let standard = Preprocessing.fitStandardization(train)
    #expect(standard == .standardize(mean: [2, 10, 6], standardDeviation: [1, 1, 1]))
    #expect(standard.apply(Tensor([[4, 11, 6]])).scalars == [2, 1, 0])
    let minMax = Preprocessing.fitMinMax(train)
    #expect(minMax == .minMax(minimum: [1, 10, 5], maximum: [3, 10, 7]))
    #expect(minMax.apply(Tensor([[2, 10, 9]])).scalars == [0.5, 0, 2])
  }

  @Test("invalid data sets throw errors that say where")
  func datasetValidation() {
    #expect(throws: DatasetError.labelOutOfRange(dataset: "d", row: 1, label: 3, classCount: 3)) {
      try Dataset(features: Tensor([[1], [2]]), classIndices: [0, 3], classCount: 3, name: "d")
    }
    #expect(throws: DatasetError.nonFiniteValue(dataset: "d", row: 1, column: 0)) {
      try Dataset(features: Tensor([[1], [.nan]]), classIndices: [0, 1], name: "d")
    }
    #expect(throws: DatasetError.labelCountMismatch(dataset: "d", rows: 2, labels: 1)) {
      try Dataset(features: Tensor([[1], [2]]), classIndices: [0], name: "d")
    }
  }
}

@Suite("Prediction")
struct PredictionTests {
  @Test("predict applies the loss's output activation; predictClasses agrees with argmax")
  func predictions() {
    let model = Sequential(layers: [Dense(weight: Tensor([[1, 0], [0, 1], [1, 1]]), bias: Tensor([0, 0, -5]))])
    let x = Tensor([[2, 1], [0, 3]])
    let probabilities = model.predict(x, loss: .softmaxCrossEntropy)
    #expect(probabilities.sum(alongAxis: -1).scalars.allSatisfy { Swift.abs($0 - 1) < 1e-6 })
    #expect(model.predictClasses(x, loss: .softmaxCrossEntropy) == [0, 1])
    #expect(model.predict(x, loss: .meanSquaredError) == model(x))
    let single = Sequential(layers: [Dense(weight: Tensor([[1, -1]]), bias: Tensor([0]))])
    #expect(single.predictClasses(x, loss: .sigmoidCrossEntropy) == [1, 0])
    #expect(single.predict(x, loss: .sigmoidCrossEntropy).isApproximatelyEqual(to: sigmoid(single(x))))
  }
}
