import Foundation

/// A grouped bar chart written as a standalone SVG document: categories along x, one bar per
/// series in each category (for example test accuracy per depth for sigmoid, tanh and ReLU).
///
/// The y axis is linear and always includes zero, so bar lengths compare honestly. A value that
/// is missing or not finite draws no bar and is marked "n/a" where there is room; a series with
/// no finite value is listed in the legend as "(no finite values)". The same chart always gives
/// the same bytes.
///
///     let chart = SVGBarChart(
///       title: "Test accuracy by depth", xLabel: "hidden layers", yLabel: "test accuracy (fraction)",
///       categories: ["2", "5", "10"], yRange: 0...1,
///       series: [.init(name: "sigmoid", values: [0.96, 0.91, 0.11]),
///                .init(name: "relu", values: [0.97, 0.97, 0.96])],
///       valueDecimals: 2)
///     let markup = chart.svg()
public struct SVGBarChart: Sendable {
  /// One named set of bars, one value per category, in the categories' order.
  ///
  ///     SVGBarChart.Series(name: "tanh", values: [0.97, 0.95, 0.62])
  public struct Series: Sendable, Equatable {
    /// The legend text.
    public var name: String
    /// One value per category; missing trailing values and NaN/±∞ draw no bar.
    public var values: [Double]
    /// The palette colour to use, counting from 0; `nil` uses the series' position. Keeps an
    /// activation's colour the same as in line charts that show more series.
    public var paletteIndex: Int?

    /// Creates a series.
    ///
    ///     SVGBarChart.Series(name: "relu", values: [0.97, 0.97, 0.96], paletteIndex: 2)
    public init(name: String, values: [Double], paletteIndex: Int? = nil) {
      self.name = name
      self.values = values
      self.paletteIndex = paletteIndex
    }
  }

  /// The chart's heading, also its SVG `<title>`.
  public var title: String
  /// The x axis's label, e.g. "hidden layers".
  public var xLabel: String
  /// The y axis's label, with units, e.g. "test accuracy (fraction)".
  public var yLabel: String
  /// The category names, left to right.
  public var categories: [String]
  /// A fixed y range (e.g. `0...1`); `nil` fits the data and zero.
  public var yRange: ClosedRange<Double>?
  /// The series; bar colours follow the Okabe–Ito palette in this order.
  public var series: [Series]
  /// When set, each bar is labelled with its value to this many decimals.
  public var valueDecimals: Int?
  /// Width of the SVG in pixels; 480 by default. Text is sized for that width: at 480 it stays
  /// at least 12 px tall when the chart shrinks to the report's column on a 480 px wide screen.
  public var width: Int
  /// Height of the SVG in pixels; 380 by default.
  public var height: Int

  /// Creates a grouped bar chart.
  ///
  ///     SVGBarChart(title: "Epochs to 90 %", xLabel: "activation", yLabel: "epochs",
  ///                 categories: ["sigmoid", "relu"], series: [.init(name: "SGD", values: [40, 6])])
  public init(
    title: String, xLabel: String, yLabel: String, categories: [String],
    yRange: ClosedRange<Double>? = nil, series: [Series], valueDecimals: Int? = nil,
    width: Int = ChartText.defaultWidth, height: Int = ChartText.defaultHeight
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.categories = categories
    self.yRange = yRange
    self.series = series
    self.valueDecimals = valueDecimals
    self.width = width
    self.height = height
  }

