/// The rectified linear unit, max(0, z), elementwise.
///
///     relu(z)  = max(0, z)
///     relu′(z) = 1 for z > 0, else 0        (relu′(0) = 0, as TensorFlow)
///
/// The study's partial cure for vanishing gradients: on its active side the derivative is
/// exactly 1, so a deep product of per-layer factors does not shrink by κ′ ≤ 1/4 each
/// layer. A unit whose input stays negative gets no gradient at all (a dead ReLU).
///
///     relu(Tensor([-1, 0, 2]))   // [0, 0, 2]
public func relu(_ x: Tensor) -> Tensor {
  x.elementwise(ReLUFormula())
}

/// The leaky ReLU: the identity for positive inputs, a small slope α for the rest.
///
///     leakyRelu(z)  = z for z > 0, else α·z
///     leakyRelu′(z) = 1 for z > 0, else α   (leakyRelu′(0) = α, as TensorFlow)
///
/// The slope keeps a gradient flowing through units that a plain ReLU would leave dead.
///
///     leakyRelu(Tensor([-1, 2]))   // [-0.2, 2]
public func leakyRelu(_ x: Tensor, alpha: Float = 0.2) -> Tensor {
  x.elementwise(LeakyReLUFormula(alpha: alpha))
}

/// The formulas of ``relu(_:)``, for its tape op and the fused dense kernels.
struct ReLUFormula: VectorisedPointwiseFormula {
  /// max(0, z); NaN stays NaN.
  @inline(__always) func value(_ z: Float) -> Float { Swift.max(z, 0) }

  /// max(0, z) in eight lanes; NaN stays NaN, as in the scalar form.
  @inline(__always) func value(_ z: SIMD8<Float>) -> SIMD8<Float> { z.replacing(with: 0, where: z .<= 0) }

  /// g·relu′(z): g for z > 0, else 0.
  @inline(__always) func inputGradient(_ g: Float, input z: Float, output _: Float) -> Float { z > 0 ? g : 0 }

  /// g·relu′(z) in eight lanes: 0 for z ≤ 0, else g. The select is on z ≤ 0, which SSE
  /// tests in one instruction where z > 0 takes two, so a NaN input passes g through
  /// (the scalar form gives 0); the lanes agree for every other input.
  @inline(__always) func inputGradient(_ g: SIMD8<Float>, input z: SIMD8<Float>, output _: SIMD8<Float>) -> SIMD8<Float> {
    g.replacing(with: 0, where: z .<= 0)
  }
}

/// The formulas of ``leakyRelu(_:alpha:)`` with slope α, for its tape op and the fused
/// dense kernels.
struct LeakyReLUFormula: PointwiseFormula {
  /// The slope α for z ≤ 0.
  let alpha: Float

  /// z for z > 0, else α·z.
  @inline(__always) func value(_ z: Float) -> Float { z > 0 ? z : alpha * z }

  /// g·leakyRelu′(z): g for z > 0, else α·g.
  @inline(__always) func inputGradient(_ g: Float, input z: Float, output _: Float) -> Float { z > 0 ? g : alpha * g }

  /// g·leakyRelu′(z) in eight lanes: α·g for z ≤ 0, else g. As in ``ReLUFormula``, the
  /// select is on z ≤ 0, so a NaN input passes g through (the scalar form gives α·g).
  @inline(__always) func inputGradient(_ g: SIMD8<Float>, input z: SIMD8<Float>, output _: SIMD8<Float>) -> SIMD8<Float> {
    g.replacing(with: alpha * g, where: z .<= 0)
  }
}
