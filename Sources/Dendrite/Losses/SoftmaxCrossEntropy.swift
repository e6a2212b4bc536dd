/// Softmax cross-entropy on logits: the study's softmax output with the log-likelihood
/// loss, fused.
///
///     a = softmax(z)
///     J = −Σ_c y_c·ln a_c = −Σ_c y_c·logSoftmax(z)_c        (log-sum-exp: exact for any logit)
///     ∂J/∂z = a·Σ_c y_c − y  = a − y  for one-hot (or any normalised) y
///
/// For the true class the gradient is a − 1, for every other class a: the study's
/// ∂J/∂b = a − y, and ∂J/∂W = (a − y)·a^(L−1) for the layer feeding it. No κ′-like factor
/// appears, so a confident wrong prediction gets a full-sized gradient. With `.mean` over
/// a batch of B the per-sample gradient is divided by B.
///
///     softmaxCrossEntropy(logits: Tensor([[1, 5, 3]]), labels: Tensor([[0, 1, 0]]))   // 0.1429317
///
/// - Parameters:
///   - logits: raw scores, `[batch, classes]`.
///   - labels: one-hot or soft targets, same shape.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func softmaxCrossEntropy(logits: Tensor, labels: Tensor, reduction: Reduction = .mean) -> Tensor {
  checkSameShape("softmaxCrossEntropy", logits, labels)
  let (rows, columns) = logits.rowsAndColumns("softmaxCrossEntropy")
  let logA = Tensor(
    shape: logits.shape,
    scalars: Kernels.softmaxRows(logits.scalars, rows: rows, columns: columns, logarithm: true))
  let y = labels.withoutDerivative()
  let perSample = -(y * logA).sum(alongAxis: -1)
  let fused = Tensor.recording(perSample, from: logits, labels) { g, needed in
    let perRow = g.reshaped(to: g.shape + [1])
    let dLogits = needed[0] ? (exp(logA) * y.sum(alongAxis: -1, keepingDimension: true) - y) * perRow : nil
    return (dLogits, needed[1] ? -logA * perRow : nil)
  }
  return fused.reduced(reduction)
}

// ``Trainer``'s fused step computes this loss and its gradient with a kernel of its own,
// `Kernels.softmaxCrossEntropyWithGradient` (LossKernels.swift): per row m + ln Σ e^(z − m)
// − z_y, summed in Double, and (e^(z − m)/Σ − onehot)/B. Sharing this op's arithmetic
// would change the kernel's rounding, so FusedFormulaTests ties the two instead: the
// gradients agree to 1e-6 of 1/B; the losses to 1e-6 relative on ordinary logits and, on
// extreme ones, to about one ulp of the largest logit, since the kernel rounds m + ln Σ
// before it subtracts z_y.
/// Softmax cross-entropy on logits with integer class labels (the sparse form).
///
///     J_b = −logSoftmax(z_b)[k_b] = −z_b,k + ln Σ_c e^(z_b,c)
///     ∂J_b/∂z_b = a_b − onehot(k_b):  a − 1 on the true class, a on the others
///
/// The study's worked example: logits (1, 5, 3) with the second class true give
/// a ≈ (0.0159, 0.8668, 0.1173), J ≈ 0.1429 and gradient ≈ (0.0159, −0.1332, 0.1173).
///
///     softmaxCrossEntropy(logits: Tensor([[1, 5, 3]]), classIndices: [1])   // 0.1429317
///
/// - Parameters:
///   - logits: raw scores, `[batch, classes]`.
///   - classIndices: the true class of each sample, each in `0..<classes`.
///   - reduction: how per-sample losses combine; `.mean` by default.
public func softmaxCrossEntropy(logits: Tensor, classIndices: [Int], reduction: Reduction = .mean) -> Tensor {
  checkClassIndices("softmaxCrossEntropy", logits, classIndices)
  let (rows, columns) = (logits.shape[0], logits.shape[1])
  let logA = Kernels.softmaxRows(logits.scalars, rows: rows, columns: columns, logarithm: true)
  let perSample = Tensor((0..<rows).map { -logA[$0 * columns + classIndices[$0]] })
  let fused = Tensor.recording(perSample, from: logits) { g in
    var dLogits = Kernels.map(logA) { ScalarMath.exp($0) }
    for row in 0..<rows {
      dLogits[row * columns + classIndices[row]] -= 1
      for column in 0..<columns { dLogits[row * columns + column] *= g.scalars[row] }
    }
    return Tensor(shape: [rows, columns], scalars: dLogits)
  }
  return fused.reduced(reduction)
}