  /// The chart as a complete SVG document (`<svg xmlns=… viewBox=… width height>…</svg>`).
  ///
  ///     let markup = chart.svg()   // embed in HTML, or save as a .svg file
  public func svg() -> String {
    let width = Double(max(width, 240))
    let height = Double(max(height, 180))
    let header = chartHeader(title: title, width: width, height: height)
    let legend = ChartLegend(entries: legendEntries(), maxWidth: width - 24)

    // Category labels are rotated when they would not fit side by side. Estimate with a
    // plot width guessed from a typical y label width; the real one is within a few pixels.
    let groups = Double(max(categories.count, 1))
    let labelWidths = categories.map { textWidth($0, size: ChartText.tick) }
    let rotated = (labelWidths.max() ?? 0) > (width - 110) / groups - 8
    let labelDepth = rotated ? 14 + 0.574 * (labelWidths.max() ?? 0) + 6 : 12 + ChartText.tick

    let plotTop = header.bottom
    let xLabelBaseline = height - 12 - legend.height - (legend.rows.isEmpty ? 0 : 10) - 4
    let plotHeight = max(40, xLabelBaseline - ChartText.axisLabel - labelDepth - plotTop)
    let values = series.flatMap { $0.values.prefix(categories.count) }.filter(\.isFinite)
    let data = values.isEmpty ? nil : min(0, values.min()!)...max(0, values.max()!)
    let yAxis = ChartAxis.linear(data: data, fixed: yRange, maxTicks: max(2, Int(plotHeight / 34) + 1))

    // A rotated first label reaches left of its group; keep it inside the picture.
    let firstLabelReach = rotated ? 0.82 * (labelWidths.first ?? 0) - (width - 110) / groups / 2 + 12 : 0
    let plotLeft = max(12 + 16 + 10 + yTickLabelWidth(yAxis) + 8, firstLabelReach)
    let plot = (x: plotLeft, y: plotTop, width: max(40, width - plotLeft - 16), height: plotHeight)
    func yPixel(_ value: Double) -> Double {
      plot.y + plot.height * (1 - min(max(yAxis.fraction(value), 0), 1))
    }

    var out = header.svg
    out += yAxisSVG(yAxis, plot: plot, label: yLabel, labelX: 12 + ChartText.axisLabel)
    if values.isEmpty {
      out += "<text x=\"\(coordinate(plot.x + plot.width / 2))\" y=\"\(coordinate(plot.y + plot.height / 2))\""
      out += " text-anchor=\"middle\" font-size=\"\(formatFixed(ChartText.axisLabel, decimals: 1))\" fill=\"#777777\">no data to plot</text>\n"
    }

    let groupWidth = plot.width / groups
    let barWidth = groupWidth * 0.8 / Double(max(series.count, 1))
    let baseline = yPixel(0)
    out += "<g class=\"bars\">\n"
    for (c, category) in categories.enumerated() {
      let groupLeft = plot.x + groupWidth * Double(c) + groupWidth * 0.1
      for (s, series) in series.enumerated() {
        let x = groupLeft + barWidth * Double(s)
        let value = c < series.values.count ? series.values[c] : .nan
        guard value.isFinite else {
          out += valueLabelSVG("n/a", centerX: x + barWidth / 2, barWidth: barWidth, top: baseline, bottom: baseline,
                               negative: false, plot: plot, color: "#555555")
          continue
        }
        let top = min(yPixel(value), baseline)
        let bottom = max(yPixel(value), baseline)
        out += "<rect class=\"bar\" x=\"\(coordinate(x + 0.5))\" y=\"\(coordinate(top))\" width=\"\(coordinate(max(barWidth - 1, 0.5)))\""
        out += " height=\"\(coordinate(bottom - top))\" fill=\"\(ChartPalette.color(series.paletteIndex ?? s))\">"
        out += "<title>\(xmlEscaped("\(series.name), \(category): \(formatFixed(value, decimals: 6))"))</title></rect>\n"
        if let decimals = valueDecimals {
          let label = formatFixed(value, decimals: decimals, trimZeros: false)
          out += valueLabelSVG(label, centerX: x + barWidth / 2, barWidth: barWidth, top: top, bottom: bottom,
                               negative: value < 0, plot: plot, color: nil)
        }
      }
    }
    out += "</g>\n"
    out += categoryAxisSVG(plot: plot, groupWidth: groupWidth, rotated: rotated, labelBaseline: xLabelBaseline)
    out += axisLinesSVG(plot)
    if baseline > plot.y + 0.5 && baseline < plot.y + plot.height - 0.5 {
      out += "<line x1=\"\(coordinate(plot.x))\" y1=\"\(coordinate(baseline))\" x2=\"\(coordinate(plot.x + plot.width))\""
      out += " y2=\"\(coordinate(baseline))\" stroke=\"#333333\"/>\n"
    }
    out += legend.svg(centerX: width / 2, top: height - 12 - legend.height)
    return out + "</svg>\n"
  }
}

