import Dendrite
import Foundation
import Testing

/// Hand-written Double references for the normalisation ops.
private enum Reference {
  /// Batch norm of x laid out [N, C, S] in training mode: y, μ_B, biased and unbiased σ²_B.
  static func batchNorm(
    _ x: [Double], n: Int, c: Int, s: Int, gamma: [Double], beta: [Double], epsilon: Double
  ) -> (y: [Double], mean: [Double], variance: [Double], unbiased: [Double]) {
    var y = [Double](repeating: 0, count: x.count)
    var means: [Double] = [], variances: [Double] = [], unbiased: [Double] = []
    for ch in 0..<c {
      var values: [Double] = []
      for b in 0..<n { for k in 0..<s { values.append(x[(b * c + ch) * s + k]) } }
      let m = Double(values.count)
      let mean = values.reduce(0, +) / m
      let squares = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
      means.append(mean)
      variances.append(squares / m)
      unbiased.append(squares / (m - 1))
      for b in 0..<n {
        for k in 0..<s {
          let i = (b * c + ch) * s + k
          y[i] = gamma[ch] * (x[i] - mean) / (squares / m + epsilon).squareRoot() + beta[ch]
        }
      }
    }
    return (y, means, variances, unbiased)
  }

  /// Batch norm with given statistics (inference).
  static func batchNorm(
    _ x: [Double], n: Int, c: Int, s: Int, gamma: [Double], beta: [Double], mean: [Double], variance: [Double],
    epsilon: Double
  ) -> [Double] {
    var y = [Double](repeating: 0, count: x.count)
    for b in 0..<n {
      for ch in 0..<c {
        for k in 0..<s {
          let i = (b * c + ch) * s + k
          y[i] = gamma[ch] * (x[i] - mean[ch]) / (variance[ch] + epsilon).squareRoot() + beta[ch]
        }
      }
    }
    return y
  }

  /// Layer norm over the last axis of width d.
  static func layerNorm(_ x: [Double], d: Int, gamma: [Double], beta: [Double], epsilon: Double) -> [Double] {
    var y = [Double](repeating: 0, count: x.count)
    for row in 0..<(x.count / d) {
      let values = Array(x[(row * d)..<(row * d + d)])
      let mean = values.reduce(0, +) / Double(d)
      let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(d)
      for j in 0..<d { y[row * d + j] = gamma[j] * (values[j] - mean) / (variance + epsilon).squareRoot() + beta[j] }
    }
    return y
  }
}

private func random(_ shape: [Int], seed: UInt64, in range: ClosedRange<Float> = -2...2) -> Tensor {
  var generator = RandomGenerator(seed: seed)
  return Tensor(randomUniform: shape, in: range, generator: &generator)
}

private func doubles(_ t: Tensor) -> [Double] { t.scalars.map(Double.init) }

