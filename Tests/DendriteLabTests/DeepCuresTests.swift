import Dendrite
import Foundation
import Testing

@testable import DendriteLab

@Suite("dendrite lab: deep-cures, the relu-depth verdict and legible charts")
struct DeepCuresTests {
  @Test("deep-cures is in the lab's list, before the summary, and its quick run has every key and a verdict")
  func quickRun() throws {
    #expect(Lab.experimentIDs.contains(DeepCures.id))
    #expect(Lab.experimentIDs.firstIndex(of: DeepCures.id) == Lab.experimentIDs.firstIndex(of: "summary").map { $0 - 1 })
    let outcome = try DeepCures.run(quick: true)
    #expect(outcome.result.id == "deep-cures")
    for key in ["depths", "epochs", "learning_rate", "test_accuracy", "diverged", "hidden_layers",
                "weight_gradient_norms", "first_to_last_gradient_ratio", "target_accuracy"] {
      #expect(outcome.result.metrics[key] != nil, "deep-cures lacks \(key)")
    }
    // Every variant has an accuracy per depth, and a gradient norm per dense layer.
    for variant in DeepNetworkVariant.allCases {
      guard case .array(let accuracies)? = outcome.result.metrics["test_accuracy"]?[variant.name] else {
        Issue.record("no test accuracies for \(variant.name)")
        continue
      }
      #expect(accuracies.count == 2)
      guard case .array(let norms)? = outcome.result.metrics["weight_gradient_norms"]?[variant.name]?["4"] else {
        Issue.record("no gradient norms for \(variant.name) at depth 4")
        continue
      }
      // Plain and batch norm: 4 hidden layers and the output; residual: the projection, 2 blocks of 2, the output.
      #expect(norms.count == (variant == .plain || variant == .batchNorm ? 5 : 6))
      let values = norms.compactMap(\.number)
      #expect(values.count == norms.count && values.allSatisfy(\.isFinite))
      // The zero-initialised last layer of each residual branch passes no gradient to the branch's first layer.
      #expect(values.filter { $0 == 0 }.count == (variant == .residual ? 2 : 0), "\(variant.name): \(values)")
    }
    #expect(outcome.charts.map(\.fileName) == ["deep-cures-accuracy.svg", "deep-cures-gradients.svg"])
    let paragraphs = outcome.section.blocks.compactMap { block -> String? in
      if case .paragraph(let text) = block { return text }
      return nil
    }
    #expect(paragraphs.contains { $0.contains("At depth 4 the plain network") })
  }

  @Test("the variants build the networks they describe, with BatchNorm and Residual where they say")
  func variantStructure() {
    let residual = DeepNetworkVariant.residual.network(depth: 20, inputs: 64, outputs: 10)
    #expect(residual.layers.filter { $0 is Residual }.count == 10)
    #expect(residual.parameterValues.filter { $0.rank == 2 }.count == 22)
    let both = DeepNetworkVariant.both.network(depth: 20, inputs: 64, outputs: 10)
    let blocks = both.layers.compactMap { $0 as? Residual }
    #expect(blocks.count == 10 && blocks.allSatisfy { $0.layers.filter { $0 is BatchNorm }.count == 2 })
    let normalised = DeepNetworkVariant.batchNorm.network(depth: 20, inputs: 64, outputs: 10)
    #expect(normalised.layers.filter { $0 is BatchNorm }.count == 20)
    #expect(DeepNetworkVariant.plain.network(depth: 20, inputs: 64, outputs: 10).parameterValues.count == 42)
  }

