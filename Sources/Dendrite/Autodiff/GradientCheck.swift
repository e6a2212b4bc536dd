/// The outcome of comparing autodiff's gradient with central finite differences.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
  /// The gradient computed by reverse-mode autodiff.
  public let analytic: Tensor
  /// The gradient estimated by central differences.
  public let numerical: Tensor
  /// The largest |analytic − numerical| / (absoluteTolerance + relativeTolerance·|numerical|)
  /// over all elements: at most 1 when the check passes.
  public let worstRatio: Float
  /// The element where `worstRatio` occurs, as a flat index.
  public let worstIndex: Int

  /// Whether every element agrees within the tolerances.
  public var passed: Bool { worstRatio <= 1 }

  /// A one-line summary naming the worst element.
  public var description: String {
    let a = analytic.scalars.isEmpty ? 0 : analytic.scalars[worstIndex]
    let n = numerical.scalars.isEmpty ? 0 : numerical.scalars[worstIndex]
    return "gradient check \(passed ? "passed" : "FAILED"): worst element \(worstIndex) analytic \(a) numerical \(n) (ratio \(worstRatio))"
  }
}

/// Compares the reverse-mode gradient of a scalar function with central finite differences
///
///     ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h,      h = stepSize·max(1, |xᵢ|)
///
/// element by element, accepting |analytic − numerical| ≤ absoluteTolerance +
/// relativeTolerance·|numerical|. Evaluation is in Float, so keep h near 1e-3 and the
/// tolerances near 1e-2; inputs should stay away from kinks (relu at 0, clip bounds),
/// where a finite difference straddles two slopes.
///
///     let result = checkGradient(at: Tensor([[0.3, -1.2]])) { sigmoid($0).sum() }
///     assert(result.passed, result.description)
///
/// - Precondition: `f` returns a one-element tensor.
public func checkGradient(
  at x: Tensor, stepSize: Float = 1e-3, absoluteTolerance: Float = 1e-3,
  relativeTolerance: Float = 1e-2, of f: (Tensor) -> Tensor
) -> GradientCheckResult {
  let analytic = gradient(at: x, in: f)
  var numerical = [Float](repeating: 0, count: x.scalarCount)
  var probe = x.scalars
  for i in 0..<probe.count {
    let original = probe[i]
    let h = stepSize * Swift.max(1, Swift.abs(original))
    probe[i] = original + h
    let plus = f(Tensor(shape: x.shape, scalars: probe)).scalars[0]
    probe[i] = original - h
    let minus = f(Tensor(shape: x.shape, scalars: probe)).scalars[0]
    probe[i] = original
    // Divide by the step actually taken, which Float rounding may change.
    numerical[i] = (plus - minus) / ((original + h) - (original - h))
  }
  var worstRatio: Float = 0
  var worstIndex = 0
  for (i, (a, n)) in zip(analytic.scalars, numerical).enumerated() {
    let ratio = Swift.abs(a - n) / (absoluteTolerance + relativeTolerance * Swift.abs(n))
    if ratio > worstRatio || ratio.isNaN {
      worstRatio = ratio.isNaN ? .infinity : ratio
      worstIndex = i
    }
  }
  return GradientCheckResult(
    analytic: analytic, numerical: Tensor(shape: x.shape, scalars: numerical),
    worstRatio: worstRatio, worstIndex: worstIndex)
}
