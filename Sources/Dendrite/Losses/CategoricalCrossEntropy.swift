/// Categorical cross-entropy on probabilities, as Keras computes it.
///
///     q = a/Σ_c a_c              (renormalised: rows need not sum to 1)
///     J = −Σ_c y_c·ln clip(q_c, ε, 1 − ε),        ε = 1e-7
///
/// The renormalisation is part of the gradient: for a one-hot y and a row a that already
/// sums to 1 (and is not clipped), ∂J/∂a_c = −y_c/a_c + 1. When you have the scores,
/// use ``softmaxCrossEntropy(logits:labels:reduction:)``: it is exact for any logit, while
/// this form saturates at −ln ε ≈ 16.1 with a zero gradient once a wrong class wins by
/// about 16 nats.
///
///     categoricalCrossEntropy(probabilities: Tensor([[0.2, 0.8]]), labels: Tensor([[0, 1]]))   // −ln 0.8 ≈ 0.2231436
///
/// - Parameters:
///   - probabilities: non-negative scores, `[batch, classes]`, normally softmax output.
///   - labels: one-hot or soft targets, same shape.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func categoricalCrossEntropy(
  probabilities: Tensor, labels: Tensor, reduction: Reduction = .mean
) -> Tensor {
  checkSameShape("categoricalCrossEntropy", probabilities, labels)
  let q = probabilities / probabilities.sum(alongAxis: -1, keepingDimension: true)
  let clipped = clamp(q, min: kerasEpsilon, max: 1 - kerasEpsilon)
  return (-(labels * log(clipped)).sum(alongAxis: -1)).reduced(reduction)
}
