/// The hyperbolic tangent, elementwise.
///
///     tanh(z)  = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ) = 2κ(2z) − 1
///     tanh′(z) = 1 − tanh²(z)  ≤ 1           (taken from the output, as TensorFlow does)
///
/// Zero-centred and with a derivative up to 1 rather than 1/4, tanh trains deep stacks
/// better than the sigmoid, but it saturates the same way at both ends.
///
///     tanh(Tensor([0, 1]))   // [0, 0.7615942]
public func tanh(_ x: Tensor) -> Tensor {
  x.elementwise(TanhFormula())
}

/// The formulas of ``tanh(_:)``, for its tape op and the fused dense kernels. The value
/// is the C library's tanhf, one element at a time.
struct TanhFormula: PointwiseFormula {
  /// tanh(z).
  @inline(__always) func value(_ z: Float) -> Float { ScalarMath.tanh(z) }

  /// g·tanh′(z) = g·(1 − y²), from the output y = tanh(z).
  @inline(__always) func inputGradient(_ g: Float, input _: Float, output y: Float) -> Float { g * (1 - y * y) }

  /// g·tanh′(z) = g·(1 − y²) in eight lanes, from the output y = tanh(z).
  @inline(__always) func inputGradient(_ g: SIMD8<Float>, input _: SIMD8<Float>, output y: SIMD8<Float>) -> SIMD8<Float> {
    g * (1 - y * y)
  }
}
