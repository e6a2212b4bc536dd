@testable import Dendrite
import Testing

/// The fused kernels ``Trainer`` runs against the tape ops: the same inputs must give the
/// same values and gradients through both.
///
/// The activations' kernels and tape ops share their formulas (``PointwiseFormula``), so
/// they agree exactly, except the eight-lane sigmoid (a vector eˣ). Of the losses, mean
/// squared error shares its elementwise formulas and softmax cross-entropy keeps a kernel
/// of its own arithmetic; both sum in another order than the tape, so their values are
/// tied to a tolerance.
@Suite("FusedFormulaTests")
struct FusedFormulaTests {
  /// `[rows, columns]`: a tail only, one block of eight, blocks and a tail, a wide row.
  static let shapes = [(1, 3), (4, 8), (3, 21), (2, 64)]

  /// Seeded values from N(0, 3²), with exact zeros and saturating values mixed in.
  static func values(count: Int, seed: UInt64) -> [Float] {
    var generator = RandomGenerator(seed: seed)
    let normal = Tensor(randomNormal: [count], generator: &generator).scalars
    let specials: [Float] = [0, 30, -30, 100, -100, 0.5, -0.5]
    return normal.enumerated().map { index, x in index % 5 == 0 ? specials[(index / 5) % specials.count] : 3 * x }
  }

  /// The pre-activations z₀ and a bias with zeros in every fifth column, so that z = z₀ + b
  /// hits exact zeros (where ReLU's derivative convention matters).
  static func layerInputs(rows: Int, columns: Int, seed: UInt64) -> (z: [Float], bias: [Float]) {
    let bias = values(count: columns, seed: seed &+ 100).enumerated().map { $0 % 5 == 0 ? 0 : $1 / 4 }
    return (values(count: rows * columns, seed: seed), bias)
  }

  // MARK: Activations

  /// The activations the fused path computes inline, with their tape ops.
  static let activations: [(Kernels.PointwiseActivation, @Sendable (Tensor) -> Tensor)] = [
    (.linear, { $0 }), (.relu, relu), (.leakyRelu(0.2), { leakyRelu($0, alpha: 0.2) }), (.sigmoid, sigmoid),
    (.tanh, tanh),
  ]