private func expectClose(_ actual: Tensor, _ expected: [Double], tolerance: Double = 1e-4, _ what: String) {
  #expect(actual.scalarCount == expected.count, "\(what): \(actual.scalarCount) values, expected \(expected.count)")
  let worst = zip(actual.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
  #expect(worst <= tolerance, "\(what): worst difference \(worst)")
}

private func trainingForward(_ layer: any Layer, _ x: Tensor) -> Tensor {
  var context = ForwardContext(isTraining: true, seed: 1)
  return layer.forward(x, context: &context)
}

@Suite("Normalisation: batch norm, layer norm, residual blocks")
struct NormalizationTests {
  /// [N, C] and [N, C, H, W] with their S (values per channel per row).
  static let layouts: [(shape: [Int], s: Int)] = [([6, 3], 1), ([2, 3, 2, 2], 4)]

  @Test("batch norm in training mode matches the Double reference", arguments: [0, 1])
  func batchNormTraining(layout: Int) {
    let (shape, s) = Self.layouts[layout]
    let x = random(shape, seed: 1)
    let gamma = random([3], seed: 2, in: 0.5...1.5), beta = random([3], seed: 3)
    let layer = BatchNorm(weight: gamma, bias: beta, runningMean: .zeros(shape: [3]),
                          runningVariance: Tensor(repeating: 1, shape: [3]))
    let y = trainingForward(layer, x)
    let reference = Reference.batchNorm(
      doubles(x), n: shape[0], c: 3, s: s, gamma: doubles(gamma), beta: doubles(beta), epsilon: 1e-5)
    #expect(y.shape == shape)
    expectClose(y, reference.y, "y \(shape)")
    let (_, statistics) = batchNormalization(x, weight: gamma, bias: beta)
    expectClose(statistics.mean, reference.mean, "μ_B")
    expectClose(statistics.variance, reference.variance, "σ²_B")
    expectClose(statistics.unbiasedVariance, reference.unbiased, "unbiased σ²_B")
    #expect(statistics.count == shape[0] * s)
  }

  @Test("batch norm in inference mode uses the running statistics", arguments: [0, 1])
  func batchNormInference(layout: Int) {
    let (shape, s) = Self.layouts[layout]
    let x = random(shape, seed: 4)
    let gamma = random([3], seed: 5, in: 0.5...1.5), beta = random([3], seed: 6)
    let mean = random([3], seed: 7), variance = random([3], seed: 8, in: 0.2...3)
    let layer = BatchNorm(weight: gamma, bias: beta, runningMean: mean, runningVariance: variance, epsilon: 1e-3)
    let reference = Reference.batchNorm(
      doubles(x), n: shape[0], c: 3, s: s, gamma: doubles(gamma), beta: doubles(beta), mean: doubles(mean),
      variance: doubles(variance), epsilon: 1e-3)
    expectClose(layer(x), reference, "inference y \(shape)")
    #expect(layer.runningMean.scalars == mean.scalars && layer.batchesTracked == 0, "inference left the buffers alone")
  }

  @Test("running statistics after three training passes follow PyTorch's update", arguments: [0, 1])
  func runningStatistics(layout: Int) {
    let (shape, s) = Self.layouts[layout]
    let layer = BatchNorm(featureCount: 3, momentum: 0.2)
    var mean = [Double](repeating: 0, count: 3), variance = [Double](repeating: 1, count: 3)
    for step in 0..<3 {
      let x = random(shape, seed: 10 + UInt64(step))
      _ = trainingForward(layer, x)
      let reference = Reference.batchNorm(
        doubles(x), n: shape[0], c: 3, s: s, gamma: [1, 1, 1], beta: [0, 0, 0], epsilon: 1e-5)
      for ch in 0..<3 {
        mean[ch] = 0.8 * mean[ch] + 0.2 * reference.mean[ch]
        variance[ch] = 0.8 * variance[ch] + 0.2 * reference.unbiased[ch]
      }
      _ = layer(x)  // an inference pass changes nothing
    }
    expectClose(layer.runningMean, mean, tolerance: 1e-5, "running_mean")
    expectClose(layer.runningVariance, variance, tolerance: 1e-5, "running_var")
    #expect(layer.batchesTracked == 3)
    #expect(layer.bufferNames == ["running_mean", "running_var", "num_batches_tracked"])
    #expect(layer.bufferValues[2].scalar == 3)
    #expect(layer.parameterNames == ["weight", "bias"], "buffers are not parameters")
  }

  @Test("copies share running statistics until one assigns them or detaches")
  func statisticsSharing() {
    let layer = BatchNorm(featureCount: 2)
    let snapshot = layer.withOwnStatistics()
    var assigned = layer
    assigned.runningMean = Tensor([5, 5])
    let shared = layer
    _ = trainingForward(layer, Tensor([[1, 2], [3, 4]]))
    #expect(shared.batchesTracked == 1)
    #expect(snapshot.batchesTracked == 0 && snapshot.runningMean.scalars == [0, 0])
    #expect(assigned.batchesTracked == 0 && assigned.runningMean.scalars == [5, 5])
  }

  @Test("a training batch of one row is normalised to β and keeps the running variance")
  func singleRowBatch() {
    let layer = BatchNorm(weight: Tensor([2, 3]), bias: Tensor([0.5, -1]), runningMean: .zeros(shape: [2]),
                          runningVariance: Tensor([1, 1]))
    let y = trainingForward(layer, Tensor([[4, 7]]))
    #expect(y.scalars == [0.5, -1])
    #expect(layer.runningVariance.scalars == [1, 1])
    expectClose(layer.runningMean, [0.4, 0.7], tolerance: 1e-6, "running_mean")
  }

  @Test("layer norm matches the Double reference", arguments: [[4, 5], [2, 3, 4]])
  func layerNorm(shape: [Int]) {
    let d = shape.last ?? 1
    let x = random(shape, seed: 20)
    let gamma = random([d], seed: 21, in: 0.5...1.5), beta = random([d], seed: 22)
    let layer = LayerNorm(weight: gamma, bias: beta)
    let reference = Reference.layerNorm(doubles(x), d: d, gamma: doubles(gamma), beta: doubles(beta), epsilon: 1e-5)
    expectClose(layer(x), reference, "layer norm \(shape)")
    expectClose(trainingForward(layer, x), reference, "layer norm \(shape), training")
  }

  // MARK: Gradients

  @Test("batch norm gradients (training mode) agree with finite differences", arguments: [0, 1])
  func batchNormGradients(layout: Int) {
    let shape = Self.layouts[layout].shape
    let x = random(shape, seed: 30), weights = random(shape, seed: 31)
    let gamma = random([3], seed: 32, in: 0.5...1.5), beta = random([3], seed: 33)
    func loss(_ x: Tensor, _ gamma: Tensor, _ beta: Tensor) -> Tensor {
      (batchNormalization(x, weight: gamma, bias: beta).output * weights).sum()
    }
    let dx = checkGradient(at: x) { loss($0, gamma, beta) }
    let dGamma = checkGradient(at: gamma) { loss(x, $0, beta) }
    let dBeta = checkGradient(at: beta) { loss(x, gamma, $0) }
    #expect(dx.passed, "x: \(dx)")
    #expect(dGamma.passed, "γ: \(dGamma)")
    #expect(dBeta.passed, "β: \(dBeta)")
    let layer = BatchNorm(featureCount: 3)
    let throughLayer = checkGradient(at: x) { (trainingForward(layer, $0) * weights).sum() }
    #expect(throughLayer.passed, "x through the layer: \(throughLayer)")
  }

  @Test("batch norm gradients (inference mode) agree with finite differences")
  func batchNormInferenceGradients() {
    let x = random([2, 3, 2, 2], seed: 34), weights = random([2, 3, 2, 2], seed: 35)
    let gamma = random([3], seed: 36, in: 0.5...1.5), beta = random([3], seed: 37)
    let mean = random([3], seed: 38), variance = random([3], seed: 39, in: 0.5...2)
    func loss(_ x: Tensor, _ gamma: Tensor, _ beta: Tensor) -> Tensor {
      (batchNormalization(x, weight: gamma, bias: beta, mean: mean, variance: variance) * weights).sum()
    }
    for result in [
      checkGradient(at: x) { loss($0, gamma, beta) }, checkGradient(at: gamma) { loss(x, $0, beta) },
      checkGradient(at: beta) { loss(x, gamma, $0) },
    ] {
      #expect(result.passed, "\(result)")
    }
  }

  @Test("layer norm gradients agree with finite differences")
  func layerNormGradients() {
    let x = random([4, 5], seed: 40), weights = random([4, 5], seed: 41)
    let gamma = random([5], seed: 42, in: 0.5...1.5), beta = random([5], seed: 43)
    func loss(_ x: Tensor, _ gamma: Tensor, _ beta: Tensor) -> Tensor {
      (layerNormalization(x, weight: gamma, bias: beta) * weights).sum()
    }
    let dx = checkGradient(at: x) { loss($0, gamma, beta) }
    let dGamma = checkGradient(at: gamma) { loss(x, $0, beta) }
    let dBeta = checkGradient(at: beta) { loss(x, gamma, $0) }
    #expect(dx.passed, "x: \(dx)")
    #expect(dGamma.passed, "γ: \(dGamma)")
    #expect(dBeta.passed, "β: \(dBeta)")
  }

  @Test("a residual block's gradients agree with finite differences")
  func residualGradients() {
    let block = Residual(seed: 3) {
      Dense(inputSize: 4, outputSize: 6, activation: .tanh)
      LayerNorm(featureCount: 6)
      Dense(inputSize: 6, outputSize: 4)
    }
    let x = random([3, 4], seed: 50), weights = random([3, 4], seed: 51)
    let dx = checkGradient(at: x) { (block($0) * weights).sum() }
    #expect(dx.passed, "x: \(dx)")
    for index in block.parameterValues.indices {
      let result = checkGradient(at: block.parameterValues[index]) { value in
        var copy = block
        copy.parameterValues[index] = value
        return (copy(x) * weights).sum()
      }
      #expect(result.passed, "\(block.parameterNames[index]): \(result)")
    }
  }

  // MARK: Layers in models

  @Test("a residual block is x + f(x), named as a nested Sequential")
  func residualNamesAndValue() {
    let model = Sequential {
      Dense(inputSize: 8, outputSize: 32, activation: .relu)
      Residual {
        Dense(inputSize: 32, outputSize: 32, activation: .relu)
        Dense(inputSize: 32, outputSize: 32)
      }
      Dense(inputSize: 32, outputSize: 3)
    }
    #expect(model.parameterNames == [
      "0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.2.weight", "2.2.bias", "3.weight", "3.bias",
    ])
    let block = Residual(layers: [Dense(weight: Tensor([[2, 0], [0, 3]]), bias: Tensor([1, 1]))])
    #expect(block(Tensor([[1, 2]])).scalars == [1 + 3, 2 + 7])
  }

  /// Rows of 8 features in 4 classes set by a fixed random linear map.
  static func synthetic() throws -> Dataset {
    let features = random([256, 8], seed: 60, in: -1...1)
    let map = random([8, 4], seed: 61, in: -1...1)
    let scores = matmul(features, map)
    let classes = (0..<256).map { row in
      (0..<4).max { scores.scalars[row * 4 + $0] < scores.scalars[row * 4 + $1] } ?? 0
    }
    return try Dataset(features: features, classIndices: classes, classCount: 4)
  }

  /// A 20-layer × 32 ReLU MLP (`plain`), with batch norm after every hidden layer's affine
  /// map (`batchnorm`), or with its middle as 18 residual blocks of two layers (`residual`),
  /// trained for 15 epochs on the tape; returns the first and last epochs' losses.
  static let epochs = 15

  static func trainDeep(_ kind: String) throws -> (first: Float, last: Float, path: TrainingPath?) {
    let data = try synthetic()
    var model = Sequential(seed: 7) {
      Dense(inputSize: 8, outputSize: 32, activation: .relu)
      for _ in 0..<18 {
        switch kind {
        case "batchnorm":
          [Dense(inputSize: 32, outputSize: 32), BatchNorm(featureCount: 32), ActivationLayer(.relu)] as [any Layer]
        case "residual":
          Residual { Dense(inputSize: 32, outputSize: 32, activation: .relu); Dense(inputSize: 32, outputSize: 32) }
        default:
          Dense(inputSize: 32, outputSize: 32, activation: .relu)
        }
      }
      Dense(inputSize: 32, outputSize: 4)
    }
    var optimizer = Adam(learningRate: kind == "batchnorm" ? 1e-2 : 1e-3)
    let history = try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: Self.epochs, batchSize: 32, seed: 1)
    let first = history.epochs.first?["loss"] ?? .nan
    let last = history.epochs.last?["loss"] ?? .nan
    print("deep MLP (\(kind)): losses \(history.epochs.map { $0["loss"] ?? .nan }), path \(String(describing: history.trainingPath))")
    if kind == "batchnorm", let bn = model.layers[2] as? BatchNorm {
      #expect(bn.batchesTracked == Self.epochs * 8, "one update per training batch")
      #expect(bn.runningMean.scalars != [Float](repeating: 0, count: 32))
    }
    return (first, last, history.trainingPath)
  }

  @Test("a deep MLP trains on the tape with batch norm or residual blocks", arguments: ["batchnorm", "residual"])
  func deepTraining(kind: String) throws {
    let (first, last, path) = try Self.trainDeep(kind)
    #expect(path?.isFused == false, "BatchNorm and Residual are not fused: \(String(describing: path))")
    // Figures (seed 7, 15 epochs): batch norm (Adam 1e-2) 1.53 → 0.61; residual (Adam 1e-3) 108 → 0.21
    // (the unnormalised sum of 18 blocks starts large); the plain MLP (Adam 1e-3) 1.41 → 0.47.
    #expect(last.isFinite && last < 0.7 * first && last < 1, "loss \(first) → \(last)")
  }
}

