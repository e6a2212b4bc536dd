/// Huber loss: quadratic for small errors, linear for large ones.
///
///     e = p − y
///     h(e) = ½e²              for |e| ≤ δ
///            δ·|e| − ½δ²      otherwise
///     J_b = (1/D)·Σ_d h(e_bd),      ∂J_b/∂p_bd = (e if |e| ≤ δ, else δ·sign(e))/D
///
///     huberLoss(predicted: Tensor([[0, 3]]), expected: Tensor([[0.5, 0]]))   // (0.125 + 2.5)/2 = 1.3125
///
/// - Parameters:
///   - predicted: predictions, `[batch, outputs]`.
///   - expected: targets, same shape.
///   - delta: where the loss turns from quadratic to linear; must be positive.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func huberLoss(
  predicted: Tensor, expected: Tensor, delta: Float = 1, reduction: Reduction = .mean
) -> Tensor {
  checkSameShape("huberLoss", predicted, expected)
  precondition(delta > 0, "huberLoss: delta must be positive, got \(delta)")
  let perElement = (predicted - expected).elementwise(
    { e in Swift.abs(e) <= delta ? 0.5 * e * e : delta * Swift.abs(e) - 0.5 * delta * delta },
    derivative: { e, _ in Swift.abs(e) <= delta ? e : (e > 0 ? delta : -delta) })
  return perElement.mean(alongAxis: -1).reduced(reduction)
}
