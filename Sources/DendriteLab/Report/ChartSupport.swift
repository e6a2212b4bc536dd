import Foundation

// Shared pieces of SVGChart and SVGBarChart: text escaping and measuring, number
// formatting, the palette, axis ticks and the legend. Everything here is internal.

/// Escapes `&`, `<`, `>`, `"` and `'` for XML/HTML text and attribute values, and drops the
/// control characters XML 1.0 forbids (all below U+0020 except tab, line feed and return).
func xmlEscaped(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.utf8.count)
  for scalar in text.unicodeScalars {
    switch scalar {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
    case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out
}

/// `value` rounded to `decimals` places with trailing zeros removed; never "-0".
/// Integer arithmetic, so the same number always gives the same text.
func formatFixed(_ value: Double, decimals: Int, trimZeros: Bool = true) -> String {
  guard value.isFinite else { return "0" }
  let scale = pow(10, Double(decimals))
  guard Swift.abs(value * scale) < 9e15 else { return "\(value)" }  // shortest round-trip form, e.g. 1e+20
  let scaled = Int64((value * scale).rounded())
  if scaled == 0 { return trimZeros || decimals == 0 ? "0" : "0." + String(repeating: "0", count: decimals) }
  let digits = String(Swift.abs(scaled))
  var text: String
  if decimals == 0 {
    text = digits
  } else {
    let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
    let split = padded.index(padded.endIndex, offsetBy: -decimals)
    var fraction = String(padded[split...])
    if trimZeros { while fraction.last == "0" { fraction.removeLast() } }
    text = fraction.isEmpty ? String(padded[..<split]) : padded[..<split] + "." + fraction
  }
  return scaled < 0 ? "-" + text : text
}

/// A coordinate in the SVG: two decimals, trailing zeros trimmed.
func coordinate(_ value: Double) -> String { formatFixed(value, decimals: 2) }

/// A rough width of `text` in DejaVu Sans / Arial at `size` px; errs on the wide side so
/// that layouts built on it do not overlap.
func textWidth(_ text: String, size: Double) -> Double {
  var em = 0.0
  for character in text {
    if "il.,:;'|!Ijft()[] ".contains(character) {
      em += 0.34
    } else if "mwMW@%".contains(character) || (character.isUppercase && character.isLetter) {
      em += 0.8
    } else {
      em += 0.62
    }
  }
  return em * size
}

/// Splits `text` at spaces into lines no wider than `maxWidth` (a single long word stays whole).
func wrapped(_ text: String, maxWidth: Double, size: Double) -> [String] {
  var lines: [String] = []
  var current = ""
  for word in text.split(separator: " ", omittingEmptySubsequences: true) {
    let candidate = current.isEmpty ? String(word) : current + " " + word
    if textWidth(candidate, size: size) <= maxWidth || current.isEmpty {
      current = candidate
    } else {
      lines.append(current)
      current = String(word)
    }
  }
  if !current.isEmpty || lines.isEmpty { lines.append(current) }
  return lines
}

/// The Okabe–Ito colour-blind-safe palette, darkest-contrast first; yellow is left out because
/// it is hard to see on white.
enum ChartPalette {
  static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
  static func color(_ index: Int) -> String { colors[(index % colors.count + colors.count) % colors.count] }
}

/// An axis: its domain and the ticks to draw on it.
struct ChartAxis {
  enum Kind { case linear, log10 }
  struct Tick {
    var value: Double
    var label: String
  }

  var kind: Kind
  var lower: Double
  var upper: Double
  var ticks: [Tick]
  var minorTicks: [Double] = []

  /// Where `value` falls between the domain's ends, 0…1 (outside for values outside).
  func fraction(_ value: Double) -> Double {
    switch kind {
    case .linear: (value - lower) / (upper - lower)
    case .log10: (Foundation.log10(value) - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
    }
  }

  /// Whether `value` can be placed on an axis: finite, and positive on a log axis.
  static func canPlace(_ value: Double, log: Bool) -> Bool { value.isFinite && (!log || value > 0) }

  /// A linear axis with "nice" ticks (1, 2 or 5 × 10ⁿ), at most `maxTicks` of them. The domain
  /// is widened to whole ticks unless `fixed` gives it.
  static func linear(data: ClosedRange<Double>?, fixed: ClosedRange<Double>?, maxTicks: Int) -> ChartAxis {
    var lower = data?.lowerBound ?? 0
    var upper = data?.upperBound ?? 1
    var snap = true
    if let fixed, fixed.lowerBound.isFinite, fixed.upperBound.isFinite, fixed.lowerBound < fixed.upperBound {
      (lower, upper, snap) = (fixed.lowerBound, fixed.upperBound, false)
    }
    lower = max(lower, -1e300)
    upper = min(upper, 1e300)
    if upper - lower <= Swift.abs(lower) * 1e-12 || upper - lower == 0 {
      let pad = lower == 0 ? 1 : Swift.abs(lower) * 0.1
      (lower, upper) = (lower - pad, upper + pad)
    }
    var step = niceStep((upper - lower) / Double(max(1, maxTicks - 1)))
    var values: [Double] = []
    for _ in 0..<64 {
      let low = snap ? (lower / step).rounded(.down) * step : lower
      let high = snap ? (upper / step).rounded(.up) * step : upper
      let first = (low / step - 1e-9).rounded(.up)
      let last = (high / step + 1e-9).rounded(.down)
      if last - first + 1 <= Double(max(2, maxTicks)) {
        values = stride(from: first, through: last, by: 1).map { $0 * step }
        (lower, upper) = (low, high)
        break
      }
      step = niceStep(step * 1.01)
    }
    if values.isEmpty { values = [lower, upper] }  // unreachable for finite input; never loop forever
    let labels = linearLabels(values, step: step)
    return ChartAxis(kind: .linear, lower: lower, upper: upper,
                     ticks: zip(values, labels).map { Tick(value: $0, label: $1) })
  }

  /// A log₁₀ axis with ticks at powers of ten, labelled `1e-6`, `1e0`, `1e3`; over many decades
  /// only every 2nd, 3rd, 5th… decade is labelled and the rest get minor ticks.
  static func log10(data: ClosedRange<Double>?, fixed: ClosedRange<Double>?, maxTicks: Int) -> ChartAxis {
    let maxTicks = max(2, maxTicks)
    var lower = data?.lowerBound ?? 1
    var upper = data?.upperBound ?? 10
    var first: Int, last: Int, every: Int
    if let fixed, fixed.lowerBound > 0, fixed.upperBound.isFinite, fixed.lowerBound < fixed.upperBound {
      (lower, upper) = (fixed.lowerBound, fixed.upperBound)
      first = Int((Foundation.log10(lower) - 1e-9).rounded(.up))
      last = Int((Foundation.log10(upper) + 1e-9).rounded(.down))
      guard last > first else {
        // Less than two powers of ten in a fixed range: 1-2-5 ticks, or plain nice ticks.
        if let ticks = subDecadeTicks(lower: lower, upper: upper, maxTicks: maxTicks) {
          return ChartAxis(kind: .log10, lower: lower, upper: upper, ticks: ticks)
        }
        var axis = linear(data: nil, fixed: lower...upper, maxTicks: maxTicks)
        axis.kind = .log10
        axis.ticks.removeAll { $0.value <= 0 }
        return axis
      }
      every = [1, 2, 3, 5, 10, 20, 50, 100].first { (last - first) / $0 + 1 <= maxTicks } ?? 100
    } else {
      // Whole decades around the data, widened to multiples of the label step so that both
      // ends are labelled.
      let low = max(Int(Foundation.log10(lower).rounded(.down)), -323)
      let high = min(Int(Foundation.log10(upper).rounded(.up)), 308)
      (first, last) = low == high ? (low - 1, high + 1) : (low, high)
      every = 100
      for step in [1, 2, 3, 5, 10, 20, 50, 100] {
        let (snappedFirst, snappedLast) = (floorMultiple(first, step), -floorMultiple(-last, step))
        if (snappedLast - snappedFirst) / step + 1 <= maxTicks || step == 100 {
          (first, last, every) = (snappedFirst, snappedLast, step)
          break
        }
      }
      (lower, upper) = (pow(10, Double(first)), pow(10, Double(last)))
    }
    var ticks: [Tick] = []
    var minor: [Double] = []
    for exponent in first...last {
      if ((exponent % every) + every) % every == 0 {
        ticks.append(Tick(value: pow(10, Double(exponent)), label: "1e\(exponent)"))
      } else {
        minor.append(pow(10, Double(exponent)))
      }
    }
    if every == 1 && last - first <= 4 {
      for exponent in (first - 1)...last {
        for m in 2...9 {
          let value = Double(m) * pow(10, Double(exponent))
          if value > lower && value < upper { minor.append(value) }
        }
      }
    }
    return ChartAxis(kind: .log10, lower: lower, upper: upper, ticks: ticks, minorTicks: minor)
  }

  /// Ticks at 1, 2, 5 × 10ⁿ (or 1…9 × 10ⁿ) inside a range narrower than two decades, labelled
  /// `0.05` or `5e-7`; nil if fewer than two fit.
  private static func subDecadeTicks(lower: Double, upper: Double, maxTicks: Int) -> [Tick]? {
    let first = Int(Foundation.log10(lower).rounded(.down))
    let last = Int(Foundation.log10(upper).rounded(.down))
    for multiples in [[1, 2, 5], [1, 2, 3, 5], Array(1...9)] {
      var ticks: [Tick] = []
      for exponent in first...last {
        for m in multiples {
          let value = Double(m) * pow(10, Double(exponent))
          guard value >= lower * (1 - 1e-9) && value <= upper * (1 + 1e-9) else { continue }
          let label = (-4...5).contains(exponent) ? formatFixed(value, decimals: max(0, -exponent)) : "\(m)e\(exponent)"
          ticks.append(Tick(value: value, label: label))
        }
      }
      if ticks.count > maxTicks { return nil }
      if ticks.count >= 2 { return ticks }
    }
    return nil
  }

  /// The largest multiple of `step` that is ≤ `value`.
  private static func floorMultiple(_ value: Int, _ step: Int) -> Int {
    value >= 0 ? value / step * step : -((-value + step - 1) / step * step)
  }

  /// The smallest of 1, 2, 5 × 10ⁿ that is at least `raw`.
  static func niceStep(_ raw: Double) -> Double {
    guard raw.isFinite, raw > 0 else { return 1 }
    let magnitude = pow(10, Foundation.log10(raw).rounded(.down))
    let fraction = raw / magnitude
    let nice: Double = fraction <= 1 + 1e-9 ? 1 : fraction <= 2 + 1e-9 ? 2 : fraction <= 5 + 1e-9 ? 5 : 10
    return nice * magnitude
  }

  /// Labels with just enough decimals for `step`; scientific (`2.5e-7`, `3e8`) when the values
  /// are very large or the step very small.
  static func linearLabels(_ values: [Double], step: Double) -> [String] {
    let stepExponent = Int((Foundation.log10(step) + 1e-9).rounded(.down))
    let largest = values.map { Swift.abs($0) }.max() ?? 0
    if largest < 1e6 && stepExponent >= -5 {
      return values.map { formatFixed($0, decimals: max(0, -stepExponent), trimZeros: false) }
    }
    return values.map { value in
      if Swift.abs(value) < step * 1e-6 { return "0" }
      var exponent = Int((Foundation.log10(Swift.abs(value)) + 1e-9).rounded(.down))
      let digits = min(6, max(0, exponent - stepExponent))
      var mantissa = value / pow(10, Double(exponent))
      if Swift.abs(mantissa.rounded(toPlaces: digits)) >= 10 {
        exponent += 1
        mantissa /= 10
      }
      return formatFixed(mantissa, decimals: digits) + "e\(exponent)"
    }
  }
}

extension Double {
  fileprivate func rounded(toPlaces places: Int) -> Double {
    let scale = pow(10, Double(places))
    return (self * scale).rounded() / scale
  }
}

/// A legend laid out in rows that wrap within a width; drawn below the plot so it never covers data.
struct ChartLegend {
  struct Entry {
    var label: String
    var swatch: String  // SVG for a 24×12 sample at the origin
  }

  static let fontSize = ChartText.legend
  static let rowHeight = 20.0
  static let swatchWidth = 24.0

  var rows: [[(entry: Entry, width: Double)]] = []

  /// Entries go on one row if they fit, else into equal-width columns so the rows line up.
  init(entries: [Entry], maxWidth: Double) {
    let widths = entries.map { Self.swatchWidth + 6 + textWidth($0.label, size: Self.fontSize) + 18 }
    if widths.reduce(0, +) - 18 <= maxWidth {
      rows = entries.isEmpty ? [] : [Array(zip(entries, widths)).map { (entry: $0, width: $1) }]
      return
    }
    let cell = widths.max() ?? 0
    let columns = max(1, Int((maxWidth + 18) / cell))
    rows = stride(from: 0, to: entries.count, by: columns).map { start in
      entries[start..<min(start + columns, entries.count)].map { (entry: $0, width: cell) }
    }
  }

  var height: Double { Double(rows.count) * Self.rowHeight }

  /// The legend's SVG, each row centred on `centerX`, the first row's middle at `top + 9`.
  func svg(centerX: Double, top: Double) -> String {
    var out = "<g class=\"legend\" font-size=\"\(formatFixed(Self.fontSize, decimals: 0))\">\n"
    let rowWidth = (rows.first?.reduce(0) { $0 + $1.width } ?? 0) - 18
    for (index, row) in rows.enumerated() {
      var x = centerX - rowWidth / 2
      let y = top + Double(index) * Self.rowHeight + Self.rowHeight / 2
      for (entry, width) in row {
        out += "<g transform=\"translate(\(coordinate(x)),\(coordinate(y)))\">\(entry.swatch)"
        out += "<text x=\"\(coordinate(Self.swatchWidth + 6))\" y=\"5\">\(xmlEscaped(entry.label))</text></g>\n"
        x += width
      }
    }
    return out + "</g>\n"
  }
}

/// The opening of a chart's SVG: root element, `<title>`, white background and the wrapped
/// title text. Returns the markup and the y just below the title.
func chartHeader(title: String, width: Double, height: Double) -> (svg: String, bottom: Double) {
  let w = formatFixed(width, decimals: 0)
  let h = formatFixed(height, decimals: 0)
  var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\""
  out += " role=\"img\" font-family=\"sans-serif\" fill=\"#222222\">\n"
  out += "<title>\(xmlEscaped(title))</title>\n"
  out += "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
  var y = 12.0
  for line in wrapped(title, maxWidth: width - 24, size: ChartText.title) where !line.isEmpty {
    y += ChartText.title + 3
    out += "<text x=\"\(coordinate(width / 2))\" y=\"\(coordinate(y))\" text-anchor=\"middle\""
    out += " font-size=\"\(formatFixed(ChartText.title, decimals: 1))\""
    out += " font-weight=\"bold\">\(xmlEscaped(line))</text>\n"
  }
  return (out, y + 14)
}

/// Horizontal grid lines, ticks and tick labels of a y axis drawn along `plot`'s left edge,
/// with the rotated axis label at `labelX`.
func yAxisSVG(_ axis: ChartAxis, plot: (x: Double, y: Double, width: Double, height: Double),
              label: String, labelX: Double) -> String {
  var out = "<g class=\"y-axis\">\n"
  let right = coordinate(plot.x + plot.width)
  for value in axis.minorTicks {
    let y = coordinate(plot.y + plot.height * (1 - axis.fraction(value)))
    out += "<line x1=\"\(coordinate(plot.x))\" y1=\"\(y)\" x2=\"\(right)\" y2=\"\(y)\" stroke=\"#f0f0f0\"/>\n"
  }
  for tick in axis.ticks {
    let y = coordinate(plot.y + plot.height * (1 - axis.fraction(tick.value)))
    out += "<line x1=\"\(coordinate(plot.x))\" y1=\"\(y)\" x2=\"\(right)\" y2=\"\(y)\" stroke=\"#dddddd\"/>\n"
    out += "<line x1=\"\(coordinate(plot.x - 5))\" y1=\"\(y)\" x2=\"\(coordinate(plot.x))\" y2=\"\(y)\" stroke=\"#333333\"/>\n"
    out += "<text class=\"tick\" x=\"\(coordinate(plot.x - 8))\" y=\"\(y)\" dy=\"0.35em\" text-anchor=\"end\""
    out += " font-size=\"\(formatFixed(ChartText.tick, decimals: 1))\">"
    out += "\(xmlEscaped(tick.label))</text>\n"
  }
  // A label longer than the plot is tall is set smaller rather than clipped.
  let size = max(ChartText.tick, min(ChartText.axisLabel, ChartText.axisLabel * (plot.height + 40) / max(textWidth(label, size: ChartText.axisLabel), 1)))
  let middle = coordinate(plot.y + plot.height / 2)
  out += "<text transform=\"translate(\(coordinate(labelX)),\(middle)) rotate(-90)\" text-anchor=\"middle\""
  out += " font-size=\"\(formatFixed(size, decimals: 1))\">\(xmlEscaped(label))</text>\n"
  return out + "</g>\n"
}

/// The width the y axis's tick labels need.
func yTickLabelWidth(_ axis: ChartAxis) -> Double {
  axis.ticks.map { textWidth($0.label, size: ChartText.tick) }.max() ?? 0
}

/// The axes' own lines along the plot's left and bottom edges.
func axisLinesSVG(_ plot: (x: Double, y: Double, width: Double, height: Double)) -> String {
  let (left, top, bottom) = (coordinate(plot.x), coordinate(plot.y), coordinate(plot.y + plot.height))
  return "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(bottom)\" stroke=\"#333333\"/>\n"
    + "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(coordinate(plot.x + plot.width))\" y2=\"\(bottom)\" stroke=\"#333333\"/>\n"
}
