/// The exponential linear unit.
///
///     elu(z)  = z for z ≥ 0, else α·(eᶻ − 1)
///     elu′(z) = 1 for elu(z) ≥ 0, else elu(z) + α     (from the output, as TensorFlow)
///
/// Smooth for negative inputs and saturating at −α, which pushes mean activations
/// towards zero.
///
///     elu(Tensor([-1, 2]))   // [-0.6321206, 2]
public func elu(_ x: Tensor, alpha: Float = 1) -> Tensor {
  x.elementwise(
    { $0 < 0 ? alpha * (ScalarMath.exp($0) - 1) : $0 },
    derivative: { _, y in y < 0 ? y + alpha : 1 })
}

/// The scaled exponential linear unit, with the self-normalising constants
/// λ = 1.0507009873554805 and α = 1.6732632423543772.
///
///     selu(z)  = λ·z for z ≥ 0, else λ·α·(eᶻ − 1)
///     selu′(z) = λ for selu(z) ≥ 0, else selu(z) + λ·α   (from the output: selu′(0) = λ)
///
///     selu(Tensor([-1, 1]))   // [-1.1113307, 1.0507010]
public func selu(_ x: Tensor) -> Tensor {
  let lambda: Float = 1.0507009873554805
  let lambdaAlpha: Float = 1.0507009873554805 * 1.6732632423543772
  return x.elementwise(
    { $0 < 0 ? lambdaAlpha * (ScalarMath.exp($0) - 1) : lambda * $0 },
    derivative: { _, y in y < 0 ? y + lambdaAlpha : lambda })
}