/// The same computations in PyTorch (`Scripts/make_normalization_reference.py`): values,
/// gradients of Σ y ⊙ w, running statistics after three training passes, inference values.
@Suite("Normalisation against PyTorch")
struct NormalizationPyTorchTests {
  typealias Expected = PyTorchNormalizationReference

  static func inputs(_ shape: [Int], step: Int) -> Tensor {
    let count = shape.reduce(1, *)
    let scalars = (0..<count).map { i -> Float in
      let angle = 0.7 * Double(i) + 0.3 + Double(step)
      return Float(2 * sin(angle))
    }
    return Tensor(shape: shape, scalars: scalars)
  }

  static func lossWeights(_ shape: [Int]) -> Tensor {
    let scalars = (0..<shape.reduce(1, *)).map { i -> Float in Float(cos(0.3 * Double(i))) }
    return Tensor(shape: shape, scalars: scalars)
  }

  static func affine(_ c: Int) -> (Tensor, Tensor) {
    (Tensor((0..<c).map { 1 + 0.1 * Float($0) }), Tensor((0..<c).map { 0.05 * Float($0) - 0.1 }))
  }

  static func close(_ actual: Tensor, _ expected: [Float], _ what: String) {
    expectClose(actual, expected.map(Double.init), tolerance: 1e-4, what)
  }

