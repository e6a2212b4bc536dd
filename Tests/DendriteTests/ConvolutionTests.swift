import Dendrite
import Testing

/// One convolution to compare with the direct formula: input `[n, c, h, w]`, `o` kernels of
/// `k × k`, stride and padding.
struct ConvolutionCase: Sendable, CustomTestStringConvertible {
  let n: Int, c: Int, h: Int, w: Int, o: Int, k: Int, stride: Int, padding: Int
  var testDescription: String { "x [\(n), \(c), \(h), \(w)], \(o) kernels \(k)×\(k), stride \(stride), padding \(padding)" }
  var inputShape: [Int] { [n, c, h, w] }
  var weightShape: [Int] { [o, c, k, k] }
}

private let convolutionCases: [ConvolutionCase] = [
  ConvolutionCase(n: 1, c: 1, h: 5, w: 5, o: 1, k: 3, stride: 1, padding: 0),
  ConvolutionCase(n: 3, c: 2, h: 7, w: 5, o: 4, k: 3, stride: 2, padding: 1),
  ConvolutionCase(n: 1, c: 3, h: 6, w: 4, o: 2, k: 1, stride: 1, padding: 0),
  ConvolutionCase(n: 3, c: 2, h: 5, w: 6, o: 3, k: 3, stride: 1, padding: 1),
  ConvolutionCase(n: 1, c: 2, h: 8, w: 7, o: 3, k: 3, stride: 2, padding: 0),
  ConvolutionCase(n: 3, c: 1, h: 4, w: 4, o: 2, k: 2, stride: 2, padding: 1),
  ConvolutionCase(n: 3, c: 3, h: 9, w: 6, o: 5, k: 1, stride: 2, padding: 1),
  // Large enough that im2col, col2im and the axis swaps split across the kernel threads.
  ConvolutionCase(n: 8, c: 4, h: 16, w: 15, o: 6, k: 3, stride: 1, padding: 1),
]

/// A seeded tensor of standard normals pushed away from 0 (no relu kink is straddled).
private func sample(_ shape: [Int], seed: UInt64) -> Tensor {
  var generator = RandomGenerator(seed: seed)
  let scalars = (0..<shape.reduce(1, *)).map { _ -> Float in
    let v = generator.nextStandardNormal()
    return v >= 0 ? v + 0.05 : v - 0.05
  }
  return Tensor(shape: shape, scalars: scalars)
}

