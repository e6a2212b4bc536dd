import Testing
@testable import Dendrite

/// The optimizers' eight-lane kernels against the scalar update each one spells out in its
/// documentation, element by element. The kernels promise the same IEEE operations in the
/// same order, so the results must be identical, not merely close; 19 elements cover two
/// full eight-lane blocks and a scalar tail of three (Adam's cases are larger: it also has
/// a sixteen-lane kernel and a threaded split).
@Suite("OptimizerKernelTests")
struct OptimizerKernelTests {
  /// Deterministic weights, gradients, moments (any sign) and squares (positive) of `count` elements.
  static func values(_ count: Int) -> (weights: [Float], gradients: [Float], moments: [Float], squares: [Float]) {
    ((0..<count).map { Float(($0 * 37) % 23) / 11 - 1 }, (0..<count).map { Float(($0 * 53) % 29) / 13 - 1.1 },
     (0..<count).map { Float(($0 * 17) % 19) / 40 - 0.2 }, (0..<count).map { Float(($0 * 31) % 17) / 30 + 0.01 })
  }

  static let count = 19
  static let (weights, gradients, moments, squares) = values(count)

  /// Element counts for Adam: 43 = two sixteen-lane blocks (the AVX-512 kernel, where the
  /// CPU has it), one eight-lane block and a scalar tail; 140,000 is split across two
  /// threads (blocks of 2¹⁶ and more).
  @Test("Adam, with and without L2, matches its scalar formula exactly, at every width and split",
        arguments: [(Float(0), 43), (0.01, 43), (0, 140_000)])
  func adam(l2: Float, count: Int) {
    let (weights, gradients, moments, squares) = Self.values(count)
    let (beta1, beta2, epsilon, stepSize, root): (Float, Float, Float, Float, Float) = (0.9, 0.999, 1e-8, 0.0013, 0.0447)
    var expected = (w: weights, m: moments, v: squares)
    for i in 0..<count {
      let g = l2 == 0 ? gradients[i] : gradients[i] + l2 * weights[i]
      expected.m[i] = beta1 * moments[i] + (1 - beta1) * g
      expected.v[i] = beta2 * squares[i] + (1 - beta2) * g * g
      expected.w[i] = weights[i] - stepSize * (expected.m[i] / (expected.v[i].squareRoot() / root + epsilon))
    }
    let widths = Kernels.gemmKernel == .avx512 ? [false, true] : [false]
    for wide in widths {
      for threads in [1, 2] {
        var (w, m, v) = (weights, moments, squares)
        Kernels.adamUpdate(
          &w, gradient: gradients, m: &m, v: &v, beta1: beta1, beta2: beta2, epsilon: epsilon, l2: l2,
          stepSize: stepSize, rootCorrection2: root, wideKernel: wide, threads: threads)
        let mismatch = (0..<count).first { w[$0] != expected.w[$0] || m[$0] != expected.m[$0] || v[$0] != expected.v[$0] }
        #expect(mismatch == nil, "AVX-512 \(wide), \(threads) threads: element \(mismatch ?? -1) differs")
      }
    }
  }

  @Test("RMSProp matches its scalar formula exactly")
  func rmsProp() {
    var (w, s) = (Self.weights, Self.squares)
    Kernels.rmsPropUpdate(&w, gradient: Self.gradients, meanSquare: &s, rho: 0.9, epsilon: 1e-7, learningRate: 0.01)
    for i in 0..<Self.count {
      let g = Self.gradients[i]
      let si = 0.9 * Self.squares[i] + (1 - 0.9) * (g * g)
      #expect(s[i] == si && w[i] == Self.weights[i] - 0.01 * g / (si + 1e-7).squareRoot(), "element \(i)")
    }
  }

  @Test("Adagrad matches its scalar formula exactly")
  func adagrad() {
    var (w, s) = (Self.weights, Self.squares)
    Kernels.adagradUpdate(&w, gradient: Self.gradients, accumulator: &s, epsilon: 1e-10, learningRate: 0.05)
    for i in 0..<Self.count {
      let g = Self.gradients[i]
      let si = Self.squares[i] + g * g
      #expect(s[i] == si && w[i] == Self.weights[i] - 0.05 * (g / (si.squareRoot() + 1e-10)), "element \(i)")
    }
  }

  @Test("SGD with momentum, Nesterov and weight decay matches its scalar formula exactly",
        arguments: [(Float(0), false, Float(0)), (0.9, false, 0.01), (0.9, true, 0)])
  func sgd(momentum: Float, nesterov: Bool, weightDecay: Float) {
    var w = Self.weights
    var velocity: [Float]? = momentum == 0 ? nil : Self.moments
    Kernels.sgdUpdate(
      &w, gradient: Self.gradients, velocity: &velocity, learningRate: 0.1, momentum: momentum, nesterov: nesterov,
      weightDecay: weightDecay)
    #expect((velocity == nil) == (momentum == 0))
    for i in 0..<Self.count {
      let d = weightDecay == 0 ? Self.gradients[i] : Self.gradients[i] + weightDecay * Self.weights[i]
      if momentum == 0 {
        #expect(w[i] == Self.weights[i] - 0.1 * d, "element \(i)")
      } else {
        let vi = momentum * Self.moments[i] + d
        #expect(velocity?[i] == vi, "element \(i)")
        #expect(w[i] == Self.weights[i] - 0.1 * (nesterov ? d + momentum * vi : vi), "element \(i)")
      }
    }
  }
}
