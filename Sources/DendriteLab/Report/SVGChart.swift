import Foundation

/// A line/scatter chart written as a standalone SVG document, with no dependencies.
///
/// Axes are linear or log₁₀ (log axes cope with data spanning many decades, such as gradient
/// norms from 1e-12 to 1e3). Points that cannot be placed — NaN, ±∞, or ≤ 0 on a log axis —
/// are skipped and break the line there; a series left with no points is listed in the legend
/// as "(no finite values)". The legend sits below the plot, so it never covers data. The same
/// chart always gives the same bytes.
///
///     let chart = SVGChart(
///       title: "Gradient norm per layer",
///       xLabel: "epoch", yLabel: "‖∂J/∂W‖ (log scale)", yScale: .log10,
///       series: [.init(name: "layer 1", points: [(1, 1e-9), (2, 3e-8), (3, 1e-6)])])
///     try AtomicFile.write(Array(chart.svg().utf8), to: "gradients.svg")
public struct SVGChart: Sendable {
  /// How an axis maps values to positions.
  public enum Scale: Sendable, Equatable {
    /// Equal distances for equal differences; ticks at 1, 2 or 5 × 10ⁿ steps.
    case linear
    /// Equal distances for equal ratios; ticks at powers of ten, labelled `1e-6`.
    case log10
  }

  /// How a series is drawn.
  public enum Style: Sendable, Equatable {
    /// A line through the points, in order.
    case line
    /// A marker at each point, no line.
    case markers
    /// A line with a marker at each point.
    case lineAndMarkers
  }

  /// One named sequence of points, drawn in the order given.
  ///
  ///     SVGChart.Series(name: "tanh", points: [(1, 0.31), (2, 0.22)], style: .lineAndMarkers, dashed: true)
  public struct Series: Sendable {
    /// The legend text.
    public var name: String
    /// The points, in drawing order.
    public var points: [(x: Double, y: Double)]
    /// Line, markers or both.
    public var style: Style
    /// Whether the line is dashed (for example for a baseline or a test-set curve).
    public var dashed: Bool
    /// The palette colour (and marker shape) to use, counting from 0; `nil` uses the series'
    /// position. Give a train and a test curve the same index to pair them, or keep one
    /// activation's colour the same across charts.
    public var paletteIndex: Int?

    /// Creates a series from points.
    ///
    ///     SVGChart.Series(name: "train loss", points: [(1, 2.3), (2, 1.1), (3, 0.7)])
    public init(name: String, points: [(x: Double, y: Double)], style: Style = .line, dashed: Bool = false,
                paletteIndex: Int? = nil) {
      self.name = name
      self.points = points
      self.style = style
      self.dashed = dashed
      self.paletteIndex = paletteIndex
    }

    /// Creates a series from matching arrays of x and y values (extra values in the longer one
    /// are ignored).
    ///
    ///     SVGChart.Series(name: "relu test", x: [1, 2, 4, 8], y: [0.97, 0.97, 0.96, 0.95], dashed: true, paletteIndex: 2)
    public init(name: String, x: [Double], y: [Double], style: Style = .line, dashed: Bool = false,
                paletteIndex: Int? = nil) {
      self.init(name: name, points: zip(x, y).map { (x: $0, y: $1) }, style: style, dashed: dashed,
                paletteIndex: paletteIndex)
    }
  }

  /// The chart's heading, also its SVG `<title>`.
  public var title: String
  /// The x axis's label, with units, e.g. "epoch" or "time (s)".
  public var xLabel: String
  /// The y axis's label, with units, e.g. "loss (nats)".
  public var yLabel: String
  /// The x axis's scale; `.linear` by default.
  public var xScale: Scale
  /// The y axis's scale; `.linear` by default.
  public var yScale: Scale
  /// A fixed y range (e.g. `0...1` for accuracy); `nil` fits the data. Points outside are clipped.
  /// On a log axis a range that is not positive is ignored.
  public var yRange: ClosedRange<Double>?
  /// The series, drawn in order, coloured from the Okabe–Ito palette.
  public var series: [Series]
  /// Width of the SVG in pixels; 480 by default. Text is sized for that width: at 480 it stays
  /// at least 12 px tall when the chart shrinks to the report's column on a 480 px wide screen.
  public var width: Int
  /// Height of the SVG in pixels; 380 by default.
  public var height: Int