  @Test("BatchNorm1d and BatchNorm2d: training values, gradients, running statistics, inference", arguments: [0, 1])
  func batchNorm(layout: Int) {
    let shape = layout == 0 ? [6, 3] : [2, 3, 2, 2]
    let expected =
      layout == 0
      ? (Expected.batchNorm1dTrainY, Expected.batchNorm1dGradX, Expected.batchNorm1dGradWeight,
         Expected.batchNorm1dGradBias, Expected.batchNorm1dRunningMean, Expected.batchNorm1dRunningVar,
         Expected.batchNorm1dEvalY)
      : (Expected.batchNorm2dTrainY, Expected.batchNorm2dGradX, Expected.batchNorm2dGradWeight,
         Expected.batchNorm2dGradBias, Expected.batchNorm2dRunningMean, Expected.batchNorm2dRunningVar,
         Expected.batchNorm2dEvalY)
    let (gamma, beta) = Self.affine(3)
    let layer = BatchNorm(
      weight: gamma, bias: beta, runningMean: .zeros(shape: [3]), runningVariance: Tensor(repeating: 1, shape: [3]))
    let x = Self.inputs(shape, step: 0), w = Self.lossWeights(shape)
    var y = Tensor.zeros(shape: shape)
    let (_, gradients) = valueWithGradient(at: [x, gamma, beta]) { leaves in
      var copy = layer
      copy.parameterValues = [leaves[1], leaves[2]]
      y = trainingForward(copy, leaves[0]).withoutDerivative()
      return (trainingForward(copy, leaves[0]) * w).sum()
    }
    Self.close(y, expected.0, "training y")
    Self.close(gradients[0], expected.1, "∂J/∂x")
    Self.close(gradients[1], expected.2, "∂J/∂γ")
    Self.close(gradients[2], expected.3, "∂J/∂β")
    // Two forward passes above; PyTorch's module ran one with x₀, then x₁ and x₂.
    let fresh = BatchNorm(
      weight: gamma, bias: beta, runningMean: .zeros(shape: [3]), runningVariance: Tensor(repeating: 1, shape: [3]))
    for step in 0..<3 { _ = trainingForward(fresh, Self.inputs(shape, step: step)) }
    Self.close(fresh.runningMean, expected.4, "running_mean")
    Self.close(fresh.runningVariance, expected.5, "running_var")
    #expect(fresh.batchesTracked == 3)
    Self.close(fresh(x), expected.6, "inference y")
  }

