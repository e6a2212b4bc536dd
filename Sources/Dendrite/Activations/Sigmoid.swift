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
  x.elementwise(ScalarMath.sigmoid, derivative: { _, y in y * (1 - y) })
}