  /// Creates a chart.
  ///
  ///     SVGChart(title: "Training loss", xLabel: "epoch", yLabel: "loss (nats)",
  ///              series: [.init(name: "sigmoid", x: [1, 2, 3], y: [2.2, 1.9, 1.7])])
  public init(
    title: String, xLabel: String, yLabel: String,
    xScale: Scale = .linear, yScale: Scale = .linear, yRange: ClosedRange<Double>? = nil,
    series: [Series], width: Int = ChartText.defaultWidth, height: Int = ChartText.defaultHeight
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.xScale = xScale
    self.yScale = yScale
    self.yRange = yRange
    self.series = series
    self.width = width
    self.height = height
  }

  /// The chart as a complete SVG document (`<svg xmlns=… viewBox=… width height>…</svg>`).
  ///
  ///     let markup = chart.svg()   // embed in HTML, or save as a .svg file
  public func svg() -> String {
    let width = Double(max(width, 240))
    let height = Double(max(height, 180))
    let placeable = series.map { $0.points.map(placeablePoint) }
    let header = chartHeader(title: title, width: width, height: height)
    let legend = ChartLegend(entries: legendEntries(placeable), maxWidth: width - 24)

    // Vertical layout: title, plot, x tick labels, x label, legend.
    let plotTop = header.bottom
    let xLabelBaseline = height - 12 - legend.height - (legend.rows.isEmpty ? 0 : 10) - 4
    let plotHeight = max(40, xLabelBaseline - ChartText.axisLabel - 32 - plotTop)
    let yAxis = makeAxis(yScale, data: range(placeable, \.y), fixed: yRange, maxTicks: Int(plotHeight / 34) + 1)

    // Horizontal layout: y label, y tick labels, plot; x ticks thinned until labels fit.
    let plotLeft = 12 + 16 + 10 + yTickLabelWidth(yAxis) + 8
    let plotWidth = max(40, width - plotLeft - 28)
    var xTicks = Int(plotWidth / 50) + 1
    var xAxis = makeAxis(xScale, data: range(placeable, \.x), fixed: nil, maxTicks: xTicks)
    while xTicks > 2 && !labelsFit(xAxis, length: plotWidth) {
      xTicks -= 1
      xAxis = makeAxis(xScale, data: range(placeable, \.x), fixed: nil, maxTicks: xTicks)
    }
    let plot = (x: plotLeft, y: plotTop, width: plotWidth, height: plotHeight)

    var out = header.svg
    out += yAxisSVG(yAxis, plot: plot, label: yLabel, labelX: 12 + ChartText.axisLabel)
    out += xAxisSVG(xAxis, plot: plot, labelBaseline: xLabelBaseline)
    out += axisLinesSVG(plot)
    if placeable.allSatisfy({ $0.allSatisfy { $0 == nil } }) {
      out += "<text x=\"\(coordinate(plot.x + plot.width / 2))\" y=\"\(coordinate(plot.y + plot.height / 2))\""
      out += " text-anchor=\"middle\" font-size=\"\(formatFixed(ChartText.axisLabel, decimals: 1))\" fill=\"#777777\">no data to plot</text>\n"
    }
    for (index, points) in placeable.enumerated() {
      let pixels = points.map { point in
        point.map { (x: plot.x + plot.width * clampedFraction(xAxis.fraction($0.x)),
                     y: plot.y + plot.height * (1 - clampedFraction(yAxis.fraction($0.y)))) }
      }
      out += seriesSVG(series[index], index: series[index].paletteIndex ?? index, pixels: pixels, plot: plot)
    }
    out += legend.svg(centerX: width / 2, top: height - 12 - legend.height)
    return out + "</svg>\n"
  }
}

extension SVGChart {
  private func placeablePoint(_ point: (x: Double, y: Double)) -> (x: Double, y: Double)? {
    ChartAxis.canPlace(point.x, log: xScale == .log10) && ChartAxis.canPlace(point.y, log: yScale == .log10)
      ? point : nil
  }

  private func range(_ placeable: [[(x: Double, y: Double)?]], _ key: KeyPath<(x: Double, y: Double), Double>)
    -> ClosedRange<Double>?
  {
    let values = placeable.flatMap { $0.compactMap { $0?[keyPath: key] } }
    guard let low = values.min(), let high = values.max() else { return nil }
    return low...high
  }