  @Test("the deep-cures verdict follows the figures")
  func deepCuresVerdict() {
    /// The assessment of accuracies at depths 20 and 50 given per variant in `allCases` order
    /// (plain, batch norm, residual with He weights, residual, both); nil is a run that diverged.
    func assess(_ accuracies: [[Float?]]) -> (verdict: Verdict, text: String) {
      let runs = zip(DeepNetworkVariant.allCases, accuracies).map { variant, values in
        (variant, values.map { DeepCures.Run(gradientNorms: [0.1, 1], testAccuracy: $0, diverged: $0 == nil) })
      }
      return DeepCures.assess(
        DeepCures.Figures(
          depths: [20, 50], epochs: [10, 5], learningRate: 0.05, runs: Dictionary(uniqueKeysWithValues: runs)))
    }
    let cured = assess([[0.9, 0.3], [0.95, 0.94], [nil, nil], [0.96, 0.95], [0.97, 0.96]])
    #expect(cured.verdict == .confirmed)
    #expect(cured.text.contains("At depth 50 the plain network reaches 0.3"))
    #expect(cured.text.contains("residual (He throughout) diverges, residual 0.95"))
    #expect(cured.text.contains("falls 0.66 behind the best cure (residual + batch norm)"))
    #expect(cured.text.contains("Not every variant helps: residual (He throughout) diverges at depth 20 and 50."))
    let unneeded = assess([[0.95, 0.95], [0.95, 0.94], [0.9, 0.9], [0.94, 0.93], [0.95, 0.94]])
    #expect(unneeded.verdict == .refuted)
    #expect(unneeded.text.contains("the cures are not needed there"))
    let partial = assess([[0.8, 0.2], [0.9, 0.1], [0.8, 0.2], [0.85, 0.7], [0.9, 0.8]])
    #expect(partial.verdict == .inconclusive)
    #expect(partial.text.contains("no cure reaches 0.93"))
    #expect(partial.text.contains("batch norm ends below the plain network at depth 50"))
  }

  @Test("the relu-depth verdict says what the figures say: ReLU trains where sigmoid stops, and degrades with depth")
  func reluDepthVerdict() {
    let depths = [2, 5, 10, 15, 20]
    let degrading = ReLUDepth.assess(
      depths: depths, sigmoid: [0.95, 0.93, 0.1, 0.1, 0.1], tanh: [0.96, 0.95, 0.95, 0.94, 0.94],
      relu: [0.97, 0.96, 0.93, 0.9, 0.84])
    #expect(degrading.verdict == .confirmed)
    #expect(degrading.text.contains("Sigmoid networks stop learning with depth: 0.95 at 2 hidden layers, 0.1 at 20."))
    #expect(degrading.text.contains("ReLU networks keep learning where sigmoid stops: 0.84 at depth 20"))
    #expect(degrading.text.contains("But ReLU degrades with depth too, from 0.97 at 2 hidden layers to 0.84 at 20"))
    #expect(degrading.text.contains("a partial cure, as the study itself says"))
    #expect(degrading.text.contains("Tanh, zero-centred and Glorot-initialised, beats ReLU at depth 20"))

    let holding = ReLUDepth.assess(
      depths: depths, sigmoid: [0.95, 0.93, 0.1, 0.1, 0.1], tanh: [0.96, 0.9, 0.8, 0.7, 0.6],
      relu: [0.97, 0.97, 0.97, 0.96, 0.96])
    #expect(holding.verdict == .confirmed)
    #expect(holding.text.contains("ReLU holds its accuracy with depth"))
    #expect(!holding.text.contains("partial cure"))
    #expect(holding.text.contains("Tanh reaches 0.6 at depth 20."))

    let failing = ReLUDepth.assess(
      depths: depths, sigmoid: [0.95, 0.5, 0.1, 0.1, 0.1], tanh: [0.9, 0.9, 0.9, 0.9, 0.9],
      relu: [0.97, 0.5, 0.1, .nan, 0.1])
    #expect(failing.verdict == .refuted)
    #expect(failing.text.contains("ReLU does not keep the deepest network trainable"))
    #expect(failing.text.contains("no cure at this depth"))
  }

  @Test("the y range around the data starts near the curves, with a margin, on round numbers inside the limits")
  func rangeAroundData() throws {
    let crowded = try #require(rangeAround([0.952, 0.97, 0.981, 0.975], limits: 0...1))
    #expect(Swift.abs(crowded.lowerBound - 0.94) < 1e-9 && Swift.abs(crowded.upperBound - 0.99) < 1e-9)
    let wide = try #require(rangeAround([0.62, 0.97], limits: 0...1))
    #expect(Swift.abs(wide.lowerBound - 0.5) < 1e-9 && wide.upperBound == 1)
    let flat = try #require(rangeAround([0.5, 0.5]))
    #expect(flat.lowerBound < 0.5 && flat.upperBound > 0.5 && flat.upperBound - flat.lowerBound <= 0.1)
    #expect(rangeAround([.nan, .infinity]) == nil)
    // Every value lies inside the range, with room on both sides.
    let values = [0.913, 0.9301, 0.97, 0.9866]
    let range = try #require(rangeAround(values, limits: 0...1))
    #expect(values.allSatisfy { range.contains($0) })
    #expect(range.lowerBound < 0.913 && range.lowerBound > 0.8 && range.upperBound > 0.9866)
  }

