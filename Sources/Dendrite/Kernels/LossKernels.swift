// Fused loss value + output gradient for a batch, written into a reused buffer: the
// last step of ``Trainer``'s forward pass and the first of its backward pass in one loop.
// `enum Kernels` is declared in Kernels.swift.

extension Kernels {
  /// Mean softmax cross-entropy of `logits` `[rows, columns]` against class indices, and
  /// its gradient with respect to the logits:
  ///
  ///     J = (1/B)·Σ_b (m_b + ln Σ_c e^(z_bc − m_b) − z_b,y_b)      m_b = max_c z_bc (log-sum-exp)
  ///     δ = ∂J/∂z = (softmax(z) − onehot(y)) / B
  ///
  /// Returns J; writes δ into `delta` (at least rows·columns elements). The loss of
  /// ``softmaxCrossEntropy(logits:classIndices:reduction:)`` in an arithmetic of its own;
  /// FusedFormulaTests ties the two, as the note above that function details.
  ///
  /// - Precondition: every class index is in `0..<columns` (checked by the caller).
  static func softmaxCrossEntropyWithGradient(
    logits: [Float], rows: Int, columns: Int, classIndices: [Int], delta: inout [Float]
  ) -> Float {
    precondition(logits.count >= rows * columns && delta.count >= rows * columns && classIndices.count == rows,
                 "softmax cross-entropy buffers do not fit [\(rows), \(columns)]")
    let scale = 1 / Float(max(rows, 1))
    var total: Double = 0
    logits.withUnsafeBufferPointer { zb in
      delta.withUnsafeMutableBufferPointer { db in
        let zp = zb.baseAddress!, dp = db.baseAddress!
        for r in 0..<rows {
          let z = zp + r * columns, d = dp + r * columns
          var maximum = -Float.infinity
          for c in 0..<columns { maximum = Swift.max(maximum, z[c]) }
          var sum: Float = 0
          for c in 0..<columns {
            let e = ScalarMath.exp(z[c] - maximum)
            d[c] = e
            sum += e
          }
          let label = classIndices[r]
          total += Double(maximum + ScalarMath.log(sum) - z[label])
          let factor = scale / sum
          for c in 0..<columns { d[c] *= factor }
          d[label] -= scale
        }
      }
    }
    return Float(total * Double(scale))
  }

  /// Mean squared error of `outputs` against `targets` (same count) over all elements,
  /// and its gradient, with the elementwise formulas of ``MeanSquaredErrorFormula``:
  ///
  ///     J = (1/N)·Σ (o − t)²        δ = ∂J/∂o = 2(o − t)/N,        N = rows·columns
  ///
  /// Returns J (summed in Double); writes δ into `delta`.
  static func meanSquaredErrorWithGradient(
    outputs: [Float], targets: [Float], count: Int, delta: inout [Float]
  ) -> Float {
    precondition(outputs.count >= count && targets.count >= count && delta.count >= count,
                 "mean squared error buffers do not fit \(count) elements")
    let scale = 1 / Float(max(count, 1))
    var total: Double = 0
    outputs.withUnsafeBufferPointer { ob in
      targets.withUnsafeBufferPointer { tb in
        delta.withUnsafeMutableBufferPointer { db in
          let o = ob.baseAddress!, t = tb.baseAddress!, d = db.baseAddress!
          for i in 0..<count {
            let difference = o[i] - t[i]
            total += Double(MeanSquaredErrorFormula.squaredError(difference))
            d[i] = MeanSquaredErrorFormula.gradient(difference: difference, weight: scale)
          }
        }
      }
    }
    return Float(total * Double(scale))
  }
}
