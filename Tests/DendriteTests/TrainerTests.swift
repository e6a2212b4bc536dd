import Foundation
@testable import Dendrite
import Testing

/// The fused training step against the tape: the same model, batch and optimizer must give
/// the same losses and parameters, whichever path computes them.
@Suite("TrainerTests")
struct TrainerTests {
  /// A seeded batch of `rows` × `features` and class labels.
  static func batch(rows: Int, features: Int, classes: Int, seed: UInt64) -> (Tensor, [Int]) {
    var generator = RandomGenerator(seed: seed)
    let x = Tensor(randomNormal: [rows, features], generator: &generator)
    let labels = (0..<rows).map { ($0 * 7 + Int(seed)) % classes }
    return (x, labels)
  }

  /// `steps` steps on the tape, as `fit` takes them: valueWithGradients, then the optimizer.
  static func tapeSteps<Opt: Optimizer>(
    _ model: Sequential, loss: Loss, optimizer: Opt, batches: [(Tensor, Dataset.Labels)]
  ) -> (losses: [Float], model: Sequential) {
    var model = model
    var optimizer = optimizer
    var losses: [Float] = []
    for (x, labels) in batches {
      let (value, gradients) = model.valueWithGradients { loss.compute(outputs: $0(x), labels: labels) }
      losses.append(value.scalar)
      optimizer.update(&model, along: gradients)
    }
    return (losses, model)
  }

  static func expectSameTraining<Opt: Optimizer>(
    _ model: Sequential, loss: Loss, optimizer: Opt, batches: [(Tensor, Dataset.Labels)],
    fused: Bool = true, tolerance: Float = 2e-5
  ) throws {
    let trainer = Trainer(model: model, loss: loss, optimizer: optimizer)
    #expect(trainer.isFused == fused)
    let losses = try batches.map { try trainer.step(inputs: $0.0, labels: $0.1) }
    let expected = tapeSteps(model, loss: loss, optimizer: optimizer, batches: batches)
    for (got, want) in zip(losses, expected.losses) { #expect(abs(got - want) <= tolerance * max(1, abs(want))) }
    for (got, want) in zip(trainer.model.parameterValues, expected.model.parameterValues) {
      #expect(got.isApproximatelyEqual(to: want, tolerance: tolerance), "\(got) vs \(want)")
    }
    // Training moved the parameters at all.
    #expect(trainer.model.parameterValues != model.parameterValues)
  }

  static func classBatches(features: Int, classes: Int, count: Int) -> [(Tensor, Dataset.Labels)] {
    (0..<count).map { i in
      let (x, labels) = batch(rows: 6 + i, features: features, classes: classes, seed: UInt64(i + 1))
      return (x, .classes(labels, classCount: classes))
    }
  }

  @Test("fused SGD step matches the tape for every inline activation", arguments: [
    Activation.relu, .sigmoid, .tanh, .leakyRelu, .linear,
  ])
  func fusedSGDMatchesTape(activation: Activation) throws {
    let model = Sequential.multilayerPerceptron(
      inputSize: 5, hiddenSizes: [7, 6], activation: activation, outputSize: 3, seed: 3)
    try Self.expectSameTraining(
      model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.5),
      batches: Self.classBatches(features: 5, classes: 3, count: 4))
  }