  @Test("LayerNorm: values and gradients")
  func layerNorm() {
    let shape = [4, 5]
    let (gamma, beta) = Self.affine(5)
    let x = Self.inputs(shape, step: 0), w = Self.lossWeights(shape)
    let (_, gradients) = valueWithGradient(at: [x, gamma, beta]) { leaves in
      (layerNormalization(leaves[0], weight: leaves[1], bias: leaves[2]) * w).sum()
    }
    Self.close(LayerNorm(weight: gamma, bias: beta)(x), Expected.layerNormY, "y")
    Self.close(gradients[0], Expected.layerNormGradX, "∂J/∂x")
    Self.close(gradients[1], Expected.layerNormGradWeight, "∂J/∂γ")
    Self.close(gradients[2], Expected.layerNormGradBias, "∂J/∂β")
  }
}

@Suite("Normalisation layers in models")
struct NormalizationModelTests {
  @Test("buffers are keyed like the parameters, through Sequential and Residual")
  func bufferNames() {
    let model = Sequential {
      Dense(inputSize: 4, outputSize: 8)
      BatchNorm(featureCount: 8)
      ActivationLayer(.relu)
      Residual {
        Dense(inputSize: 8, outputSize: 8)
        BatchNorm(featureCount: 8)
      }
    }
    #expect(model.parameterNames == ["0.weight", "0.bias", "1.weight", "1.bias", "3.0.weight", "3.0.bias", "3.1.weight", "3.1.bias"])
    #expect(model.buffers.keys.sorted() == [
      "1.num_batches_tracked", "1.running_mean", "1.running_var",
      "3.1.num_batches_tracked", "3.1.running_mean", "3.1.running_var",
    ])
    #expect(Dense(inputSize: 2, outputSize: 2).buffers.isEmpty)
  }

  @Test("a normalisation layer of the wrong width is a data mismatch naming it, not a trap")
  func widthMismatch() throws {
    let data = try Dataset(features: Tensor.zeros(shape: [4, 3]), classIndices: [0, 1, 0, 1])
    for layer in [BatchNorm(featureCount: 5) as any Layer, LayerNorm(featureCount: 5)] {
      var model = Sequential { Dense(inputSize: 3, outputSize: 4); layer; Dense(inputSize: 5, outputSize: 2) }
      var optimizer = SGD(learningRate: 0.1)
      #expect {
        try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 1)
      } throws: { error in
        "\(error)".contains("layer 1 (\(type(of: layer)))")
      }
    }
  }

  @Test("a residual branch that changes the width is a data mismatch naming the block")
  func residualMismatch() throws {
    let data = try Dataset(features: Tensor.zeros(shape: [4, 3]), classIndices: [0, 1, 0, 1])
    var model = Sequential {
      Dense(inputSize: 3, outputSize: 4)
      Residual { Dense(inputSize: 4, outputSize: 5) }
      Dense(inputSize: 5, outputSize: 2)
    }
    var optimizer = SGD(learningRate: 0.1)
    #expect {
      try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 1)
    } throws: { error in
      "\(error)".contains("layer 1 (Residual) adds its input [1, 4] to its branch's output [1, 5]")
    }
  }
}
