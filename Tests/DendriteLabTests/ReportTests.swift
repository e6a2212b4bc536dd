import DendriteLab
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("ReportTests")
struct ReportTests {
  @Test("a line chart is well-formed SVG with its title, axis labels, legend and one path per line series")
  func lineChartStructure() throws {
    let chart = SVGChart(
      title: "Training loss", xLabel: "epoch", yLabel: "loss (nats)",
      series: [
        .init(name: "sigmoid", x: [1, 2, 3, 4], y: [2.3, 1.9, 1.7, 1.6]),
        .init(name: "tanh", x: [1, 2, 3, 4], y: [2.1, 1.2, 0.8, 0.6], style: .lineAndMarkers, dashed: true),
        .init(name: "relu", x: [1, 2, 3, 4], y: [1.8, 0.7, 0.4, 0.3], style: .markers),
      ])
    let svg = chart.svg()
    let document = try ParsedSVG(svg)
    #expect(document.root == "svg")
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 380\" width=\"480\" height=\"380\""))
    #expect(document.texts(in: "title") == ["Training loss"])
    #expect(document.texts(in: "x-axis").contains("epoch"))
    #expect(document.texts(in: "y-axis").contains("loss (nats)"))
    #expect(document.texts(in: "legend") == ["sigmoid", "tanh", "relu"])
    #expect(document.elements.filter { $0.name == "path" || $0.name == "polyline" }.count == 2)
    #expect(document.elements.filter { $0.name == "path" && $0.attributes["stroke-dasharray"] != nil }.count == 1)
    #expect(document.elements.filter { $0.groups.contains("markers") }.count == 8)
    #expect(!svg.contains("<script") && !svg.contains("<image") && svg.contains("font-family=\"sans-serif\""))
  }

  @Test("linear ticks are 1, 2 or 5 × 10ⁿ apart and span the data")
  func linearTicks() throws {
    let chart = SVGChart(title: "t", xLabel: "x", yLabel: "y",
                         series: [.init(name: "s", x: [0.3, 9.7], y: [-0.013, 0.0871])])
    let document = try ParsedSVG(chart.svg())
    for (axis, low, high) in [("x-axis", 0.3, 9.7), ("y-axis", -0.013, 0.0871)] {
      let ticks = document.tickLabels(in: axis).compactMap(Double.init)
      #expect(ticks.count >= 3, "\(axis): \(ticks)")
      let step = ticks[1] - ticks[0]
      let mantissa = step / pow(10, log10(step).rounded(.down))
      #expect([1.0, 2.0, 5.0].contains { Swift.abs(mantissa - $0) < 1e-6 }, "\(axis) step \(step)")
      #expect(zip(ticks, ticks.dropFirst()).allSatisfy { Swift.abs(($1 - $0) - step) < step * 1e-6 })
      #expect(ticks.first! <= low && ticks.last! >= high, "\(axis): \(ticks)")
    }
  }

  @Test("log ticks are powers of ten spanning gradient norms from 1e-12 to 1e3")
  func logTicksManyDecades() throws {
    let norms: [Double] = [3e-12, 1e-9, 4e-6, 0.02, 7, 800, 0, -1, .nan]
    let chart = SVGChart(title: "Gradient norms", xLabel: "layer", yLabel: "‖∂J/∂W‖", yScale: .log10,
                         series: [.init(name: "sigmoid", x: norms.indices.map(Double.init), y: norms)])
    let document = try ParsedSVG(chart.svg())
    let labels = document.tickLabels(in: "y-axis")
    let exponents = labels.compactMap { $0.hasPrefix("1e") ? Int($0.dropFirst(2)) : nil }
    #expect(exponents.count == labels.count && exponents.count >= 4, "\(labels)")
    #expect(exponents.first! <= -12 && exponents.last! >= 3, "\(labels)")
    let step = exponents[1] - exponents[0]
    #expect(zip(exponents, exponents.dropFirst()).allSatisfy { $1 - $0 == step })

    let narrow = SVGChart(title: "t", xLabel: "x", yLabel: "y", yScale: .log10,
                          series: [.init(name: "s", x: [1, 2], y: [3e-4, 0.02])])
    #expect(try ParsedSVG(narrow.svg()).tickLabels(in: "y-axis") == ["1e-4", "1e-3", "1e-2", "1e-1"])

    let withinADecade = SVGChart(title: "t", xLabel: "x", yLabel: "y", yScale: .log10, yRange: 0.05...0.5,
                                 series: [.init(name: "s", x: [1, 2], y: [0.3, 0.1])])
    #expect(try ParsedSVG(withinADecade.svg()).tickLabels(in: "y-axis") == ["0.05", "0.1", "0.2", "0.5"])
  }

  @Test("text is XML-escaped everywhere")
  func escaping() throws {
    let title = "Loss < 0.1 & \"accuracy\" > 0.9 <script>alert('x')</script>"
    let chart = SVGChart(title: title, xLabel: "x <m>", yLabel: "y & z",
                         series: [.init(name: "a<b & 'c'", x: [1, 2], y: [1, 2])])
    let svg = chart.svg()
    #expect(!svg.contains("<script") && !svg.contains("<m>") && svg.contains("&lt;script&gt;"))
    let document = try ParsedSVG(svg)
    #expect(document.texts(in: "title") == [title])
    #expect(document.texts(in: "legend") == ["a<b & 'c'"])
    #expect(document.texts(in: "x-axis").contains("x <m>"))

    let bars = SVGBarChart(title: "<b>", xLabel: "&", yLabel: "\"", categories: ["<2>"],
                           series: [.init(name: "a&b", values: [1])])
    #expect(try ParsedSVG(bars.svg()).texts(in: "legend") == ["a&b"])
  }

  @Test("NaN, ±∞ and non-positive log values are skipped; an empty series says so in the legend")
  func nonFinitePoints() throws {
    let chart = SVGChart(
      title: "t", xLabel: "x", yLabel: "y", yScale: .log10,
      series: [
        .init(name: "gaps", x: [1, 2, 3, 4, 5, 6], y: [1, .nan, 10, .infinity, 100, 1000], style: .lineAndMarkers),
        .init(name: "all nan", x: [1, 2], y: [.nan, .nan]),
        .init(name: "zeros", x: [1, 2], y: [0, -3]),
        .init(name: "empty", points: []),
      ])
    let svg = chart.svg()
    let document = try ParsedSVG(svg)
    #expect(document.texts(in: "legend") == ["gaps", "all nan (no finite values)", "zeros (no positive values)",
                                              "empty (no finite values)"])
    #expect(document.elements.allSatisfy { $0.attributes.values.allSatisfy { !$0.lowercased().contains("nan") && !$0.contains("inf") } })
    // 1 → 10 is broken by the NaN and 10 → 100 by ∞, so the path is one segment, 100 → 1000.
    let path = try #require(document.elements.first { $0.name == "path" }?.attributes["d"])
    #expect(path.filter { $0 == "M" }.count == 1 && path.filter { $0 == "L" }.count == 1, "\(path)")
    #expect(document.elements.filter { $0.groups.contains("markers") }.count == 4)

    let nothing = SVGChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "n", x: [.nan], y: [1])])
    #expect(try ParsedSVG(nothing.svg()).texts(in: nil).contains("no data to plot"))
  }

  @Test("extreme values (±1e308, subnormals, one repeated value) give well-formed charts")
  func extremeValues() throws {
    let tiny = Double.leastNonzeroMagnitude
    let cases: [(SVGChart.Scale, [Double])] = [
      (.linear, [1e308, -1e308, .greatestFiniteMagnitude, 0]), (.log10, [tiny, 1e308, 1]),
      (.linear, [7, 7, 7]), (.log10, [1e-300, 1e-300]), (.linear, [1e9, 1e9 + 1e-6]),
    ]
    for (scale, values) in cases {
      let chart = SVGChart(title: "t", xLabel: "x", yLabel: "y", xScale: scale, yScale: scale,
                           series: [.init(name: "s", x: values, y: values, style: .lineAndMarkers)])
      let document = try ParsedSVG(chart.svg())
      #expect(document.tickLabels(in: "y-axis").count >= 2, "\(values)")
    }
    let bars = SVGBarChart(title: "t", xLabel: "x", yLabel: "y", categories: ["a", "b", "c"],
                           series: [.init(name: "s", values: [1e308, -1e308, tiny])], valueDecimals: 2)
    #expect(try ParsedSVG(bars.svg()).elements.filter { $0.attributes["class"] == "bar" }.count == 3)
  }

  @Test("points outside a fixed y range are clipped to the plot, even 1e300")
  func clippingToFixedRange() throws {
    let chart = SVGChart(title: "t", xLabel: "x", yLabel: "accuracy", yRange: 0...1,
                         series: [.init(name: "s", x: [0, 1, 2, 3], y: [0.5, 1e300, -4, 0.9])])
    let document = try ParsedSVG(chart.svg())
    let path = try #require(document.elements.first { $0.name == "path" }?.attributes["d"])
    let numbers = path.split(whereSeparator: { "ML ".contains($0) }).compactMap { Double($0) }
    #expect(numbers.count >= 4 && numbers.allSatisfy { $0 >= 0 && $0 <= 480 }, "\(path)")
    #expect(document.tickLabels(in: "y-axis").first == "0.0" && document.tickLabels(in: "y-axis").last == "1.0")
  }

  @Test("the same chart gives the same bytes")
  func deterministic() {
    func make() -> (String, String) {
      let line = SVGChart(title: "t", xLabel: "x", yLabel: "y", xScale: .log10, yScale: .log10,
                          series: [.init(name: "s", x: [1, 10, 100], y: [1 / 3, 2e-7, 9e5], style: .lineAndMarkers)])
      let bars = SVGBarChart(title: "b", xLabel: "depth", yLabel: "accuracy", categories: ["2", "5", "10"],
                             series: [.init(name: "relu", values: [0.97, 0.961, 0.9555])], valueDecimals: 3)
      return (line.svg(), bars.svg())
    }
    let (first, second) = (make(), make())
    #expect(first.0 == second.0 && first.1 == second.1)
    #expect(!first.0.contains(/\d\.\d{3}/))  // fixed two-decimal coordinates, never raw doubles like 0.333…
  }

  @Test("a bar chart draws one bar per finite value, marks missing ones, and lists its series")
  func barChart() throws {
    let chart = SVGBarChart(
      title: "Test accuracy by depth", xLabel: "hidden layers", yLabel: "test accuracy (fraction)",
      categories: ["2", "5", "10", "20"], yRange: 0...1,
      series: [.init(name: "sigmoid", values: [0.96, 0.91, 0.11, .nan]),
               .init(name: "tanh", values: [0.97, 0.95, 0.62]),
               .init(name: "relu", values: [0.97, 0.97, 0.96, 0.95]),
               .init(name: "broken", values: [.nan])],
      valueDecimals: 2)
    let svg = chart.svg()
    let document = try ParsedSVG(svg)
    #expect(document.elements.filter { $0.attributes["class"] == "bar" }.count == 10)
    #expect(document.texts(in: "legend") == ["sigmoid", "tanh", "relu", "broken (no finite values)"])
    #expect(document.texts(in: "bars").filter { $0 == "n/a" }.count == 6)
    #expect(document.texts(in: "bars").contains("0.11"))
    #expect(document.texts(in: "x-axis").starts(with: ["2", "5", "10", "20", "hidden layers"]))

    let large = SVGBarChart(title: "t", xLabel: "model", yLabel: "parameters",
                            categories: (1...8).map { "a model with a long name \($0)" },
                            series: [.init(name: "count", values: [12_000, 3_400_000, 98_000_000])])
    let parsed = try ParsedSVG(large.svg())
    #expect(parsed.tickLabels(in: "y-axis") == ["0", "5e7", "1e8"])
    #expect(parsed.elements.filter { $0.groups.contains("x-axis") && $0.attributes["transform"]?.hasSuffix("rotate(-35)") == true }.count == 8)
  }

  @Test("the HTML report holds its sections, verdicts and inline SVG, with no scripts or external URLs")
  func htmlReport() throws {
    let html = ReportTests.sampleReport().html()
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
    for heading in ["Vanishing gradients", "Activation functions by depth", "Worked examples"] {
      #expect(html.contains("<h2>\(heading)"))
    }
    #expect(html.components(separatedBy: "<svg xmlns=").count - 1 == 3)
    #expect(html.contains("✓ Confirmed") && html.contains("✗ Refuted") && html.contains("? Inconclusive"))
    #expect(!html.lowercased().contains("<script") && !html.contains("<link") && !html.contains("@import"))
    let urls = html.components(separatedBy: "http").dropFirst()
    #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg\"") }, "\(urls.map { $0.prefix(30) })")
    #expect(html.contains("<td class=\"num\">0.97</td>") && html.contains("<td>relu</td>"))
    #expect(html.contains("<th class=\"num\">depth 20</th>") && html.contains("<td class=\"num\">n/a</td>"))
    #expect(html.contains("@media print"))
  }

  @Test("paragraph markup: strong, emphasis and code are converted; everything else is escaped")
  func inlineMarkup() {
    let report = HTMLReport(title: "<T>", sections: [
      .init(heading: "a & b", blocks: [.paragraph("**Sigmoid** is *slow*; `x<y` but 2*3*4 and a * b stay <i>.")]),
    ])
    let html = report.html()
    #expect(html.contains("<title>&lt;T&gt;</title>") && html.contains("<h2>a &amp; b</h2>"))
    #expect(html.contains("<p><strong>Sigmoid</strong> is <em>slow</em>; <code>x&lt;y</code> but 2*3*4 and a * b stay &lt;i&gt;.</p>"))
  }

  /// Set DENDRITE_REPORT_SAMPLE=/tmp/sample.html to write the sample report for a visual check.
  @Test(
    "the sample report can be written for a visual check",
    .enabled(
      if: ProcessInfo.processInfo.environment["DENDRITE_REPORT_SAMPLE"] != nil,
      "a tool for looking at the report by eye; runs only when DENDRITE_REPORT_SAMPLE names a file"))
  func writeSample() throws {
    let path = try #require(ProcessInfo.processInfo.environment["DENDRITE_REPORT_SAMPLE"])
    try ReportTests.sampleReport().html().write(toFile: path, atomically: true, encoding: .utf8)
  }
}

