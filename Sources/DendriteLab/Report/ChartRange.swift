/// A value range for a chart axis that starts where the data is rather than at zero: the
/// data's span widened by `margin` of itself on each side (the span is taken as at least
/// `minimumSpan`, so that flat data still gets some room), snapped outwards to a "nice"
/// step (1, 2 or 5 × 10ⁿ, about a fifth of the span) and kept inside `limits`. Non-finite
/// values are ignored; nil when no value is finite.
///
///     rangeAround([0.952, 0.97, 0.981], limits: 0...1)   // 0.94...0.99
///     rangeAround([0.62, 0.97], limits: 0...1)            // 0.5...1
func rangeAround(
  _ values: [Double], margin: Double = 0.1, minimumSpan: Double = 0.02, limits: ClosedRange<Double>? = nil
) -> ClosedRange<Double>? {
  let finite = values.filter(\.isFinite)
  guard let low = finite.min(), let high = finite.max() else { return nil }
  let span = max(high - low, minimumSpan, 1e-12)
  let step = ChartAxis.niceStep(span * (1 + 2 * margin) / 5)
  var lower = ((low - margin * span) / step).rounded(.down) * step
  var upper = ((high + margin * span) / step).rounded(.up) * step
  if let limits {
    lower = min(max(lower, limits.lowerBound), limits.upperBound)
    upper = max(min(upper, limits.upperBound), limits.lowerBound)
  }
  return lower < upper ? lower...upper : nil
}
