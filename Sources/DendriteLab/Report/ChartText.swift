/// The text sizes of the charts, in the SVG's own units, chosen so that a chart of the
/// default width (``defaultWidth``) shown on a narrow screen keeps every label at least
/// ``minimumRenderedSize`` px tall.
///
/// The report lets a chart shrink to its column (`max-width: 100%`), and its text shrinks
/// with it: on a 480 px screen the column is ``narrowColumnWidth`` px wide, so a size s
/// renders at s · 440 / 480. The smallest size here, 14, renders at 12.8 px.
@usableFromInline
enum ChartText {
  /// The default chart width in SVG units (and CSS px when the chart is not scaled down).
  @usableFromInline static let defaultWidth = 480
  /// The default chart height.
  @usableFromInline static let defaultHeight = 380
  /// The report's column on a 480 px wide screen: 480 less 2 × 20 px of padding.
  static let narrowColumnWidth = 440.0
  /// No chart text may render smaller than this in the narrow column, in CSS px.
  static let minimumRenderedSize = 12.0

  /// Tick labels, bar value labels and notes such as "n/a".
  static let tick = 14.0
  /// Legend entries.
  static let legend = 14.0
  /// Axis labels (the y label may shrink to ``tick`` when it is longer than the plot is tall).
  static let axisLabel = 15.0
  /// The chart's heading.
  static let title = 17.0

  /// The size `size` renders at when a chart `width` units wide fills the narrow column.
  static func renderedSize(_ size: Double, chartWidth width: Double) -> Double {
    size * min(1, narrowColumnWidth / width)
  }
}
