import Dendrite
import Testing

/// A differentiable op to check, as a function of one input tensor.
struct GradientCase: Sendable, CustomTestStringConvertible {
  /// Which values the input takes.
  enum Domain: Sendable {
    /// Normal samples, nudged away from 0 so kinks (relu, abs) are not straddled.
    case real
    /// Positive values in [0.5, 2].
    case positive
    /// Probabilities in [0.05, 0.95].
    case probability
  }

  let name: String
  let shape: [Int]
  let domain: Domain
  let function: @Sendable (Tensor) -> Tensor

  init(_ name: String, shape: [Int] = [3, 4], _ domain: Domain = .real, _ function: @escaping @Sendable (Tensor) -> Tensor) {
    self.name = name
    self.shape = shape
    self.domain = domain
    self.function = function
  }

  var testDescription: String { name }

  /// A seeded input for this case.
  func input(seed: UInt64) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    let count = shape.reduce(1, *)
    let scalars = (0..<count).map { _ -> Float in
      switch domain {
      case .real:
        let v = generator.nextStandardNormal()
        return v >= 0 ? v + 0.05 : v - 0.05
      case .positive: return 0.5 + 1.5 * generator.nextUnitFloat()
      case .probability: return 0.05 + 0.9 * generator.nextUnitFloat()
      }
    }
    return Tensor(shape: shape, scalars: scalars)
  }
}

/// Fixed tensors the cases combine their input with.
private enum Operands {
  static func random(_ shape: [Int], seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor(randomUniform: shape, in: range, generator: &generator)
  }
  static let other = random([3, 4], seed: 11)
  static let positive = random([3, 4], seed: 12, in: 0.5...2)
  static let row = random([4], seed: 13)
  static let column = random([3, 1], seed: 14)
  static let matrix = random([4, 5], seed: 15)
  static let leftMatrix = random([2, 3], seed: 16)
  static let bias = random([5], seed: 19)
  static let targets = random([3, 4], seed: 17)
  static let labels = random([3, 4], seed: 18, in: 0...1)
  static let oneHot = Tensor(oneHotClassIndices: [2, 0, 3], classCount: 4)
  static let classes = [2, 0, 3]
}

