/// Mean squared error, per sample averaged over the last axis (Keras semantics).
///
///     J_b    = (1/D)·Σ_d (p_bd − y_bd)²
///     ∂J_b/∂p_bd = 2·(p_bd − y_bd)/D
///
/// The study's C = Σ(G(xᵢ) − yᵢ)² with gradient 2Σ(G(xᵢ) − yᵢ)·∂G/∂w is this loss with
/// one output and `reduction: .sum`. Behind a sigmoid output a = κ(z), the chain rule adds
/// the factor κ′(z) ≤ 1/4 to the error term, (a − y)·κ′(z), so a saturated wrong unit
/// learns slowly; prefer ``sigmoidCrossEntropy(logits:labels:reduction:)`` there.
///
///     meanSquaredError(predicted: Tensor([[1, 2]]), expected: Tensor([[1, 4]]))   // 2
///
/// - Parameters:
///   - predicted: predictions, `[batch, outputs]`.
///   - expected: targets, same shape.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func meanSquaredError(predicted: Tensor, expected: Tensor, reduction: Reduction = .mean) -> Tensor {
  checkSameShape("meanSquaredError", predicted, expected)
  return (predicted - expected).squared().mean(alongAxis: -1).reduced(reduction)
}
