/// Binary cross-entropy on probabilities, with Keras's clipping.
///
///     J = −y·ln a − (1 − y)·ln(1 − a),       a clipped to [ε, 1 − ε], ε = 1e-7
///     ∂J/∂a = (a − y)/(a·(1 − a))             (0 where a was clipped)
///
/// Averaged over the last axis per sample. The study's point: behind a sigmoid,
/// ∂a/∂z = a·(1 − a) cancels the denominator, so the output error is exactly a − y and a
/// saturated wrong unit still learns fast. When you have the logits, use
/// ``sigmoidCrossEntropy(logits:labels:reduction:)``, which is the same loss computed
/// stably and without clipping.
///
///     binaryCrossEntropy(probabilities: Tensor([[0.9]]), labels: Tensor([[1]]))   // −ln 0.9 ≈ 0.1053605
///
/// - Parameters:
///   - probabilities: values in [0, 1], `[batch, outputs]`.
///   - labels: targets in [0, 1], same shape.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func binaryCrossEntropy(probabilities: Tensor, labels: Tensor, reduction: Reduction = .mean) -> Tensor {
  checkSameShape("binaryCrossEntropy", probabilities, labels)
  let a = clamp(probabilities, min: kerasEpsilon, max: 1 - kerasEpsilon)
  let perElement = -(labels * log(a) + (1 - labels) * log(1 - a))
  return perElement.mean(alongAxis: -1).reduced(reduction)
}

/// Binary cross-entropy on logits, fused with the sigmoid.
///
///     J = max(x, 0) − x·t + ln(1 + e^−|x|)      (= −t·ln σ(x) − (1 − t)·ln(1 − σ(x)))
///     ∂J/∂x = σ(x) − t
///
/// The σ′(x) factor that slows MSE behind a sigmoid cancels here, so a saturated but wrong
/// unit still gets a gradient of nearly ±1. Averaged over the last axis per sample, so
/// with D outputs and `.mean` over a batch of B the gradient is (σ(x) − t)/(D·B). Finite for
/// any finite logit.
///
///     sigmoidCrossEntropy(logits: Tensor([[0]]), labels: Tensor([[1]]))   // ln 2 ≈ 0.6931472
///
/// - Parameters:
///   - logits: raw scores, `[batch, outputs]`.
///   - labels: targets in [0, 1], same shape as `logits`.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func sigmoidCrossEntropy(logits: Tensor, labels: Tensor, reduction: Reduction = .mean) -> Tensor {
  checkSameShape("sigmoidCrossEntropy", logits, labels)
  let perElement = Tensor(
    shape: logits.shape,
    scalars: Kernels.map(logits.scalars, labels.scalars) { x, t in
      Swift.max(x, 0) - x * t + ScalarMath.log1p(ScalarMath.exp(-Swift.abs(x)))
    })
  let columns = Float(logits.shape[logits.rank - 1])
  let perSample = perElement.withoutDerivative().mean(alongAxis: -1)
  let (x, t) = (logits.withoutDerivative(), labels.withoutDerivative())
  let fused = Tensor.recording(perSample, from: logits, labels) { g, needed in
    // g is ∂L/∂J_b, shape [B]; spread it over each sample's D outputs.
    let perRow = g.reshaped(to: g.shape + [1]) / columns
    let dLogits = Tensor(shape: x.shape, scalars: Kernels.map(x.scalars, t.scalars) { x, t in
      SigmoidFormula().value(x) - t
    })
    return (needed[0] ? dLogits * perRow : nil, needed[1] ? -x * perRow : nil)
  }
  return fused.reduced(reduction)
}