  @Test("the fused activation kernels compute the tape ops' values", arguments: 0..<5)
  func activationValues(index: Int) {
    let (activation, op) = Self.activations[index]
    for (rows, columns) in Self.shapes {
      let (z0, bias) = Self.layerInputs(rows: rows, columns: columns, seed: UInt64(rows * 100 + columns))
      var z = z0
      var a = [Float](repeating: .nan, count: rows * columns)
      Kernels.addBiasAndActivate(&z, bias: bias, rows: rows, cols: columns, activation: activation, into: &a)
      let input = Tensor(shape: [rows, columns], scalars: z0) + Tensor(bias)
      #expect(z == input.scalars, "\(activation) \(rows)×\(columns): z + b")
      let expected = op(input).scalars
      let actual = activation == .linear ? z : a
      for i in expected.indices {
        if activation == .sigmoid {
          // The eight-lane eˣ is within about 1 ulp of expf; below z ≈ −88 the kernel
          // gives 0 where expf's result is a subnormal under 10⁻³⁸.
          #expect(
            abs(actual[i] - expected[i]) <= 2.5e-7 * expected[i] + 1e-37,
            "σ(\(input.scalars[i])): kernel \(actual[i]), tape \(expected[i])")
        } else {
          #expect(
            actual[i].bitPattern == expected[i].bitPattern,
            "\(activation)(\(input.scalars[i])): kernel \(actual[i]), tape \(expected[i])")
        }
      }
    }
  }

  @Test("the fused activation kernels compute the tape ops' gradients", arguments: 0..<5)
  func activationGradients(index: Int) {
    let (activation, op) = Self.activations[index]
    for (rows, columns) in Self.shapes {
      let (z0, bias) = Self.layerInputs(rows: rows, columns: columns, seed: UInt64(rows * 100 + columns))
      let input = Tensor(shape: [rows, columns], scalars: z0) + Tensor(bias)
      let upstream = Tensor(shape: [rows, columns], scalars: Self.values(count: rows * columns, seed: 7))
      let (output, expected) = valueWithGradient(at: input) { (op($0) * upstream).sum() }
      _ = output
      // The kernel reads the derivative from z or from the tape's own output a = f(z).
      var delta = upstream.scalars
      Kernels.multiplyByActivationDerivative(
        &delta, z: input.scalars, a: op(input).scalars, count: rows * columns, activation: activation)
      // Equal as numbers: the kernel's ReLU selects 0 where the tape multiplies g by 0,
      // which is −0 for a negative g.
      #expect(delta == expected.scalars, "\(activation) \(rows)×\(columns)")
    }
  }

  // MARK: Losses

  /// Logits `[rows, columns]` from N(0, 3²).
  static func logits(rows: Int, columns: Int, seed: UInt64) -> [Float] {
    var generator = RandomGenerator(seed: seed)
    return Tensor(randomNormal: [rows * columns], generator: &generator).scalars.map { 3 * $0 }
  }

  /// Rows of extreme logits (each cut or padded to `columns`): ±1000, all equal at 88 (e⁸⁸
  /// is near Float's limit, so the shift by the maximum matters), −10⁴ everywhere but one
  /// class, a close race near 10⁴, and a spread around 50.
  static func extremeLogits(rows: Int, columns: Int) -> [Float] {
    let patterns: [(Int) -> Float] = [
      { $0 == 0 ? 1000 : ($0 == 1 ? -1000 : 0) },
      { _ in 88 },
      { $0 == columns - 1 ? 0 : -10_000 },
      { $0 == 0 ? 10_000 : ($0 == 1 ? 9_997 : 0) },
      { $0 == 0 ? -50 : 50 + Float($0) },
    ]
    return (0..<rows).flatMap { row in (0..<columns).map(patterns[row % patterns.count]) }
  }

  /// The fused softmax cross-entropy's loss and gradient next to the tape op's.
  static func softmaxCrossEntropyBothWays(
    _ logits: [Float], rows: Int, columns: Int, classes: [Int]
  ) -> (kernel: (loss: Float, gradient: [Float]), tape: (loss: Float, gradient: [Float])) {
    var delta = [Float](repeating: .nan, count: rows * columns)
    let loss = Kernels.softmaxCrossEntropyWithGradient(
      logits: logits, rows: rows, columns: columns, classIndices: classes, delta: &delta)
    let (tapeLoss, tapeGradient) = valueWithGradient(at: Tensor(shape: [rows, columns], scalars: logits)) {
      softmaxCrossEntropy(logits: $0, classIndices: classes)
    }
    return ((loss, delta), (tapeLoss.scalar, tapeGradient.scalars))
  }

  /// Whether every gradient element agrees to 1e-6 relative to the gradient's scale 1/B
  /// (an element far below 1/B, a class with a tiny probability, has no relative precision
  /// to compare).
  static func gradientsAgree(_ kernel: [Float], _ tape: [Float], rows: Int) -> Bool {
    let scale = 1 / Float(rows)
    return zip(kernel, tape).allSatisfy { abs($0 - $1) <= 1e-6 * Swift.max(abs($1), scale) }
  }

  @Test(
    "the fused softmax cross-entropy kernel gives the tape op's loss and gradient to 1e-6",
    arguments: [(1, 3), (4, 10), (7, 5), (32, 10), (5, 33)])
  func softmaxCrossEntropyKernel(rows: Int, columns: Int) {
    let logits = Self.logits(rows: rows, columns: columns, seed: UInt64(rows * 1000 + columns))
    let classes = (0..<rows).map { ($0 * 7 + 1) % columns }
    let (kernel, tape) = Self.softmaxCrossEntropyBothWays(logits, rows: rows, columns: columns, classes: classes)
    #expect(abs(kernel.loss - tape.loss) <= 1e-6 * tape.loss, "J: kernel \(kernel.loss), tape \(tape.loss)")
    #expect(Self.gradientsAgree(kernel.gradient, tape.gradient, rows: rows))
  }

  @Test(
    "on extreme logits the fused softmax cross-entropy's gradient agrees to 1e-6, its loss to the logits' rounding",
    arguments: [(5, 3), (10, 4), (5, 10)])
  func softmaxCrossEntropyKernelOnExtremeLogits(rows: Int, columns: Int) {
    let logits = Self.extremeLogits(rows: rows, columns: columns)
    // The true class is the largest logit (a small loss) in the first five rows, another
    // class after them.
    let classes = (0..<rows).map { row in
      let z = logits[(row * columns)..<((row + 1) * columns)]
      let largest = z.indices.max { z[$0] < z[$1] }! - row * columns
      return row < 5 ? largest : (largest + 1) % columns
    }
    let (kernel, tape) = Self.softmaxCrossEntropyBothWays(logits, rows: rows, columns: columns, classes: classes)
    #expect(kernel.loss.isFinite && tape.loss.isFinite)
    // The kernel rounds m + ln Σ at the scale of the logits before subtracting z_y, where
    // the tape op subtracts z_y − m first: about one ulp of the largest logit apart.
    let largestLogit = logits.map(abs).max()!
    #expect(
      abs(kernel.loss - tape.loss) <= 1e-6 * tape.loss + Float.ulpOfOne * largestLogit,
      "J: kernel \(kernel.loss), tape \(tape.loss)")
    #expect(Self.gradientsAgree(kernel.gradient, tape.gradient, rows: rows))
  }

  @Test(
    "the fused mean squared error kernel gives the tape op's loss and gradient to 1e-6",
    arguments: [(1, 1), (1, 3), (4, 10), (32, 10), (5, 33)])
  func meanSquaredErrorKernel(rows: Int, columns: Int) {
    let seed = UInt64(rows * 1000 + columns)
    // Differences from 0 to about 100 (the saturating values of `values`).
    let outputs = Self.values(count: rows * columns, seed: seed)
    let targets = Self.values(count: rows * columns, seed: seed &+ 1).map { $0 / 2 }
    var delta = [Float](repeating: .nan, count: rows * columns)
    let loss = Kernels.meanSquaredErrorWithGradient(outputs: outputs, targets: targets, count: rows * columns, delta: &delta)
    let (tapeLoss, tapeGradient) = valueWithGradient(at: Tensor(shape: [rows, columns], scalars: outputs)) {
      meanSquaredError(predicted: $0, expected: Tensor(shape: [rows, columns], scalars: targets))
    }
    #expect(abs(loss - tapeLoss.scalar) <= 1e-6 * tapeLoss.scalar, "J: kernel \(loss), tape \(tapeLoss.scalar)")
    for (kernel, tape) in zip(delta, tapeGradient.scalars) {
      #expect(abs(kernel - tape) <= 1e-6 * abs(tape), "δ: kernel \(kernel), tape \(tape)")
    }
  }
}
