/// Mean absolute error, per sample averaged over the last axis (Keras semantics).
///
///     J_b = (1/D)·Σ_d |p_bd − y_bd|
///     ∂J_b/∂p_bd = sign(p_bd − y_bd)/D          (0 where p = y exactly, as TensorFlow)
///
/// Its gradient does not shrink as the error does, which makes it robust to outliers but
/// slow to settle.
///
///     meanAbsoluteError(predicted: Tensor([[1, 2]]), expected: Tensor([[2, 4]]))   // 1.5
///
/// - Parameters:
///   - predicted: predictions, `[batch, outputs]`.
///   - expected: targets, same shape.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func meanAbsoluteError(predicted: Tensor, expected: Tensor, reduction: Reduction = .mean) -> Tensor {
  checkSameShape("meanAbsoluteError", predicted, expected)
  return abs(predicted - expected).mean(alongAxis: -1).reduced(reduction)
}
