import Dendrite
import Testing

/// The 2-2-1 network of the hand computation below: sigmoid hidden layer, linear output.
///
///     x = [1, 2],  W1 = [[0.5, −0.25], [2, 2]],  b1 = [0, 0],  W2 = [[1, −1]],  b2 = [0.5],  y = 1
///     z1 = W1·x = [0, 6]                 a1 = κ(z1) = [0.5, 0.9975274]
///     κ′(z1) = a1(1 − a1) = [0.25, 0.0024665]        (the second unit is saturated: κ′ < 0.01)
///     ŷ = z2 = 0.5 − 0.9975274 + 0.5 = 0.0024726
///     J = (ŷ − y)² = 0.9950609           (MSE, one sample, one output)
///     δ2 = ∂J/∂z2 = 2(ŷ − y) = −1.9950548                      ‖δ2‖ = 1.9950548 = ‖∂J/∂b2‖
///     ∂J/∂W2 = δ2·a1 = [−0.9975274, −1.9901217]                ‖∂J/∂W2‖ = 2.2261279
///     δ1 = (W2ᵀ·δ2) ⊙ κ′(z1) = [−0.4987637, 0.0049208]        ‖δ1‖ = 0.4987880 = ‖∂J/∂b1‖
///     ∂J/∂W1 = δ1ᵀ·x = [[−0.4987637, −0.9975274], [0.0049208, 0.0098416]]
///                                       ‖∂J/∂W1‖ = ‖δ1‖·‖x‖ = 0.4987880·√5 = 1.1153238
///     first-to-last ratio = 1.1153238 / 2.2261279 = 0.5010151
private func handNetwork() -> Sequential {
  Sequential(layers: [
    Dense(weight: Tensor([[0.5, -0.25], [2, 2]]), bias: Tensor([0, 0]), activation: .sigmoid),
    Dense(weight: Tensor([[1, -1]]), bias: Tensor([0.5])),
  ])
}

private let handFeatures = Tensor([[1, 2]])
private let handTargets = Tensor([[1]])

private func close(_ a: Float, _ b: Float, _ tolerance: Float = 1e-5) -> Bool {
  Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
}

/// `rows` rows of `width` N(0, 1) features with classes 0, 1, …, classCount − 1 in turn.
private func randomClassification(rows: Int, width: Int, classCount: Int, seed: UInt64 = 7) throws -> Dataset {
  var generator = RandomGenerator(seed: seed)
  let features = Tensor(randomNormal: [rows, width], generator: &generator)
  return try Dataset(features: features, classIndices: (0..<rows).map { $0 % classCount }, classCount: classCount)
}

@Suite("GradientFlowTests")
struct GradientFlowTests {
  @Test("the snapshot of the hand-computed 2-2-1 sigmoid network: norms, error norms, saturated share")
  func snapshotMatchesHandComputation() {
    let snapshot = GradientFlowSnapshot.measure(
      model: handNetwork(), features: handFeatures, labels: .targets(handTargets), loss: .meanSquaredError)
    #expect(close(snapshot.loss, 0.9950609))
    #expect(snapshot.layers.map(\.name) == ["0.weight", "2.weight"])
    let (hidden, output) = (snapshot.layers[0], snapshot.layers[1])
    #expect(close(hidden.weightGradientNorm, 1.1153238))
    #expect(close(hidden.biasGradientNorm, 0.4987880))
    #expect(close(hidden.errorNorm, 0.4987880))
    #expect(hidden.saturatedShare == 0.5)
    #expect(hidden.deadShare == nil)
    #expect(close(output.weightGradientNorm, 2.2261279))
    #expect(close(output.biasGradientNorm, 1.9950548))
    #expect(close(output.errorNorm, 1.9950548))
    #expect(output.saturatedShare == nil)
    #expect(close(snapshot.firstToLastWeightGradientRatio, 0.5010151))
    #expect(!snapshot.hasNonFiniteValues)
  }

