/// Softmax along the last axis: turns each row of scores into probabilities.
///
///     aᵢ = e^(zᵢ)/Σⱼ e^(zⱼ)            (computed as e^(zᵢ − max z)/Σⱼ e^(zⱼ − max z): no overflow)
///     ∂aᵢ/∂zⱼ = aᵢ·(δᵢⱼ − aⱼ)          so the pullback of u is a ⊙ (u − Σᵢ uᵢ·aᵢ)
///
/// The study's example: softmax(3, 1, −3) = (e³, e¹, e⁻³)/(e³ + e + e⁻³)
/// = (20.09, 2.718, 0.0498)/22.86 ≈ (0.879, 0.119, 0.002). For training, pair the raw
/// scores with ``softmaxCrossEntropy(logits:classIndices:reduction:)`` instead, whose
/// fused gradient is a − y.
///
///     softmax(Tensor([3, 1, -3]))   // [0.87887824, 0.11894324, 0.0021785216]
///
/// - Precondition: rank ≥ 1.
public func softmax(_ x: Tensor) -> Tensor {
  let (rows, columns) = x.rowsAndColumns("softmax")
  let a = Tensor(
    shape: x.shape, scalars: Kernels.softmaxRows(x.scalars, rows: rows, columns: columns, logarithm: false))
  return Tensor.recording(a, from: x) { u in
    (u - (u * a).sum(alongAxis: -1, keepingDimension: true)) * a
  }
}

/// The logarithm of ``softmax(_:)`` along the last axis, computed directly (log-sum-exp).
///
///     logSoftmax(z)ᵢ = zᵢ − ln Σⱼ e^(zⱼ) = zᵢ − m − ln Σⱼ e^(zⱼ − m),   m = max z
///     ∂/∂zⱼ logSoftmax(z)ᵢ = δᵢⱼ − aⱼ    so the pullback of u is u − a·Σᵢ uᵢ
///
///     logSoftmax(Tensor([1, 5, 3]))   // [-4.142932, -0.14293166, -2.1429317]
///
/// - Precondition: rank ≥ 1.
public func logSoftmax(_ x: Tensor) -> Tensor {
  let (rows, columns) = x.rowsAndColumns("logSoftmax")
  let logA = Tensor(
    shape: x.shape, scalars: Kernels.softmaxRows(x.scalars, rows: rows, columns: columns, logarithm: true))
  return Tensor.recording(logA, from: x) { u in
    u - exp(logA) * u.sum(alongAxis: -1, keepingDimension: true)
  }
}

extension Tensor {
  /// The tensor viewed as `[rows, columns]` with the last axis as the columns.
  func rowsAndColumns(_ operation: String) -> (rows: Int, columns: Int) {
    precondition(rank >= 1, "\(operation) needs rank ≥ 1, got a scalar")
    let columns = shape[rank - 1]
    return (columns == 0 ? 0 : scalarCount / columns, columns)
  }
}