/// Softmax cross-entropy on logits with label smoothing, as Keras's
/// `CategoricalCrossentropy(from_logits: true, label_smoothing: s)`.
///
///     y′ = y·(1 − s) + s/C        (every class gets s/C, the true class 1 − s + s/C)
///     J  = −Σ_c y′_c·logSoftmax(z)_c,      ∂J/∂z = a − y′
///
/// Smoothing stops a confident correct prediction from reaching zero loss, which keeps
/// logits from growing without bound.
///
///     softmaxCrossEntropy(logits: Tensor([[1, 5, 3]]), labels: Tensor([[0, 1, 0]]), labelSmoothing: 0.1)   // 0.3429316
///
/// - Parameters:
///   - logits: raw scores, `[batch, classes]`.
///   - labels: one-hot or soft targets, same shape.
///   - labelSmoothing: s in [0, 1].
///   - reduction: how per-sample losses combine; `.mean` by default.
public func softmaxCrossEntropy(
  logits: Tensor, labels: Tensor, labelSmoothing: Float, reduction: Reduction = .mean
) -> Tensor {
  precondition(
    (0...1).contains(labelSmoothing), "softmaxCrossEntropy: labelSmoothing must be in [0, 1], got \(labelSmoothing)")
  checkSameShape("softmaxCrossEntropy", logits, labels)
  let classes = Float(labels.shape[labels.rank - 1])
  let smoothed = labels * (1 - labelSmoothing) + labelSmoothing / classes
  return softmaxCrossEntropy(logits: logits, labels: smoothed, reduction: reduction)
}

/// Softmax cross-entropy on logits with integer class labels and label smoothing: the
/// smoothed dense loss on one-hot labels (Keras's sparse loss has no smoothing).
///
///     softmaxCrossEntropy(logits: Tensor([[1, 5, 3]]), classIndices: [1], labelSmoothing: 0.1)   // 0.3429316
///
/// - Parameters:
///   - logits: raw scores, `[batch, classes]`.
///   - classIndices: the true class of each sample, each in `0..<classes`.
///   - labelSmoothing: s in [0, 1].
///   - reduction: how per-sample losses combine; `.mean` by default.
public func softmaxCrossEntropy(
  logits: Tensor, classIndices: [Int], labelSmoothing: Float, reduction: Reduction = .mean
) -> Tensor {
  checkClassIndices("softmaxCrossEntropy", logits, classIndices)
  let labels = Tensor(oneHotClassIndices: classIndices, classCount: logits.shape[1])
  return softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: labelSmoothing, reduction: reduction)
}

extension Tensor {
  /// One-hot rows `[count, classCount]`: 1 at each class index, 0 elsewhere.
  ///
  ///     Tensor(oneHotClassIndices: [1, 0], classCount: 3)   // [[0, 1, 0], [1, 0, 0]]
  ///
  /// - Precondition: every index is in `0..<classCount`.
  public init(oneHotClassIndices classIndices: [Int], classCount: Int) {
    var scalars = [Float](repeating: 0, count: classIndices.count * classCount)
    for (row, index) in classIndices.enumerated() {
      precondition(index >= 0 && index < classCount, "class index \(index) is outside 0..<\(classCount)")
      scalars[row * classCount + index] = 1
    }
    self.init(shape: [classIndices.count, classCount], scalars: scalars)
  }
}
