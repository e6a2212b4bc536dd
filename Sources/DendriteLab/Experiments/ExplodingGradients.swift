import Dendrite
import Foundation

/// The same 10 × 32 ReLU network on digits with weights drawn from N(0, 1): the
/// backpropagated error grows layer by layer, and training diverges; He initialisation
/// and gradient clipping are the fixes measured.
enum ExplodingGradients {
  static let id = "exploding-gradients"

  struct Run {
    let diverged: Bool
    let divergedAt: String?
    let testAccuracy: Float?
  }

  static func run(quick: Bool) throws -> ExperimentOutcome {
    let data = try LabConventions.prepare("digits", quick: quick)
    let epochs = quick ? 1 : 5
    let probe = data.train.subset(Array(0..<Swift.min(128, data.train.count)))
    func network(_ initializer: Initializer) -> Sequential {
      LabConventions.network(
        inputs: 64, hidden: Array(repeating: 32, count: 10), activation: .relu, outputs: 10, outputActivation: .linear,
        initializer: initializer)
    }
    let unitNormal = network(.normal(standardDeviation: 1))
    let he = network(.heNormal)
    let snapshot = GradientFlowSnapshot.measure(
      model: unitNormal, features: probe.features, labels: probe.labels, loss: .softmaxCrossEntropy)
    let heSnapshot = GradientFlowSnapshot.measure(
      model: he, features: probe.features, labels: probe.labels, loss: .softmaxCrossEntropy)

    func train(_ initial: Sequential, clip: Float?) throws -> Run {
      var model = initial
      var optimizer = SGD(learningRate: 0.01)
      do {
        try model.fit(
          data.train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: epochs, batchSize: 32,
          clipGradientNorm: clip, seed: LabConventions.trainingSeed)
      } catch let error as TrainingError {
        guard case .diverged(let epoch, let step, _, _) = error else { throw error }
        return Run(diverged: true, divergedAt: "epoch \(epoch + 1), step \(step + 1)", testAccuracy: nil)
      }
      return Run(diverged: false, divergedAt: nil, testAccuracy: LabConventions.accuracy(model, on: data.test, loss: .softmaxCrossEntropy))
    }
    let unfixed = try train(unitNormal, clip: nil)
    let initFix = try train(he, clip: nil)
    let clipped = try train(unitNormal, clip: 1)

    // Error norms from the output back to the first layer: growth per layer going back.
    let errors = snapshot.layers.map(\.errorNorm)
    let growth = zip(errors.dropLast(), errors.dropFirst()).map { earlier, later in earlier / later }
    let meanGrowth = geometricMean(growth)
    let heErrors = heSnapshot.layers.map(\.errorNorm)
    let heGrowth = geometricMean(zip(heErrors.dropLast(), heErrors.dropFirst()).map { $0 / $1 })
    let verdict: Verdict =
      meanGrowth > 1.5 && unfixed.diverged && !initFix.diverged ? .confirmed
      : (meanGrowth > 1.5 ? .inconclusive : .refuted)

    let metrics: [String: JSONValue] = [
      "epochs": .integer(epochs), "learning_rate": 0.01,
      "error_norms_unit_normal": .floats(errors),
      "error_norms_he": .floats(heErrors),
      "error_norm_growth_per_layer": .floats(growth),
      "mean_error_norm_growth_per_layer": .float(meanGrowth),
      "mean_error_norm_growth_per_layer_he": .float(heGrowth),
      "weight_gradient_norms_unit_normal": .floats(snapshot.layers.map(\.weightGradientNorm)),
      "initial_loss_unit_normal": .float(snapshot.loss),
      "initial_loss_he": .float(heSnapshot.loss),
      "diverged_without_fix": .bool(unfixed.diverged),
      "diverged_with_init_fix": .bool(initFix.diverged),
      "diverged_with_clipping": .bool(clipped.diverged),
      "divergence_point": unfixed.divergedAt.map(JSONValue.string) ?? .null,
      "test_accuracy_without_fix": unfixed.testAccuracy.map(JSONValue.float) ?? .null,
      "test_accuracy_with_init_fix": initFix.testAccuracy.map(JSONValue.float) ?? .null,
      "test_accuracy_with_clipping": clipped.testAccuracy.map(JSONValue.float) ?? .null,
    ]
    let chart = SVGChart(
      title: "Digits, 10 × 32 ReLU network: backpropagated error norm ‖δ‖ per layer before training",
      xLabel: "layer (1 = first hidden, 11 = output)", yLabel: "‖∂J/∂z‖ (log scale)", yScale: .log10,
      series: [
        SVGChart.Series(name: "weights N(0, 1)", x: (1...errors.count).map(Double.init), y: errors.map(Double.init), style: .lineAndMarkers, paletteIndex: 0),
        SVGChart.Series(name: "He initialisation N(0, 2/fan_in)", x: (1...heErrors.count).map(Double.init), y: heErrors.map(Double.init), style: .lineAndMarkers, paletteIndex: 2),
      ])
    func outcome(_ run: Run) -> String {
      run.diverged ? "diverged (\(run.divergedAt ?? "—"))" : "trained, test accuracy \(figure(run.testAccuracy))"
    }
    let section = HTMLReport.Section(
      heading: "Exploding gradients with large initial weights, and two fixes",
      verdict: verdict,
      blocks: [
        .paragraph(
          "The vanishing-gradients network with ReLU units, but weights drawn from N(0, 1) instead of N(0, 2/fan_in). "
            + "Going back from the output, each layer multiplies the error norm by \(figure(meanGrowth, digits: 3)) on "
            + "average (He initialisation: \(figure(heGrowth, digits: 3))). Weight-gradient norms alone can hide this, "
            + "because they also scale with the activations, which shrink or grow the other way."),
        .chart(chart),
        .table(
          HTMLReport.Table(
            header: ["run (\(epochs) epochs, SGD, learning rate 0.01)", "outcome"],
            rows: [
              ["weights N(0, 1)", outcome(unfixed)],
              ["He initialisation", outcome(initFix)],
              ["weights N(0, 1), gradients clipped to global norm 1.0", outcome(clipped)],
            ])),
        .paragraph(
          "Divergence is detected by the NaN guard built into fit: it stops at the first non-finite loss or gradient. "
            + (!clipped.diverged && (clipped.testAccuracy ?? 0) < (initFix.testAccuracy ?? 0)
              ? "Clipping stops the divergence but not its cause: with N(0, 1) weights the clipped network reaches a "
                + "test accuracy of only \(figure(clipped.testAccuracy)) in \(epochs) epochs, against "
                + "\(figure(initFix.testAccuracy)) with He initialisation, which removes the cause."
              : "")),
      ])
    return ExperimentOutcome(
      result: ExperimentResult(
        id: id,
        claim: "With large initial weights the backpropagated error grows layer by layer and training diverges; proper initialisation or gradient clipping prevents it",
        verdict: verdict, metrics: .object(metrics)),
      section: section, charts: [NamedChart(fileName: "\(id).svg", svg: chart.svg())],
      headline: "error growth ×\(figure(meanGrowth, digits: 3))/layer; diverged: N(0,1) \(unfixed.diverged), He \(initFix.diverged), clipped \(clipped.diverged)")
  }

  static func geometricMean(_ values: [Float]) -> Float {
    let logs = values.filter { $0 > 0 && $0.isFinite }.map { Foundation.log(Double($0)) }
    guard !logs.isEmpty else { return .nan }
    return Float(Foundation.exp(logs.reduce(0, +) / Double(logs.count)))
  }
}