  private func makeAxis(_ scale: Scale, data: ClosedRange<Double>?, fixed: ClosedRange<Double>?, maxTicks: Int)
    -> ChartAxis
  {
    switch scale {
    case .linear: ChartAxis.linear(data: data, fixed: fixed, maxTicks: max(2, maxTicks))
    case .log10: ChartAxis.log10(data: data, fixed: fixed, maxTicks: max(2, maxTicks))
    }
  }

  /// Whether adjacent x tick labels keep at least 10 px apart.
  private func labelsFit(_ axis: ChartAxis, length: Double) -> Bool {
    zip(axis.ticks, axis.ticks.dropFirst()).allSatisfy { left, right in
      let gap = length * (axis.fraction(right.value) - axis.fraction(left.value))
      return gap >= (textWidth(left.label, size: ChartText.tick) + textWidth(right.label, size: ChartText.tick)) / 2 + 10
    }
  }

  private func legendEntries(_ placeable: [[(x: Double, y: Double)?]]) -> [ChartLegend.Entry] {
    series.enumerated().map { position, series in
      let index = series.paletteIndex ?? position
      let color = ChartPalette.color(index)
      var swatch = ""
      if series.style != .markers {
        swatch += "<line x1=\"0\" y1=\"0\" x2=\"24\" y2=\"0\" stroke=\"\(color)\" stroke-width=\"2\""
        swatch += (series.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>"
      }
      if series.style != .line { swatch += "<g fill=\"\(color)\">" + marker(index, x: 12, y: 0, size: 4) + "</g>" }
      let empty = placeable[position].allSatisfy { $0 == nil }
      let hasFinite = series.points.contains { $0.x.isFinite && $0.y.isFinite }
      let note = !empty ? "" : hasFinite ? " (no positive values)" : " (no finite values)"
      return ChartLegend.Entry(label: series.name + note, swatch: swatch)
    }
  }

  private func xAxisSVG(_ axis: ChartAxis, plot: (x: Double, y: Double, width: Double, height: Double),
                        labelBaseline: Double) -> String {
    var out = "<g class=\"x-axis\">\n"
    let bottom = plot.y + plot.height
    for value in axis.minorTicks {
      let x = coordinate(plot.x + plot.width * axis.fraction(value))
      out += "<line x1=\"\(x)\" y1=\"\(coordinate(plot.y))\" x2=\"\(x)\" y2=\"\(coordinate(bottom))\" stroke=\"#f0f0f0\"/>\n"
    }
    for tick in axis.ticks {
      let x = coordinate(plot.x + plot.width * axis.fraction(tick.value))
      out += "<line x1=\"\(x)\" y1=\"\(coordinate(plot.y))\" x2=\"\(x)\" y2=\"\(coordinate(bottom))\" stroke=\"#dddddd\"/>\n"
      out += "<line x1=\"\(x)\" y1=\"\(coordinate(bottom))\" x2=\"\(x)\" y2=\"\(coordinate(bottom + 5))\" stroke=\"#333333\"/>\n"
      out += "<text class=\"tick\" x=\"\(x)\" y=\"\(coordinate(bottom + 7 + ChartText.tick))\" text-anchor=\"middle\""
      out += " font-size=\"\(formatFixed(ChartText.tick, decimals: 1))\">"
      out += "\(xmlEscaped(tick.label))</text>\n"
    }
    out += "<text x=\"\(coordinate(plot.x + plot.width / 2))\" y=\"\(coordinate(labelBaseline))\""
    out += " text-anchor=\"middle\" font-size=\"\(formatFixed(ChartText.axisLabel, decimals: 1))\">\(xmlEscaped(xLabel))</text>\n"
    return out + "</g>\n"
  }

  /// One series: a `<path class="series">` for its line (skipped points break it; segments are
  /// clipped to the plot) and a group of markers inside the plot.
  private func seriesSVG(_ series: Series, index: Int, pixels: [(x: Double, y: Double)?],
                         plot: (x: Double, y: Double, width: Double, height: Double)) -> String {
    let color = ChartPalette.color(index)
    let box = (left: plot.x - 0.5, top: plot.y - 0.5, right: plot.x + plot.width + 0.5, bottom: plot.y + plot.height + 0.5)
    func inside(_ p: (x: Double, y: Double)) -> Bool {
      p.x >= box.left && p.x <= box.right && p.y >= box.top && p.y <= box.bottom
    }
    var out = ""
    var markerPoints: [(x: Double, y: Double)] = []
    if series.style != .markers {
      var path = ""
      var pen: (x: Double, y: Double)?
      for i in pixels.indices {
        guard let current = pixels[i] else { continue }
        let previous = i > 0 ? pixels[i - 1] : nil
        let next = i + 1 < pixels.count ? pixels[i + 1] : nil
        if previous == nil && next == nil && series.style == .line && inside(current) {
          markerPoints.append(current)  // an isolated point would otherwise be invisible
        }
        guard let previous, let segment = clip(from: previous, to: current, box: box) else { continue }
        if let last = pen, Swift.abs(last.x - segment.0.x) < 1e-9, Swift.abs(last.y - segment.0.y) < 1e-9 {
          path += "L\(coordinate(segment.1.x)) \(coordinate(segment.1.y))"
        } else {
          path += "M\(coordinate(segment.0.x)) \(coordinate(segment.0.y))L\(coordinate(segment.1.x)) \(coordinate(segment.1.y))"
        }
        pen = segment.1
      }
      if !path.isEmpty {
        out += "<path class=\"series\" d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\""
        out += " stroke-linejoin=\"round\" stroke-linecap=\"round\"" + (series.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n"
      }
    }
    let size = series.style == .line ? 2.5 : 3.5
    if series.style != .line { markerPoints = pixels.compactMap { $0 }.filter(inside) }
    if !markerPoints.isEmpty {
      out += "<g class=\"markers\" fill=\"\(color)\">"
      out += markerPoints.map { marker(series.style == .line ? 0 : index, x: $0.x, y: $0.y, size: size) }.joined()
      out += "</g>\n"
    }
    return out
  }

  /// A marker whose shape cycles with the series: circle, square, triangle, diamond.
  private func marker(_ index: Int, x: Double, y: Double, size: Double) -> String {
    let (cx, cy) = (coordinate(x), coordinate(y))
    switch (index % 4 + 4) % 4 {
    case 0:
      return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(coordinate(size))\"/>"
    case 1:
      let s = size * 0.9
      return "<rect x=\"\(coordinate(x - s))\" y=\"\(coordinate(y - s))\" width=\"\(coordinate(2 * s))\" height=\"\(coordinate(2 * s))\"/>"
    case 2:
      let s = size * 1.2
      return "<polygon points=\"\(cx),\(coordinate(y - s)) \(coordinate(x + s)),\(coordinate(y + s * 0.8)) \(coordinate(x - s)),\(coordinate(y + s * 0.8))\"/>"
    default:
      let s = size * 1.25
      return "<polygon points=\"\(cx),\(coordinate(y - s)) \(coordinate(x + s)),\(cy) \(cx),\(coordinate(y + s)) \(coordinate(x - s)),\(cy)\"/>"
    }
  }
}

/// Keeps far-away points from overflowing pixel arithmetic; the part of a segment that shows
/// moves by well under a pixel.
private func clampedFraction(_ value: Double) -> Double { min(max(value, -1e4), 1e4) }

/// The part of the segment from `a` to `b` inside `box` (Liang–Barsky), or nil if none is.
private func clip(from a: (x: Double, y: Double), to b: (x: Double, y: Double),
                  box: (left: Double, top: Double, right: Double, bottom: Double))
  -> ((x: Double, y: Double), (x: Double, y: Double))?
{
  let (dx, dy) = (b.x - a.x, b.y - a.y)
  var (t0, t1) = (0.0, 1.0)
  for (p, q) in [(-dx, a.x - box.left), (dx, box.right - a.x), (-dy, a.y - box.top), (dy, box.bottom - a.y)] {
    if p == 0 {
      if q < 0 { return nil }
    } else {
      let t = q / p
      if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
      if t0 > t1 { return nil }
    }
  }
  return ((a.x + t0 * dx, a.y + t0 * dy), (a.x + t1 * dx, a.y + t1 * dy))
}
