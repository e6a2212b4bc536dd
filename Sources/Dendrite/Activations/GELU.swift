/// The Gaussian error linear unit, exact form (TensorFlow's default, not the tanh
/// approximation).
///
///     gelu(z)  = z·Φ(z) = ½·z·erfc(−z/√2)
///     gelu′(z) = Φ(z) + z·φ(z),     φ(z) = e^(−z²/2)/√(2π)      (gelu′(0) = ½)
///
///     gelu(Tensor([-1, 0, 1]))   // [-0.15865526, 0, 0.8413447]
public func gelu(_ x: Tensor) -> Tensor {
  let inverseSquareRootOfTwo: Float = 0.70710678118654752
  let inverseSquareRootOfTwoPi: Float = 0.39894228040143268
  return x.elementwise(
    { 0.5 * $0 * ScalarMath.erfc(-$0 * inverseSquareRootOfTwo) },
    derivative: { x, _ in
      0.5 * ScalarMath.erfc(-x * inverseSquareRootOfTwo)
        + x * inverseSquareRootOfTwoPi * ScalarMath.exp(-0.5 * x * x)
    })
}
