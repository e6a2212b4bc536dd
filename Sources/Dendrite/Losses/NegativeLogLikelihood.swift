/// The negative log-likelihood of the true class, given log-probabilities (PyTorch's
/// `NLLLoss`): the study's log-likelihood loss J = −ln a_true when a comes from a
/// log-softmax layer.
///
///     J_b = −ℓ_b[k_b]          ℓ = logSoftmax(z)
///     ∂J_b/∂ℓ_b = −onehot(k_b)
///
/// Chained through ``logSoftmax(_:)`` this gives the same a − y gradient as
/// ``softmaxCrossEntropy(logits:classIndices:reduction:)``, which fuses the two.
///
///     negativeLogLikelihood(logProbabilities: logSoftmax(Tensor([[1, 5, 3]])), classIndices: [1])   // 0.1429317
///
/// - Parameters:
///   - logProbabilities: log-softmax output, `[batch, classes]`.
///   - classIndices: the true class of each sample, each in `0..<classes`.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func negativeLogLikelihood(
  logProbabilities: Tensor, classIndices: [Int], reduction: Reduction = .mean
) -> Tensor {
  checkClassIndices("negativeLogLikelihood", logProbabilities, classIndices)
  let (rows, columns) = (logProbabilities.shape[0], logProbabilities.shape[1])
  let perSample = Tensor((0..<rows).map { -logProbabilities.scalars[$0 * columns + classIndices[$0]] })
  let picked = Tensor.recording(perSample, from: logProbabilities) { g in
    var gradient = [Float](repeating: 0, count: rows * columns)
    for row in 0..<rows { gradient[row * columns + classIndices[row]] = -g.scalars[row] }
    return Tensor(shape: [rows, columns], scalars: gradient)
  }
  return picked.reduced(reduction)
}
