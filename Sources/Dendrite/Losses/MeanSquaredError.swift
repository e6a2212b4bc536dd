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
///
/// One tape entry for the per-sample losses (the closed-form gradient above), then one
/// for the reduction, rather than the five of `((p − y)²).mean(alongAxis: -1)`; the values
/// and gradients are the same, rounding included.
public func meanSquaredError(predicted: Tensor, expected: Tensor, reduction: Reduction = .mean) -> Tensor {
  checkSameShape("meanSquaredError", predicted, expected)
  let width = predicted.shape[predicted.rank - 1]
  let samples = predicted.shape.dropLast().reduce(1, *)
  let difference = Kernels.map(predicted.scalars, expected.scalars, -)
  let squares = Kernels.map(difference, MeanSquaredErrorFormula.squaredError)
  let sums = Kernels.reduce(squares, outer: samples, length: width, inner: 1, kind: .sum)
  let divisor = Float(width)
  let perSample = Tensor(shape: Array(predicted.shape.dropLast()), scalars: Kernels.map(sums) { $0 / divisor })
  let shape = predicted.shape
  let fused = Tensor.recording(perSample, from: predicted, expected) { g, needed in
    // ∂J_b/∂p_bd = (g_b / D)·2·(p_bd − y_bd), and the negative for y.
    var dPredicted = [Float](repeating: 0, count: difference.count)
    for sample in 0..<samples {
      let scale = g.scalars[sample] / divisor
      for index in (sample * width)..<((sample + 1) * width) {
        dPredicted[index] = MeanSquaredErrorFormula.gradient(difference: difference[index], weight: scale)
      }
    }
    return (needed[0] ? Tensor(shape: shape, scalars: dPredicted) : nil,
            needed[1] ? Tensor(shape: shape, scalars: Kernels.map(dPredicted) { -$0 }) : nil)
  }
  return fused.reduced(reduction)
}

/// The elementwise pieces of ``meanSquaredError(predicted:expected:reduction:)``, shared by
/// its tape op and the fused kernel `Kernels.meanSquaredErrorWithGradient` that ``Trainer``
/// runs for MSE on targets. The kernel sums the squares in Double over the whole batch
/// where the tape op sums each sample's in Float and then averages the samples, so the two
/// values differ in the last bits; FusedFormulaTests ties them (value and gradient).
enum MeanSquaredErrorFormula {
  /// (p − y)², from the difference p − y.
  @inline(__always) static func squaredError(_ difference: Float) -> Float { difference * difference }

  /// ∂/∂p [w·(p − y)²] = w·2(p − y), from the difference p − y and the weight w the
  /// reduction gives the element (1/(B·D) for the mean over a `[B, D]` batch).
  @inline(__always) static func gradient(difference: Float, weight: Float) -> Float { weight * (2 * difference) }
}