  @Test("the breast-cancer accuracy chart's axis starts near its curves, not at 0.3")
  func breastCancerAxis() throws {
    let outcome = try SigmoidMSEVersusCrossEntropy.run(quick: true)
    let svg = try #require(outcome.charts.first?.svg)
    let keys = ["train_accuracy_mse", "train_accuracy_cross_entropy", "train_accuracy_mse_4x_lr"]
    let points = keys.flatMap { key -> [Double] in
      guard case .array(let values)? = outcome.result.metrics[key] else { return [] }
      return values.compactMap(\.number)
    }
    let lowest = try #require(points.min())
    // The lowest tick is within 0.2 below the lowest point of the three curves.
    let ticks = tickValues(svg, axis: "y-axis")
    let first = try #require(ticks.min())
    #expect(first <= lowest && lowest - first < 0.2, "ticks \(ticks), lowest point \(lowest)")
  }

  @Test("every chart text renders at 12 px or more when the chart fills a 480 px screen's column")
  func legibleCharts() throws {
    let line = SVGChart(
      title: "A long title that wraps onto a second line on a narrow chart, as the lab's titles do",
      xLabel: "dense layer (1 = input side)", yLabel: "a y label longer than the plot is tall, which may shrink a little",
      yScale: .log10,
      series: (0..<4).map { SVGChart.Series(name: "series \($0)", x: [1, 2, 3], y: [1e-3, 1e-1, 1], style: .lineAndMarkers) })
    let bars = SVGBarChart(
      title: "Test accuracy", xLabel: "hidden layers", yLabel: "test accuracy (fraction)",
      categories: ["2", "5", "10", "15", "20"], yRange: 0...1,
      series: (0..<3).map { SVGBarChart.Series(name: "s\($0)", values: [0.97, 0.5, .nan, 0.12, 0.96]) }, valueDecimals: 2)
    for svg in [line.svg(), bars.svg()] {
      let width = try #require(viewBoxWidth(svg))
      let sizes = fontSizes(svg)
      #expect(!sizes.isEmpty)
      for size in sizes {
        #expect(ChartText.renderedSize(size, chartWidth: width) >= ChartText.minimumRenderedSize, "font-size \(size)")
      }
    }
    // Bars too narrow for a level label get it turned a quarter, at the same size.
    #expect(bars.svg().contains(/rotate\(-90\)" text-anchor="start" font-size="14"[^>]*>0\.97</))
    #expect(ChartText.renderedSize(ChartText.tick, chartWidth: Double(ChartText.defaultWidth)) >= 12)
  }

  @Test("κ is defined where the report first uses it")
  func kappaDefined() {
    let report = LabRun(outcomes: [WorkedExamples.compute().outcome, SaturatedNeuron.run(quick: true)]).report.html()
    guard let first = report.range(of: "κ") else {
      Issue.record("the report never uses κ")
      return
    }
    let around = report[first.lowerBound...].prefix(120)
    #expect(around.contains("κ(z) = 1/(1 + e⁻ᶻ) is the sigmoid"), "\(around)")
  }

  /// The `font-size` values of every element.
  private func fontSizes(_ svg: String) -> [Double] {
    svg.matches(of: /font-size="([0-9.]+)"/).compactMap { Double($0.1) }
  }

  private func viewBoxWidth(_ svg: String) -> Double? {
    svg.firstMatch(of: /viewBox="0 0 ([0-9.]+) [0-9.]+"/).flatMap { Double($0.1) }
  }

  /// The numeric tick labels of an axis group.
  private func tickValues(_ svg: String, axis: String) -> [Double] {
    guard let start = svg.range(of: "<g class=\"\(axis)\">"),
      let end = svg[start.upperBound...].range(of: "</g>")
    else { return [] }
    return svg[start.upperBound..<end.lowerBound].matches(of: /<text class="tick"[^>]*>([-0-9.e]+)</)
      .compactMap { Double($0.1) }
  }
}

extension JSONValue {
  fileprivate var number: Double? {
    if case .number(let value) = self { return value }
    return nil
  }
}