  @Test("the recorder stores the hand-computed weight-gradient norms, and the probe's snapshot")
  func recorderMatchesHandComputation() throws {
    let data = try Dataset(features: handFeatures, targets: handTargets)
    let recorder = GradientFlowRecorder(probe: .init(data, loss: .meanSquaredError))
    var model = handNetwork()
    var optimizer = SGD(learningRate: 0)  // the weights stay put: every epoch sees the same gradients
    try model.fit(data, loss: .meanSquaredError, optimizer: &optimizer, epochs: 2, batchSize: 1, callbacks: [recorder])
    #expect(recorder.layers == ["0.weight", "2.weight"])
    #expect(recorder.epochs.map(\.epoch) == [0, 1])
    let entry = try #require(recorder.epochs.first)
    #expect(entry.steps == 1)
    #expect(zip(entry.meanWeightGradientNorms, [1.1153238, 2.2261279]).allSatisfy { close($0, $1) })
    #expect(entry.lastWeightGradientNorms == entry.meanWeightGradientNorms)
    #expect(close(entry.firstToLastRatio, 0.5010151))
    let snapshot = try #require(entry.snapshot)
    #expect(close(snapshot.layers[0].errorNorm, 0.4987880))
    #expect(snapshot.layers[0].saturatedShare == 0.5)
    #expect(recorder.warnings.isEmpty)
    #expect(entry.flags.isEmpty)
  }

  @Test("a ReLU unit that is negative for the whole batch counts as dead, and passes no error back")
  func deadReLUShare() {
    // z1 = [1 + 2, 1 + 2 − 10] = [3, −7]: the second unit outputs 0, so relu′ = 0 there.
    let model = Sequential(layers: [
      Dense(weight: Tensor([[1, 1], [1, 1]]), bias: Tensor([0, -10]), activation: .relu),
      Dense(weight: Tensor([[1, 1]]), bias: Tensor([0])),
    ])
    let snapshot = GradientFlowSnapshot.measure(
      model: model, features: handFeatures, labels: .targets(handTargets), loss: .meanSquaredError)
    #expect(snapshot.layers[0].deadShare == 0.5)
    // ŷ = 3, δ2 = 2(3 − 1) = 4, δ1 = [4·1·1, 4·1·0] = [4, 0].
    #expect(close(snapshot.layers[0].errorNorm, 4))
    #expect(close(snapshot.layers[1].errorNorm, 4))
  }