/// The convolution by its definition, in Double.
private func directConvolution(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, stride: Int, padding: Int) -> [Double] {
  let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
  let (o, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
  let oh = (h + 2 * padding - kh) / stride + 1
  let ow = (w + 2 * padding - kw) / stride + 1
  var y: [Double] = []
  for b in 0..<n {
    for f in 0..<o {
      for i in 0..<oh {
        for j in 0..<ow {
          var sum = Double(bias?.scalars[f] ?? 0)
          for ch in 0..<c {
            for a in 0..<kh {
              for e in 0..<kw {
                let (row, column) = (i * stride - padding + a, j * stride - padding + e)
                guard row >= 0, row < h, column >= 0, column < w else { continue }
                let xv = Double(x.scalars[((b * c + ch) * h + row) * w + column])
                sum += xv * Double(weight.scalars[((f * c + ch) * kh + a) * kw + e])
              }
            }
          }
          y.append(sum)
        }
      }
    }
  }
  return y
}

/// Sums the output with fixed random weights, so that a wrong pullback cannot hide in a plain sum.
private func weightedSum(_ y: Tensor) -> Tensor {
  var generator = RandomGenerator(seed: 99)
  return (y * Tensor(randomUniform: y.shape, in: 0.5...1.5, generator: &generator)).sum()
}

/// 8 × 8 images of one bar, vertical (class 0) or horizontal (class 1), at a random place,
/// with a little noise, as rows of 64.
private func barImages(count: Int, seed: UInt64) throws -> Dataset {
  var generator = RandomGenerator(seed: seed)
  var scalars: [Float] = []
  var labels: [Int] = []
  for index in 0..<count {
    let label = index % 2
    let line = Int(generator.nextUnitFloat() * 8) % 8
    for row in 0..<8 {
      for column in 0..<8 {
        let on = label == 0 ? column == line : row == line
        scalars.append((on ? 1 : 0) + 0.1 * generator.nextUnitFloat())
      }
    }
    labels.append(label)
  }
  return try Dataset(features: Tensor(shape: [count, 64], scalars: scalars), classIndices: labels, name: "bars")
}

@Suite("Convolution and pooling: values, gradients, layers, training")
struct ConvolutionTests {
  @Test("conv2d agrees with the direct convolution", arguments: convolutionCases)
  func convolutionValues(_ testCase: ConvolutionCase) {
    let x = sample(testCase.inputShape, seed: 1)
    let weight = sample(testCase.weightShape, seed: 2)
    let bias = sample([testCase.o], seed: 3)
    for b in [bias, nil] {
      let y = conv2d(x, weight: weight, bias: b, stride: testCase.stride, padding: testCase.padding)
      let oh = (testCase.h + 2 * testCase.padding - testCase.k) / testCase.stride + 1
      let ow = (testCase.w + 2 * testCase.padding - testCase.k) / testCase.stride + 1
      #expect(y.shape == [testCase.n, testCase.o, oh, ow])
      let expected = directConvolution(x, weight, b, stride: testCase.stride, padding: testCase.padding)
      let worst = zip(y.scalars, expected).map { Swift.abs(Double($0) - $1) }.max() ?? .infinity
      #expect(worst < 1e-4, "\(testCase.testDescription), bias \(b != nil): worst difference \(worst)")
    }
  }

  @Test("conv2d's documented example")
  func convolutionExample() {
    let x = Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    let w = Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, 1])
    #expect(conv2d(x, weight: w, bias: nil, stride: 1, padding: 0).scalars == [6, 8, 12, 14])
  }

  @Test("conv2d's gradients agree with central differences in x, weight and bias", arguments: [0, 3, 5])
  func convolutionGradients(_ caseIndex: Int) {
    let testCase = convolutionCases[caseIndex]
    let (s, p) = (testCase.stride, testCase.padding)
    let x = sample(testCase.inputShape, seed: 4)
    let weight = sample(testCase.weightShape, seed: 5)
    let bias = sample([testCase.o], seed: 6)
    // conv2d is linear in each input, so a large step has no truncation error and keeps
    // the Float rounding of a sum over hundreds of outputs out of the difference.
    func checkGradient(at value: Tensor, of f: (Tensor) -> Tensor) -> GradientCheckResult {
      Dendrite.checkGradient(at: value, stepSize: 0.05, of: f)
    }
    let checks = [
      ("x", checkGradient(at: x) { weightedSum(conv2d($0, weight: weight, bias: bias, stride: s, padding: p)) }),
      ("weight", checkGradient(at: weight) { weightedSum(conv2d(x, weight: $0, bias: bias, stride: s, padding: p)) }),
      ("bias", checkGradient(at: bias) { weightedSum(conv2d(x, weight: weight, bias: $0, stride: s, padding: p)) }),
      ("weight, no bias", checkGradient(at: weight) { weightedSum(conv2d(x, weight: $0, bias: nil, stride: s, padding: p)) }),
    ]
    for (name, result) in checks { #expect(result.passed, "\(testCase.testDescription), \(name): \(result)") }
  }

  @Test("max pooling takes each window's largest element; the gradient goes to the first maximum")
  func maxPoolValues() {
    let x = Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 7])
    #expect(maxPool2d(x, size: 2).scalars == [5, 8])
    // Overlapping windows, stride 1, and ties: the first of the tied elements gets the gradient.
    let ties = Tensor(shape: [1, 1, 2, 3], scalars: [2, 2, 1, 2, 0, 2])
    #expect(maxPool2d(ties, size: 2, stride: 1).scalars == [2, 2])
    let g = gradient(at: ties) { maxPool2d($0, size: 2, stride: 1).sum() }
    #expect(g.scalars == [1, 1, 0, 0, 0, 0])
    // Batch and channels are pooled separately; odd sizes drop the last row and column.
    let big = sample([3, 2, 5, 7], seed: 8)
    let pooled = maxPool2d(big, size: 2)
    #expect(pooled.shape == [3, 2, 2, 3])
    for plane in 0..<6 {
      for i in 0..<2 {
        for j in 0..<3 {
          let window = [(0, 0), (0, 1), (1, 0), (1, 1)].map { a, b in big.scalars[plane * 35 + (2 * i + a) * 7 + 2 * j + b] }
          #expect(pooled.scalars[(plane * 2 + i) * 3 + j] == window.max())
        }
      }
    }
  }

  @Test("conv2d with the ReLU fused equals relu(conv2d), in values and gradients", arguments: [0, 1, 3, 5, 7])
  func fusedReLU(_ caseIndex: Int) {
    let testCase = convolutionCases[caseIndex]
    let (s, p) = (testCase.stride, testCase.padding)
    let x = sample(testCase.inputShape, seed: 14)
    let weight = sample(testCase.weightShape, seed: 15)
    let bias = sample([testCase.o], seed: 16)
    let fused = conv2d(x, weight: weight, bias: bias, stride: s, padding: p, applyingReLU: true)
    let separate = relu(conv2d(x, weight: weight, bias: bias, stride: s, padding: p))
    #expect(fused.scalars == separate.scalars)
    #expect(fused.scalars.contains(0) && fused.scalars.contains { $0 > 0 }, "both sides of the kink are exercised")
    for (name, input) in [("x", 0), ("weight", 1), ("bias", 2)] {
      func loss(_ value: Tensor, fusing: Bool) -> Tensor {
        let (xs, ws, bs) = (input == 0 ? value : x, input == 1 ? value : weight, input == 2 ? value : bias)
        return fusing
          ? weightedSum(conv2d(xs, weight: ws, bias: bs, stride: s, padding: p, applyingReLU: true))
          : weightedSum(relu(conv2d(xs, weight: ws, bias: bs, stride: s, padding: p)))
      }
      let at = [x, weight, bias][input]
      let fusedGradient = gradient(at: at) { loss($0, fusing: true) }
      let separateGradient = gradient(at: at) { loss($0, fusing: false) }
      #expect(fusedGradient.scalars == separateGradient.scalars, "\(testCase.testDescription), \(name)")
    }
  }

  @Test(
    "max pooling matches its definition on planes wide enough for the vector path and at the buffer's end",
    arguments: [[2, 3, 20, 37], [1, 1, 26, 26], [3, 2, 11, 11], [1, 2, 17, 16], [8, 8, 26, 27]])
  func maxPoolAgainstDefinition(_ shape: [Int]) {
    // Rounded values make ties common, so the first-maximum rule is exercised too.
    let x = Tensor(shape: shape, scalars: sample(shape, seed: 21).scalars.map { ($0 * 2).rounded() })
    let (planes, h, w) = (shape[0] * shape[1], shape[2], shape[3])
    let (oh, ow) = (h / 2, w / 2)
    var expected = [Float](repeating: 0, count: planes * oh * ow)
    var expectedGradient = [Float](repeating: 0, count: x.scalarCount)
    for plane in 0..<planes {
      for i in 0..<oh {
        for j in 0..<ow {
          let offsets = [(0, 0), (0, 1), (1, 0), (1, 1)].map { a, b in plane * h * w + (2 * i + a) * w + 2 * j + b }
          var best = offsets[0]
          for offset in offsets.dropFirst() where x.scalars[offset] > x.scalars[best] { best = offset }
          expected[(plane * oh + i) * ow + j] = x.scalars[best]
          expectedGradient[best] += Float((plane * oh + i) * ow + j + 1)
        }
      }
    }
    #expect(maxPool2d(x, size: 2).scalars == expected)
    // Output k weighs k + 1 in the sum, so each gradient says which output it came from.
    let weights = Tensor(shape: [shape[0], shape[1], oh, ow], scalars: (1...(planes * oh * ow)).map(Float.init))
    let g = gradient(at: x) { (maxPool2d($0, size: 2) * weights).sum() }
    #expect(g.scalars == expectedGradient)
  }

  @Test("average pooling takes each window's mean")
  func averagePoolValues() {
    let x = Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 7])
    #expect(avgPool2d(x, size: 2).scalars == [3.25, 4.25])
    let strided = avgPool2d(Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Float.init)), size: 2, stride: 1)
    #expect(strided.scalars == [3, 4, 6, 7])
    let g = gradient(at: Tensor.zeros(shape: [1, 1, 3, 3])) { avgPool2d($0, size: 2, stride: 1).sum() }
    #expect(g.scalars == [0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25])
  }

  @Test("pooling and flatten gradients agree with central differences")
  func poolingGradients() {
    let x = sample([2, 3, 5, 6], seed: 9)
    let checks = [
      ("maxPool2d 2", checkGradient(at: x) { weightedSum(maxPool2d($0, size: 2)) }),
      ("maxPool2d 3 stride 2", checkGradient(at: x) { weightedSum(maxPool2d($0, size: 3, stride: 2)) }),
      ("avgPool2d 2", checkGradient(at: x) { weightedSum(avgPool2d($0, size: 2)) }),
      ("avgPool2d 3 stride 1", checkGradient(at: x) { weightedSum(avgPool2d($0, size: 3, stride: 1)) }),
      ("flatten", checkGradient(at: x) { weightedSum(flatten($0)) }),
    ]
    for (name, result) in checks { #expect(result.passed, "\(name): \(result)") }
    #expect(flatten(x).shape == [2, 90])
  }

  /// [Unflatten, Conv2D, relu, MaxPool2D, Flatten, Dense] on 6 × 6 single-channel images.
  private func smallCNN(seed: UInt64) -> Sequential {
    Sequential(seed: seed) {
      Unflatten(shape: [1, 6, 6])
      Conv2D(inChannels: 1, outChannels: 3, kernelSize: 3, padding: 1)
      ActivationLayer(.relu)
      MaxPool2D(size: 2)
      Flatten()
      Dense(inputSize: 27, outputSize: 4)
    }
  }

  @Test("a small CNN's gradients agree with central differences, parameter by parameter")
  func sequentialCNNGradients() {
    let model = smallCNN(seed: 11)
    #expect(model.parameterNames == ["1.weight", "1.bias", "5.weight", "5.bias"])
    #expect(model.parameters["1.weight"]?.shape == [3, 1, 3, 3])
    let x = sample([3, 36], seed: 12)
    let labels = [0, 3, 1]
    func loss(_ m: Sequential) -> Tensor { softmaxCrossEntropy(logits: m(x), classIndices: labels) }
    for index in model.parameterValues.indices {
      let result = checkGradient(at: model.parameterValues[index]) { value in
        var copy = model
        copy.parameterValues[index] = value
        return loss(copy)
      }
      #expect(result.passed, "\(model.parameterNames[index]): \(result)")
    }
    let inputResult = checkGradient(at: x) { softmaxCrossEntropy(logits: model($0), classIndices: labels) }
    #expect(inputResult.passed, "input: \(inputResult)")
  }

  @Test("Conv2D's shapes, initialisation and given parameters")
  func conv2DLayer() {
    let layer = Conv2D(inChannels: 2, outChannels: 8, kernelSize: 3, stride: 2, padding: 1, activation: .relu, seed: 3)
    #expect(layer.weight.shape == [8, 2, 3, 3])
    #expect(layer.bias == Tensor.zeros(shape: [8]))
    #expect(layer.parameterNames == ["weight", "bias"])
    #expect(layer(Tensor.zeros(shape: [4, 2, 9, 8])).shape == [4, 8, 5, 4])
    #expect(layer.weight == Conv2D(inChannels: 2, outChannels: 8, kernelSize: 3, activation: .relu, seed: 3).weight)
    #expect(layer.weight != Conv2D(inChannels: 2, outChannels: 8, kernelSize: 3, activation: .relu, seed: 4).weight)
    // He normal over fan-in C·K·K = 16·3·3: variance 2/144.
    let big = Conv2D(inChannels: 16, outChannels: 64, kernelSize: 3, activation: .relu)
    let variance = big.weight.squared().mean().scalar
    #expect(Swift.abs(variance - 2 / 144) < 0.1 * 2 / 144, "variance \(variance)")

    let weight = sample([2, 1, 2, 2], seed: 5)
    var exact = Sequential(seed: 1) { Conv2D(weight: weight, bias: Tensor([0.5, -1]), activation: .relu) }
    var generator = RandomGenerator(seed: 9)
    exact.initializeParameters(using: &generator)
    #expect(exact.parameterValues == [weight, Tensor([0.5, -1])])
    let x = sample([1, 1, 3, 3], seed: 6)
    let expected = relu(conv2d(x, weight: weight, bias: Tensor([0.5, -1])))
    #expect(exact(x) == expected)
    #expect(AveragePool2D(size: 2)(Tensor.zeros(shape: [2, 3, 5, 5])).shape == [2, 3, 2, 2])
    #expect(MaxPool2D(size: 3, stride: 1)(Tensor.zeros(shape: [2, 3, 5, 5])).shape == [2, 3, 3, 3])
  }

  @Test("fit trains a tiny CNN on the tape to tell vertical from horizontal bars")
  func trainsOnBars() throws {
    let data = try barImages(count: 200, seed: 21)
    var model = Sequential(seed: 5) {
      Unflatten(shape: [1, 8, 8])
      Conv2D(inChannels: 1, outChannels: 4, kernelSize: 3)
      ActivationLayer(.relu)
      MaxPool2D(size: 2)
      Flatten()
      Dense(inputSize: 36, outputSize: 2)
    }
    var optimizer = Adam(learningRate: 0.02)
    let history = try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 4, batchSize: 16)
    guard case .tape = history.trainingPath else {
      Issue.record("a CNN should train on the tape, got \(String(describing: history.trainingPath))")
      return
    }
    #expect((history["accuracy"].last ?? 0) > 0.9, "accuracy by epoch: \(history["accuracy"])")
    let test = try barImages(count: 100, seed: 22)
    #expect((model.evaluate(test, loss: .softmaxCrossEntropy)["accuracy"] ?? 0) > 0.9)
  }

  @Test("fit names the layer when images do not fit the model")
  func mismatchIsReported() throws {
    let data = try barImages(count: 10, seed: 1)
    var model = Sequential(seed: 5) {
      Unflatten(shape: [2, 4, 8])
      Conv2D(inChannels: 1, outChannels: 4, kernelSize: 3)
      Flatten()
      Dense(inputSize: 72, outputSize: 2)
    }
    var optimizer = SGD(learningRate: 0.1)
    #expect {
      try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 1)
    } throws: { error in
      "\(error)".contains("layer 1 (Conv2D)") && "\(error)".contains("channels")
    }
    var columns = Sequential(seed: 5) {
      Unflatten(shape: [1, 64, 1])
      Conv2D(inChannels: 1, outChannels: 4, kernelSize: 3)
      Flatten()
      Dense(inputSize: 248, outputSize: 2)
    }
    #expect {
      try columns.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 1)
    } throws: { error in
      "\(error)".contains("layer 1 (Conv2D)") && "\(error)".contains("larger than its input")
    }
  }

  @Test("gradient flow measures a CNN: the convolution as a layer of its own, the Dense after it")
  func gradientFlow() throws {
    let data = try barImages(count: 20, seed: 3)
    let model = Sequential(seed: 5) {
      Unflatten(shape: [1, 8, 8])
      Conv2D(inChannels: 1, outChannels: 4, kernelSize: 3)
      ActivationLayer(.relu)
      MaxPool2D(size: 2)
      Flatten()
      Dense(inputSize: 36, outputSize: 2)
    }
    let snapshot = GradientFlowSnapshot.measure(
      model: model, features: data.features, labels: data.labels, loss: .softmaxCrossEntropy)
    #expect(snapshot.layers.count == 2, "\(snapshot.layers.map(\.name))")
    #expect(snapshot.layers.allSatisfy { $0.weightGradientNorm > 0 && $0.weightGradientNorm.isFinite })
  }

  @Test("a model file stores the convolutional layers (input width from Unflatten); Conv2D first is an error, not a trap")
  func modelFileStoresConvolutions() throws {
    let model = Sequential(seed: 5) {
      Unflatten(shape: [1, 8, 8])
      Conv2D(inChannels: 1, outChannels: 4, kernelSize: 3)
      Flatten()
      Dense(inputSize: 144, outputSize: 2)
    }
    let file = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 2)
    #expect(file.inputSize == 64)
    let loaded = try ModelFile(safetensors: file.safetensors())
    let rows = Tensor(shape: [2, 64], scalars: (0..<128).map { Float($0 % 7) / 7 })
    #expect(loaded.predict(rows) == file.predict(rows))
    let imagesFirst = Sequential(layers: Array(model.layers.dropFirst()))
    #expect(throws: ModelFileError.self) {
      try ModelFile(model: imagesFirst, loss: .softmaxCrossEntropy, classCount: 2, inputSize: 64)
    }
  }
}