/// An SVG document read back with `XMLParser`: every element with its attributes and enclosing
/// `<g class>` names, and the text of each `<text>` and `<title>`.
private struct ParsedSVG {
  struct Element {
    var name: String
    var attributes: [String: String]
    var groups: [String]
    var parent: String
    var text = ""
  }

  var root = ""
  var elements: [Element] = []

  init(_ svg: String) throws {
    let collector = Collector()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    guard parser.parse() else {
      throw ParseError(message: parser.parserError.map { "\($0)" } ?? "not well-formed", line: parser.lineNumber)
    }
    root = collector.root
    elements = collector.elements
  }

  struct ParseError: Error {
    var message: String
    var line: Int
  }

  /// The texts of `<text>` elements inside `<g class="group">` (all of them for `nil`), or for
  /// "title", the document's own `<title>`.
  func texts(in group: String?) -> [String] {
    if group == "title" { return elements.filter { $0.name == "title" && $0.parent == "svg" }.map(\.text) }
    return elements.filter { $0.name == "text" && (group.map($0.groups.contains) ?? true) }.map(\.text)
  }

  /// The tick labels (`class="tick"`) of the axis group "x-axis" or "y-axis".
  func tickLabels(in axis: String) -> [String] {
    elements.filter { $0.name == "text" && $0.groups.contains(axis) && $0.attributes["class"] == "tick" }.map(\.text)
  }

