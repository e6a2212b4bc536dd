/// The logistic sigmoid, κ(z) = 1/(1 + e⁻ᶻ), elementwise.
///
///     κ(z)  = 1/(1 + e⁻ᶻ)                  (computed as eᶻ/(1 + eᶻ) for z < 0: no overflow)
///     κ′(z) = κ(z)·(1 − κ(z))  ≤ 1/4        (taken from the output, as TensorFlow does)
///
/// The study's point: κ′ peaks at 1/4 at z = 0 and vanishes at both ends (κ′(±10) ≈ 4.5e-5),
/// so with mean squared error every layer's error term is multiplied by κ′(z) and a
/// saturated unit learns slowly. With cross-entropy on the same output the κ′ factor
/// cancels: use ``sigmoidCrossEntropy(logits:labels:reduction:)`` on the raw scores.
///
///     sigmoid(Tensor([0, 2]))   // [0.5, 0.880797]
public func sigmoid(_ x: Tensor) -> Tensor {
  x.elementwise(SigmoidFormula())
}

/// The formulas of ``sigmoid(_:)``, for its tape op, the fused dense kernels and the ops
/// built on κ (``softplus(_:)``, ``swish(_:)``, ``sigmoidCrossEntropy(logits:labels:reduction:)``).
struct SigmoidFormula: VectorisedPointwiseFormula {
  /// κ(z) = 1/(1 + e⁻ᶻ), evaluated so that neither branch overflows: for z < 0 it is
  /// eᶻ/(1 + eᶻ).
  @inline(__always) func value(_ z: Float) -> Float {
    if z >= 0 { return 1 / (1 + ScalarMath.exp(-z)) }
    let e = ScalarMath.exp(z)
    return e / (1 + e)
  }

  /// κ(z) = 1/(1 + e⁻ᶻ) in eight lanes, with the eight-lane exponential: within 2·10⁻⁷
  /// (relative) of the scalar form; 0 below z = −88.3 (where e⁻ᶻ is +∞; the exact value is
  /// under 5·10⁻³⁹), 1 for large z.
  @inline(__always) func value(_ z: SIMD8<Float>) -> SIMD8<Float> { 1 / (1 + VectorMath.exp(-z)) }

  /// g·κ′(z) = g·y·(1 − y), from the output y = κ(z).
  @inline(__always) func inputGradient(_ g: Float, input _: Float, output y: Float) -> Float { g * (y * (1 - y)) }

  /// g·κ′(z) = g·y·(1 − y) in eight lanes, from the output y = κ(z).
  @inline(__always) func inputGradient(_ g: SIMD8<Float>, input _: SIMD8<Float>, output y: SIMD8<Float>) -> SIMD8<Float> {
    g * (y * (1 - y))
  }
}