private let gradientCases: [GradientCase] = [
  // Arithmetic, with and without broadcasting, differentiated in either operand.
  GradientCase("x + other") { $0 + Operands.other },
  GradientCase("x + row (broadcast)") { $0 + Operands.row },
  GradientCase("row + x, in the row", shape: [4]) { Operands.other + $0 },
  GradientCase("x − column (broadcast)") { $0 - Operands.column },
  GradientCase("column − x, in the column", shape: [3, 1]) { Operands.other - $0 },
  GradientCase("x × other") { $0 * Operands.other },
  GradientCase("x × x") { $0 * $0 },
  GradientCase("scalar × x") { 2.5 * $0 },
  GradientCase("row × x, in the row", shape: [4]) { $0 * Operands.other },
  GradientCase("x ÷ positive") { $0 / Operands.positive },
  GradientCase("other ÷ x", .positive) { Operands.other / $0 },
  GradientCase("x ÷ scalar") { $0 / 3 },
  GradientCase("−x") { -$0 },
  // Elementwise math.
  GradientCase("exp") { exp($0) },
  GradientCase("log", .positive) { log($0) },
  GradientCase("log1p", .positive) { log1p($0) },
  GradientCase("abs") { abs($0) },
  GradientCase("sqrt", .positive) { sqrt($0) },
  GradientCase("squared") { $0.squared() },
  GradientCase("clamp") { clamp($0, min: -0.5, max: 0.5) },
  // Reductions and shape ops.
  GradientCase("sum") { $0.sum() },
  GradientCase("mean") { $0.mean() },
  GradientCase("max") { $0.max() },
  GradientCase("sum along axis 0") { $0.sum(alongAxis: 0) },
  GradientCase("sum along axis 1, kept") { $0.sum(alongAxis: 1, keepingDimension: true) },
  GradientCase("mean along axis 1") { $0.mean(alongAxis: 1) },
  GradientCase("max along axis 1") { $0.max(alongAxis: 1) },
  GradientCase("max along axis 0", shape: [2, 3, 2]) { $0.max(alongAxis: 0) },
  GradientCase("reshaped") { $0.reshaped(to: [2, 6]) },
  GradientCase("transposed") { $0.transposed() },
  GradientCase("broadcast", shape: [1, 4]) { $0.broadcast(to: [3, 4]) },
  GradientCase("summed(toShape:)") { $0.summed(toShape: [1, 4]) },
  GradientCase("matmul, left operand") { matmul($0, Operands.matrix) },
  GradientCase("matmul, right operand") { matmul(Operands.leftMatrix, $0) },
  GradientCase("linear, input") { linear($0, weight: Operands.matrix.transposed(), bias: Operands.bias) },
  GradientCase("linear, weight", shape: [5, 4]) { linear(Operands.other, weight: $0, bias: Operands.bias) },
  GradientCase("linear, bias", shape: [5]) { linear(Operands.other, weight: Operands.matrix.transposed(), bias: $0) },
  // Activations.
  GradientCase("sigmoid") { sigmoid($0) },
  GradientCase("tanh") { tanh($0) },
  GradientCase("relu") { relu($0) },
  GradientCase("leakyRelu") { leakyRelu($0) },
  GradientCase("elu") { elu($0) },
  GradientCase("selu") { selu($0) },
  GradientCase("gelu") { gelu($0) },
  GradientCase("swish") { swish($0) },
  GradientCase("softplus") { softplus($0) },
  GradientCase("softmax") { softmax($0) },
  GradientCase("logSoftmax") { logSoftmax($0) },
  // Losses, in the prediction.
  GradientCase("meanSquaredError") { meanSquaredError(predicted: $0, expected: Operands.targets) },
  GradientCase("meanSquaredError, sum") { meanSquaredError(predicted: $0, expected: Operands.targets, reduction: .sum) },
  GradientCase("meanSquaredError, none") { meanSquaredError(predicted: $0, expected: Operands.targets, reduction: .none) },
  GradientCase("meanSquaredError, in the targets") { meanSquaredError(predicted: Operands.other, expected: $0) },
  GradientCase("meanSquaredError, both from x") { meanSquaredError(predicted: $0, expected: $0 * $0) },
  GradientCase("meanSquaredError, one sample", shape: [4]) { meanSquaredError(predicted: $0, expected: Operands.row) },
  GradientCase("meanAbsoluteError") { meanAbsoluteError(predicted: $0, expected: Operands.targets + 0.01) },
  GradientCase("huberLoss") { huberLoss(predicted: $0, expected: Operands.targets, delta: 0.7) },
  GradientCase("binaryCrossEntropy", .probability) { binaryCrossEntropy(probabilities: $0, labels: Operands.labels) },
  GradientCase("sigmoidCrossEntropy") { sigmoidCrossEntropy(logits: $0, labels: Operands.labels) },
  GradientCase("sigmoidCrossEntropy, in the labels", .probability) {
    sigmoidCrossEntropy(logits: Operands.other, labels: $0)
  },
  GradientCase("categoricalCrossEntropy", .probability) {
    categoricalCrossEntropy(probabilities: $0, labels: Operands.oneHot)
  },
  GradientCase("softmaxCrossEntropy, labels") { softmaxCrossEntropy(logits: $0, labels: Operands.labels) },
  GradientCase("softmaxCrossEntropy, in the labels", .probability) {
    softmaxCrossEntropy(logits: Operands.other, labels: $0)
  },
  GradientCase("softmaxCrossEntropy, class indices") {
    softmaxCrossEntropy(logits: $0, classIndices: Operands.classes, reduction: .sum)
  },
  GradientCase("softmaxCrossEntropy, label smoothing") {
    softmaxCrossEntropy(logits: $0, classIndices: Operands.classes, labelSmoothing: 0.1)
  },
  GradientCase("negativeLogLikelihood") {
    negativeLogLikelihood(logProbabilities: logSoftmax($0), classIndices: Operands.classes)
  },
  GradientCase("kullbackLeiblerDivergence", .probability) {
    kullbackLeiblerDivergence(probabilities: $0, labels: Operands.labels)
  },
]

@Suite("Finite-difference gradient checks")
struct GradientCheckTests {
  @Test("autodiff agrees with central differences", arguments: gradientCases)
  func gradientMatchesFiniteDifferences(_ testCase: GradientCase) {
    let x = testCase.input(seed: 7)
    // Weight each output element differently so that a wrong pullback cannot hide in a sum.
    let result = checkGradient(at: x) { input in
      let y = testCase.function(input)
      var generator = RandomGenerator(seed: 99)
      let weights = Tensor(randomUniform: y.shape, in: 0.5...1.5, generator: &generator)
      return (y * weights).sum()
    }
    #expect(result.passed, "\(testCase.name): \(result)")
  }

  @Test("the checker rejects a deliberately wrong gradient")
  func checkerRejectsWrongGradient() {
    // d/dx x³ is 3x², not 2x²: a plausible slip.
    func wrongCube(_ x: Tensor) -> Tensor {
      let value = Tensor(shape: x.shape, scalars: x.scalars.map { $0 * $0 * $0 })
      return Tensor.recording(value, from: [x]) { g in [g * 2 * x * x] }
    }
    func rightCube(_ x: Tensor) -> Tensor {
      let value = Tensor(shape: x.shape, scalars: x.scalars.map { $0 * $0 * $0 })
      return Tensor.recording(value, from: [x]) { g in [g * 3 * x * x] }
    }
    let x = Tensor([0.5, -1.5, 2])
    let wrong = checkGradient(at: x) { wrongCube($0).sum() }
    let right = checkGradient(at: x) { rightCube($0).sum() }
    #expect(!wrong.passed)
    #expect(wrong.worstRatio > 10)
    #expect(right.passed, "\(right)")
  }
}
