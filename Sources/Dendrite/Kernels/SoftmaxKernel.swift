extension Kernels {
  /// Row-wise softmax (or log-softmax) of `x` viewed as `[rows, columns]`, stable for any
  /// finite input: each row is shifted by its maximum before exponentiating (log-sum-exp).
  ///
  ///     softmax(z)ᵢ = e^(zᵢ − m) / Σⱼ e^(zⱼ − m)
  ///     logSoftmax(z)ᵢ = zᵢ − m − ln Σⱼ e^(zⱼ − m),        m = maxⱼ zⱼ
  static func softmaxRows(_ x: [Float], rows: Int, columns: Int, logarithm: Bool) -> [Float] {
    precondition(x.count == rows * columns, "softmaxRows: \(x.count) elements for [\(rows), \(columns)]")
    return [Float](unsafeUninitializedCapacity: x.count) { out, initialized in
      x.withUnsafeBufferPointer { x in
        for r in 0..<rows {
          let base = r * columns
          var maximum = -Float.infinity
          for c in 0..<columns { maximum = Swift.max(maximum, x[base + c]) }
          var total: Float = 0
          for c in 0..<columns {
            let e = ScalarMath.exp(x[base + c] - maximum)
            out[base + c] = e
            total += e
          }
          if logarithm {
            let logTotal = ScalarMath.log(total)
            for c in 0..<columns { out[base + c] = x[base + c] - maximum - logTotal }
          } else {
            let scale = 1 / total
            for c in 0..<columns { out[base + c] *= scale }
          }
        }
      }
      initialized = x.count
    }
  }
}