extension SVGBarChart {
  private func legendEntries() -> [ChartLegend.Entry] {
    series.enumerated().map { index, series in
      let color = ChartPalette.color(series.paletteIndex ?? index)
      let swatch = "<rect x=\"4\" y=\"-6\" width=\"16\" height=\"12\" fill=\"\(color)\"/>"
      let finite = series.values.prefix(categories.count).contains(where: \.isFinite)
      return ChartLegend.Entry(label: series.name + (finite ? "" : " (no finite values)"), swatch: swatch)
    }
  }

  /// A bar's label at its end, at ``ChartText/tick`` size: level when it fits the bar's
  /// width, else turned a quarter; outside the bar, or inside it in white where outside would
  /// leave the plot; nothing when neither fits. `color` nil is the chart's text colour.
  private func valueLabelSVG(
    _ label: String, centerX: Double, barWidth: Double, top: Double, bottom: Double, negative: Bool,
    plot: (x: Double, y: Double, width: Double, height: Double), color: String?
  ) -> String {
    let size = ChartText.tick
    let length = textWidth(label, size: size)
    let level = length <= barWidth + 4
    guard level || barWidth >= size * 0.8 else { return "" }
    // The label's extent along y, and the room outside the bar's end.
    let extent = level ? size * 0.75 : length
    let room = negative ? plot.y + plot.height - bottom - 4 : top - 4 - plot.y + (level ? 12 : 0)
    let inside = room < extent
    if inside && bottom - top < extent + 8 { return "" }
    let fill = inside ? " fill=\"#ffffff\"" : color.map { " fill=\"\($0)\"" } ?? ""
    let font = " font-size=\"\(formatFixed(size, decimals: 1))\"" + fill + ">\(xmlEscaped(label))</text>\n"
    // The end of the bar the label sits at, and the direction away from the bar.
    let (end, outward) = negative ? (bottom, 1.0) : (top, -1.0)
    let direction = inside ? -outward : outward
    if level {
      let y = end + direction * 4 + (direction > 0 ? extent : 0)
      return "<text x=\"\(coordinate(centerX))\" y=\"\(coordinate(y))\" text-anchor=\"middle\"" + font
    }
    // Rotated a quarter turn: the text runs upwards from its start, glyphs left of the anchor.
    let y = end + direction * 4 + (direction > 0 ? extent : 0)
    let x = centerX + size * 0.35
    return "<text transform=\"translate(\(coordinate(x)),\(coordinate(y))) rotate(-90)\" text-anchor=\"start\"" + font
  }

  private func categoryAxisSVG(plot: (x: Double, y: Double, width: Double, height: Double), groupWidth: Double,
                               rotated: Bool, labelBaseline: Double) -> String {
    var out = "<g class=\"x-axis\">\n"
    let bottom = plot.y + plot.height
    for (index, category) in categories.enumerated() {
      let x = plot.x + groupWidth * (Double(index) + 0.5)
      if rotated {
        out += "<text transform=\"translate(\(coordinate(x + 4)),\(coordinate(bottom + 14))) rotate(-35)\""
        out += " text-anchor=\"end\" font-size=\"\(formatFixed(ChartText.tick, decimals: 1))\">\(xmlEscaped(category))</text>\n"
      } else {
        out += "<text x=\"\(coordinate(x))\" y=\"\(coordinate(bottom + 6 + ChartText.tick))\" text-anchor=\"middle\""
        out += " font-size=\"\(formatFixed(ChartText.tick, decimals: 1))\">"
        out += "\(xmlEscaped(category))</text>\n"
      }
    }
    out += "<text x=\"\(coordinate(plot.x + plot.width / 2))\" y=\"\(coordinate(labelBaseline))\""
    out += " text-anchor=\"middle\" font-size=\"\(formatFixed(ChartText.axisLabel, decimals: 1))\">\(xmlEscaped(xLabel))</text>\n"
    return out + "</g>\n"
  }
}
