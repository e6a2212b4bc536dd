/// The Kullback–Leibler divergence of the predicted distribution from the labels, with
/// Keras's clipping of both.
///
///     t = clip(labels, ε, 1),  p = clip(probabilities, ε, 1),  ε = 1e-7
///     J = Σ_c t_c·ln(t_c/p_c)
///     ∂J/∂probabilities_c = −t_c/p_c  (0 where the probability was clipped)
///
/// Because the labels are clipped too, a zero label counts as 1e-7 and adds about −1e-6
/// per class: visible only when the divergence itself is tiny.
///
///     kullbackLeiblerDivergence(probabilities: Tensor([[0.05, 0.9, 0.05]]), labels: Tensor([[0, 1, 0]]))   // 0.1053579
///
/// - Parameters:
///   - probabilities: predicted distribution, `[batch, classes]`.
///   - labels: target distribution, same shape.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func kullbackLeiblerDivergence(
  probabilities: Tensor, labels: Tensor, reduction: Reduction = .mean
) -> Tensor {
  checkSameShape("kullbackLeiblerDivergence", probabilities, labels)
  let t = clamp(labels, min: kerasEpsilon, max: 1)
  let p = clamp(probabilities, min: kerasEpsilon, max: 1)
  return (t * log(t / p)).sum(alongAxis: -1).reduced(reduction)
}
