/// Scales all gradients together so that their global L2 norm is at most `maxNorm`, as
/// TensorFlow's `clip_by_global_norm`, and returns the norm before clipping.
///
///     N = √(Σ over every gradient and element of g²)
///     g ← g · maxNorm / N      when N > maxNorm; unchanged otherwise
///
/// Scaling every tensor by the same factor keeps the direction of the whole update. The
/// sum runs in Double, in sorted key order, so the norm neither overflows for large finite
/// gradients nor depends on dictionary order. When N is not finite (a gradient holds ∞ or
/// NaN) nothing is changed and N is returned, so that a NaN guard can see it. (PyTorch's
/// `clip_grad_norm_` divides by N + 1e-6 instead; the results differ by about 1e-6·maxNorm/N.)
///
///     var gradients = ["w": Tensor([3, 4])]
///     let norm = clipByGlobalNorm(&gradients, maxNorm: 1)   // 5; gradients["w"] is [0.6, 0.8]
///
/// - Returns: N, the global norm before clipping (as a Float; +∞ if it exceeds Float's range).
/// - Precondition: `maxNorm > 0`.
@discardableResult
public func clipByGlobalNorm(_ gradients: inout [String: Tensor], maxNorm: Float) -> Float {
  precondition(maxNorm > 0, "clipByGlobalNorm: maxNorm \(maxNorm) must be above 0")
  var sumOfSquares: Double = 0
  for (_, gradient) in gradients.sorted(by: { $0.key < $1.key }) {
    for x in gradient.scalars { sumOfSquares += Double(x) * Double(x) }
  }
  let norm = sumOfSquares.squareRoot()
  guard norm.isFinite, norm > Double(maxNorm) else { return Float(norm) }
  let scale = Float(Double(maxNorm) / norm)
  for (key, gradient) in gradients {
    gradients[key] = Tensor(shape: gradient.shape, scalars: gradient.scalars.map { $0 * scale })
  }
  return Float(norm)
}

/// Limits every gradient element to [−limit, limit], as TensorFlow's `clip_by_value` and
/// PyTorch's `clip_grad_value_`.
///
///     g ← min(max(g, −limit), limit)      elementwise; NaN stays NaN
///
/// Unlike ``clipByGlobalNorm(_:maxNorm:)`` this can change the direction of the update.
///
///     var gradients = ["w": Tensor([-3, 0.5, 2])]
///     clipByValue(&gradients, limit: 1)   // gradients["w"] is [-1, 0.5, 1]
///
/// - Precondition: `limit ≥ 0`.
public func clipByValue(_ gradients: inout [String: Tensor], limit: Float) {
  precondition(limit >= 0, "clipByValue: limit \(limit) is negative")
  for (key, gradient) in gradients {
    let clipped = gradient.scalars.map { x in x > limit ? limit : (x < -limit ? -limit : x) }
    gradients[key] = Tensor(shape: gradient.shape, scalars: clipped)
  }
}