  @Test("optimizers that do not fold into the GEMM get the same gradients")
  func otherOptimizersMatchTape() throws {
    let model = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [8], activation: .relu, outputSize: 3, seed: 5)
    let batches = Self.classBatches(features: 4, classes: 3, count: 3)
    try Self.expectSameTraining(model, loss: .softmaxCrossEntropy, optimizer: Adam(learningRate: 0.05), batches: batches)
    try Self.expectSameTraining(
      model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01),
      batches: batches)
  }

  @Test("MSE on targets is fused; other losses take their output gradient from the tape")
  func lossesMatchTape() throws {
    var generator = RandomGenerator(seed: 9)
    let regression = (0..<3).map { i -> (Tensor, Dataset.Labels) in
      (Tensor(randomNormal: [5 + i, 4], generator: &generator), .targets(Tensor(randomNormal: [5 + i, 2], generator: &generator)))
    }
    let tanhModel = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [6], activation: .tanh, outputSize: 2, seed: 2)
    try Self.expectSameTraining(tanhModel, loss: .meanSquaredError, optimizer: SGD(learningRate: 0.2), batches: regression)
    try Self.expectSameTraining(tanhModel, loss: .huber, optimizer: SGD(learningRate: 0.2), batches: regression)

    let binary = Self.classBatches(features: 4, classes: 2, count: 3)
    let logit = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [6], activation: .relu, outputSize: 1, seed: 4)
    try Self.expectSameTraining(logit, loss: .sigmoidCrossEntropy, optimizer: SGD(learningRate: 0.3), batches: binary)
    let sigmoidOutput = Sequential(seed: 4) {
      Dense(inputSize: 4, outputSize: 6, activation: .relu)
      Dense(inputSize: 6, outputSize: 1, activation: .sigmoid)
    }
    try Self.expectSameTraining(sigmoidOutput, loss: .binaryCrossEntropy, optimizer: SGD(learningRate: 0.3), batches: binary)
  }

  @Test("activation layers fold into the dense layer before them")
  func activationLayersFold() throws {
    let model = Sequential(seed: 8) {
      Dense(inputSize: 3, outputSize: 5)
      ActivationLayer(.sigmoid)
      Dense(inputSize: 5, outputSize: 2)
    }
    try Self.expectSameTraining(
      model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 1), batches: Self.classBatches(features: 3, classes: 2, count: 3))
  }

  @Test("models the fused step does not handle train on the tape with the same results")
  func generalPath() throws {
    let softmaxOutput = Sequential(seed: 6) {
      Dense(inputSize: 4, outputSize: 5, activation: .gelu)
      Dense(inputSize: 5, outputSize: 3, activation: .softmax)
    }
    try Self.expectSameTraining(
      softmaxOutput, loss: .categoricalCrossEntropy, optimizer: SGD(learningRate: 0.5),
      batches: Self.classBatches(features: 4, classes: 3, count: 3), fused: false)
  }

  @Test("a model read back from the trainer is a snapshot that later steps do not change")
  func modelSnapshotIsAValue() throws {
    let model = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [5], activation: .relu, outputSize: 3, seed: 1)
    let trainer = Trainer(model: model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.5))
    let (x, labels) = Self.batch(rows: 8, features: 4, classes: 3, seed: 2)
    try trainer.step(inputs: x, labels: .classes(labels, classCount: 3))
    let snapshot = trainer.model
    let copy = snapshot.parameterValues
    try trainer.step(inputs: x, labels: .classes(labels, classCount: 3))
    #expect(snapshot.parameterValues == copy)
    #expect(trainer.model.parameterValues != copy)
    // The original model is untouched too.
    #expect(model.parameterValues == Sequential.multilayerPerceptron(
      inputSize: 4, hiddenSizes: [5], activation: .relu, outputSize: 3, seed: 1).parameterValues)
  }

  @Test("a batch that does not fit the model throws an error that says why")
  func mismatchedBatchesThrow() {
    let model = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [5], activation: .relu, outputSize: 3, seed: 1)
    let trainer = Trainer(model: model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.5))
    #expect(throws: TrainingError.dataMismatch("the batch has 2 features, but layer 0 (Dense 4 → 5, relu) takes 4 features but gets 2 features")) {
      try trainer.step(inputs: Tensor([[1, 2]]), labels: .classes([0], classCount: 3))
    }
    #expect(throws: TrainingError.dataMismatch("class index 3 is outside 0..<3")) {
      try trainer.step(inputs: Tensor([[1, 2, 3, 4]]), labels: .classes([3], classCount: 3))
    }
    #expect(throws: TrainingError.dataMismatch("2 labels for a batch of 1 rows")) {
      try trainer.step(inputs: Tensor([[1, 2, 3, 4]]), labels: .classes([0, 1], classCount: 3))
    }
  }
}

/// The fused kernels' vectorised sigmoid against the scalar one the tape uses.
@Suite("DenseKernelTests")
struct DenseKernelTests {
  @Test("the eight-lane sigmoid matches the scalar sigmoid from −100 to 100")
  func vectorisedSigmoid() {
    let count = 2001
    let values = (0..<count).map { Float($0 - 1000) / 10 }   // −100 … 100 in steps of 0.1
    var z = values
    var a = [Float](repeating: .nan, count: count)
    Kernels.addBiasAndActivate(&z, bias: [0], rows: count, cols: 1, activation: .sigmoid, into: &a)
    // One column: the scalar tail runs; a row of 2001 columns takes the vector path.
    var zRow = values
    var aRow = [Float](repeating: .nan, count: count)
    Kernels.addBiasAndActivate(
      &zRow, bias: [Float](repeating: 0, count: count), rows: 1, cols: count, activation: .sigmoid, into: &aRow)
    for i in 0..<count {
      let exact = 1 / (1 + Foundation.exp(-Double(values[i])))
      // Relative to float32 rounding, with a floor for the values under 10⁻³⁸ (subnormal).
      #expect(abs(Double(aRow[i]) - exact) <= 2e-7 * exact + 1e-37, "σ(\(values[i])) = \(aRow[i]), expected \(exact)")
      #expect(abs(Double(a[i]) - exact) <= 2e-7 * exact + 1e-37)
    }
    #expect(aRow[count - 1] == 1 && aRow.allSatisfy { $0 >= 0 && $0 <= 1 })
  }
}