  @Test("fit with the recorder gives one entry per epoch whose means are the mean of the step norms")
  func oneEntryPerEpoch() throws {
    let data = try randomClassification(rows: 40, width: 4, classCount: 3)
    var model = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [8], activation: .relu, outputSize: 3, seed: 5)
    var stepNorms: [[Float]] = []
    let collector = ProgressCallback { event in
      if case .gradientsComputed(let epoch, _, let gradients) = event, epoch == 2 {
        stepNorms.append([gradients["0.weight"]!, gradients["2.weight"]!].map(norm))
      }
    }
    let recorder = GradientFlowRecorder(probe: .init(data, loss: .softmaxCrossEntropy))
    var optimizer = Adam(learningRate: 0.01)
    try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 4, batchSize: 16,
                  callbacks: [collector, recorder])
    #expect(recorder.epochs.map(\.epoch) == [0, 1, 2, 3])
    #expect(recorder.epochs.allSatisfy { $0.steps == 3 && $0.snapshot?.layers.count == 2 })
    #expect(recorder.epochs[0].snapshot?.layers[0].deadShare != nil)
    let third = recorder.epochs[2]
    #expect(stepNorms.count == 3)
    for layer in 0..<2 {
      let mean = stepNorms.map { $0[layer] }.reduce(0, +) / 3
      #expect(close(third.meanWeightGradientNorms[layer], mean))
      #expect(third.lastWeightGradientNorms[layer] == stepNorms[2][layer])
    }
  }

  @Test("a deep sigmoid stack is flagged as vanishing, once per layer, naming epoch and layer")
  func deepSigmoidStackVanishes() throws {
    // 10 sigmoid layers: each passes back at most κ′ ≤ 1/4 of the error (Glorot weights keep
    // ‖Wᵀ‖ near 1), so the first layer gets about (1/4)^10 ≈ 1e-6 of the last one's gradient.
    let data = try randomClassification(rows: 32, width: 4, classCount: 2)
    var model = Sequential.multilayerPerceptron(
      inputSize: 4, hiddenSizes: Array(repeating: 16, count: 10), activation: .sigmoid, outputSize: 2, seed: 3)
    #expect(Advisor.check(model: model, loss: .softmaxCrossEntropy).map(\.code) == ["vanishing-gradients"])
    let recorder = GradientFlowRecorder()
    var optimizer = SGD(learningRate: 0.1)
    try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 3, batchSize: 32, callbacks: [recorder])
    #expect(recorder.epochs.count == 3)
    #expect(recorder.epochs.allSatisfy { $0.firstToLastRatio < 1e-3 })
    #expect(recorder.epochs.allSatisfy { $0.flags.contains { $0.contains("vanishing gradients at 0.weight") } })
    let vanishing = recorder.warnings.filter { $0.hasPrefix("epoch 1: vanishing gradients at 0.weight") }
    #expect(vanishing.count == 1, "\(recorder.warnings)")
    #expect(!recorder.warnings.contains { $0.hasPrefix("epoch 2") })
  }

  @Test("a ReLU stack with He initialisation raises no flag")
  func heReLUStackIsQuiet() throws {
    let data = try randomClassification(rows: 32, width: 4, classCount: 2)
    var model = Sequential.multilayerPerceptron(
      inputSize: 4, hiddenSizes: Array(repeating: 16, count: 6), activation: .relu, outputSize: 2, seed: 3)
    let recorder = GradientFlowRecorder()
    var optimizer = SGD(learningRate: 0.01)
    try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 2, batchSize: 32, callbacks: [recorder])
    #expect(recorder.warnings.isEmpty, "\(recorder.warnings)")
  }

  @Test("N(0, 1) weights in a deep ReLU stack make the error grow towards the input; He keeps it level")
  func normalReLUStackErrorGrows() throws {
    // With N(0, 1) weights each layer multiplies ‖δ‖ by about √(fan-out/2) = √32 ≈ 5.7 on the
    // way back (half the ReLUs pass); He's N(0, 2/fan-in) makes that factor about 1.
    let data = try randomClassification(rows: 32, width: 16, classCount: 10)
    func errorNorms(_ initializer: Initializer) -> [Float] {
      let model = Sequential.multilayerPerceptron(
        inputSize: 16, hiddenSizes: Array(repeating: 64, count: 5), activation: .relu, outputSize: 10,
        weightInitializer: initializer, seed: 11)
      return GradientFlowSnapshot.measure(
        model: model, features: data.features, labels: data.labels, loss: .softmaxCrossEntropy
      ).layers.map(\.errorNorm)
    }
    let normal = errorNorms(.normal(standardDeviation: 1))
    #expect(zip(normal, normal.dropFirst()).allSatisfy { $0 > $1 }, "\(normal)")
    #expect(normal[0] / normal[normal.count - 1] > 1e3, "\(normal)")
    let he = errorNorms(.heNormal)
    let heRatio = he[0] / he[he.count - 1]
    #expect(heRatio > 0.05 && heRatio < 20, "\(he)")
  }

  @Test("a 1000× gain from the last layer back to the first is flagged as exploding")
  func largeGainExplodes() throws {
    // W1 = 1e-3·I, W2 = 1e3·I, linear: a1 = 1e-3·x, ŷ = x, and with y = 0 (MSE over 2 outputs)
    // δ2 = x = [1, 2]: ‖∂J/∂W2‖ = ‖δ2‖·‖a1‖ = 5e-3, δ1 = 1e3·δ2, ‖∂J/∂W1‖ = ‖δ1‖·‖x‖ = 5e3,
    // a first-to-last ratio of 1e6.
    let model0 = Sequential(layers: [
      Dense(weight: Tensor([[1e-3, 0], [0, 1e-3]]), bias: Tensor([0, 0])),
      Dense(weight: Tensor([[1e3, 0], [0, 1e3]]), bias: Tensor([0, 0])),
    ])
    let data = try Dataset(features: handFeatures, targets: Tensor([[0, 0]]))
    let recorder = GradientFlowRecorder()
    var model = model0
    var optimizer = SGD(learningRate: 0)
    try model.fit(data, loss: .meanSquaredError, optimizer: &optimizer, epochs: 1, batchSize: 1, callbacks: [recorder])
    let entry = try #require(recorder.epochs.first)
    #expect(close(entry.meanWeightGradientNorms[0], 5e3, 1e-4))
    #expect(close(entry.meanWeightGradientNorms[1], 5e-3, 1e-4))
    #expect(recorder.warnings.count == 1)
    #expect(recorder.warnings.first?.hasPrefix("epoch 1: exploding gradients at 0.weight") == true)
  }
}

private func norm(_ t: Tensor) -> Float {
  Float(t.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
}
