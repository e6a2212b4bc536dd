import Testing
@testable import Dendrite

/// The optimizers' eight-lane kernels against the scalar update each one spells out in its
/// documentation, element by element. The kernels promise the same IEEE operations in the
/// same order, so the results must be identical, not merely close; 19 elements cover two
/// full eight-lane blocks and a scalar tail of three.
@Suite("OptimizerKernelTests")
struct OptimizerKernelTests {
  static let count = 19
  static let weights = (0..<count).map { Float(($0 * 37) % 23) / 11 - 1 }
  static let gradients = (0..<count).map { Float(($0 * 53) % 29) / 13 - 1.1 }
  static let moments = (0..<count).map { Float(($0 * 17) % 19) / 40 - 0.2 }
  static let squares = (0..<count).map { Float(($0 * 31) % 17) / 30 + 0.01 }

  @Test("Adam, with and without L2, matches its scalar formula exactly", arguments: [Float(0), 0.01])
  func adam(l2: Float) {
    let (beta1, beta2, epsilon, stepSize, root): (Float, Float, Float, Float, Float) = (0.9, 0.999, 1e-8, 0.0013, 0.0447)
    var (w, m, v) = (Self.weights, Self.moments, Self.squares)
    Kernels.adamUpdate(
      &w, gradient: Self.gradients, m: &m, v: &v, beta1: beta1, beta2: beta2, epsilon: epsilon, l2: l2,
      stepSize: stepSize, rootCorrection2: root)
    for i in 0..<Self.count {
      let g = l2 == 0 ? Self.gradients[i] : Self.gradients[i] + l2 * Self.weights[i]
      let mi = beta1 * Self.moments[i] + (1 - beta1) * g
      let vi = beta2 * Self.squares[i] + (1 - beta2) * g * g
      let wi = Self.weights[i] - stepSize * (mi / (vi.squareRoot() / root + epsilon))
      #expect(m[i] == mi && v[i] == vi && w[i] == wi, "element \(i)")
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
