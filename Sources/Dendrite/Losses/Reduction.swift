/// How a loss combines its per-sample values over the batch.
///
/// Every loss first computes one value per sample (for the elementwise losses, the mean
/// over the last axis, as Keras does), then:
///
///     .mean:  J = (1/B)·Σ_b J_b      the default everywhere; each sample's gradient is divided by B
///     .sum:   J = Σ_b J_b
///     .none:  the per-sample values themselves, shape [B]
///
/// The study's C = Σᵢ (G(xᵢ) − yᵢ)² for a single output is
/// `meanSquaredError(predicted:expected:reduction: .sum)`.
public enum Reduction: Sendable, Hashable, CaseIterable {
  /// The average of the per-sample losses (Keras's `sum_over_batch_size`).
  case mean
  /// The sum of the per-sample losses.
  case sum
  /// No reduction: the per-sample losses, shape `[batch]`.
  case none
}

extension Tensor {
  /// Per-sample losses `[B]` reduced as `reduction` says; `.mean` sums first, then divides
  /// by B, as Keras does. One tape entry (the gradient is g, or g / B, for every sample),
  /// with the values and rounding of `sum()` and `sum() / B`.
  func reduced(_ reduction: Reduction) -> Tensor {
    if reduction == .none { return self }
    let divisor = reduction == .mean ? Float(Swift.max(scalarCount, 1)) : 1
    let total = Kernels.reduce(scalars, outer: 1, length: scalarCount, inner: 1, kind: .sum)[0]
    let shape = self.shape
    let value = Tensor(scalar: reduction == .mean ? total / divisor : total)
    return Tensor.recording(value, from: self) { g in
      Tensor(repeating: reduction == .mean ? g.scalar / divisor : g.scalar, shape: shape)
    }
  }
}

/// Checks that a loss's prediction and target have the same shape: losses never broadcast
/// (a `[B, 1]` prediction against `[B]` targets would silently become a `[B, B]` loss).
func checkSameShape(_ loss: String, _ predicted: Tensor, _ target: Tensor) {
  precondition(
    predicted.shape == target.shape,
    "\(loss): the prediction has shape \(predicted.shape) but the target has shape \(target.shape); they must match")
  precondition(predicted.rank >= 1, "\(loss): inputs must have a batch axis, got a scalar")
}

/// Checks integer class labels against `[B, C]` scores.
func checkClassIndices(_ loss: String, _ scores: Tensor, _ classIndices: [Int]) {
  precondition(scores.rank == 2, "\(loss): scores must be [batch, classes], got shape \(scores.shape)")
  precondition(
    classIndices.count == scores.shape[0],
    "\(loss): \(classIndices.count) class indices for a batch of \(scores.shape[0]) (shape \(scores.shape))")
  let classes = scores.shape[1]
  if let bad = classIndices.first(where: { $0 < 0 || $0 >= classes }) {
    preconditionFailure("\(loss): class index \(bad) is outside 0..<\(classes) for scores of shape \(scores.shape)")
  }
}

/// Keras's fuzz factor ε = 1e-7: probability losses clip their inputs to [ε, 1 − ε] so that
/// ln 0 never happens. In Float, 1 − ε rounds to 0.99999988.
let kerasEpsilon: Float = 1e-7