  private final class Collector: NSObject, XMLParserDelegate {
    var root = ""
    var elements: [Element] = []
    var open: [Int] = []  // indices into elements

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
      if root.isEmpty { root = name }
      let groups = open.compactMap { elements[$0].name == "g" ? elements[$0].attributes["class"] : nil }
      let parent = open.last.map { elements[$0].name } ?? ""
      elements.append(Element(name: name, attributes: attributes, groups: groups, parent: parent))
      open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if let last = open.last { elements[last].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      open.removeLast()
    }
  }
}

extension ReportTests {
  /// A report like the lab's: a log-scale gradient chart, loss curves, a bar chart, a table.
  static func sampleReport() -> HTMLReport {
    let activations = ["sigmoid", "tanh", "relu"]
    let gradients = (1...10).map { layer in
      SVGChart.Series(
        name: "layer \(layer)", x: (0...20).map(Double.init),
        y: (0...20).map { epoch in
          layer == 7 && epoch == 12 ? .nan : 0.5 * pow(10, -1.3 * Double(layer - 1)) * (1 + 0.4 * sin(Double(epoch + layer)))
        },
        style: layer == 1 || layer == 10 ? .lineAndMarkers : .line, dashed: layer > 7)
    }
    let gradientChart = SVGChart(
      title: "Gradient norm per layer, sigmoid MLP with 10 hidden layers", xLabel: "epoch",
      yLabel: "‖∂J/∂W‖ (Frobenius norm, log scale)", yScale: .log10, series: gradients)
    let lossChart = SVGChart(
      title: "Training & test loss (mean of 3 seeds)", xLabel: "epoch", yLabel: "cross-entropy (nats)",
      series: activations.enumerated().flatMap { index, name in
        let rate = [0.08, 0.25, 0.45][index]
        let train = (1...30).map { 2.3 * exp(-rate * Double($0)) + 0.05 }
        return [SVGChart.Series(name: "\(name) train", x: (1...30).map(Double.init), y: train, paletteIndex: index),
                SVGChart.Series(name: "\(name) test", x: (1...30).map(Double.init), y: train.map { $0 * 1.15 + 0.03 },
                                dashed: true, paletteIndex: index)]
      })
    let accuracy = SVGBarChart(
      title: "Test accuracy after 20 epochs by depth", xLabel: "hidden layers",
      yLabel: "test accuracy (fraction)", categories: ["1", "2", "5", "10", "20"], yRange: 0...1,
      series: [.init(name: "sigmoid", values: [0.962, 0.955, 0.874, 0.113, .nan]),
               .init(name: "tanh", values: [0.968, 0.971, 0.958, 0.902, 0.611]),
               .init(name: "relu", values: [0.970, 0.976, 0.974, 0.969, 0.951])],
      valueDecimals: 2)
    return HTMLReport(
      title: "Dendrite lab: checking the study's claims",
      intro: ["Each section below states one claim, the measurement that tests it, and the *verdict*.",
              "Run with `dendrite lab --seed 1`; all numbers are means of **3 seeds**."],
      sections: [
        .init(heading: "Vanishing gradients", verdict: .confirmed, blocks: [
          .paragraph("With **sigmoid** units, each layer's gradient norm is about σ′ ≤ 0.25 times the next one's."),
          .chart(gradientChart, caption: "Layer 1 is nearest the input. One NaN (layer 7, epoch 12) is skipped."),
          .chart(lossChart),
        ]),
        .init(heading: "Activation functions by depth", verdict: .refuted, blocks: [
          .paragraph("The study says tanh trains as badly as sigmoid at depth 20; it does not."),
          .chart(accuracy, caption: "Sigmoid at depth 20 diverged (n/a)."),
          .table(.init(header: ["activation", "depth 10", "depth 20"],
                       rows: [["sigmoid", "0.113", "n/a"], ["tanh", "0.902", "0.611"], ["relu", "0.97", "0.951"]],
                       caption: "Test accuracy (fraction correct).")),
        ]),
        .init(heading: "Worked examples", verdict: .inconclusive, blocks: [
          .list(["softmax(1, 5, 3) matches to 1e-7", "the gradient `a − y` matches"]),
          .preformatted("dendrite lab --only worked-examples"),
        ]),
      ],
      footer: "Dendrite 0.3.0 · dendrite lab --seed 1")
  }
}
