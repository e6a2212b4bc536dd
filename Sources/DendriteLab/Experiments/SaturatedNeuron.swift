import Dendrite

/// The study's opening example: one sigmoid neuron, input x = 1, target y = 0, trained by
/// gradient descent from a saturated start (w = b = 2, output κ(4) ≈ 0.98) and from an
/// unsaturated one (w = b = 0.5), under MSE and under cross-entropy.
///
///     MSE:            C = (a − y)²,          ∂C/∂z = 2(a − y)·κ′(z)
///     cross-entropy:  J = −ln(1 − a),        ∂J/∂z = a − y
///
/// At the saturated start κ′(4) ≈ 0.018, so MSE's error term is about 1/28 of
/// cross-entropy's and the neuron barely moves at first.
enum SaturatedNeuron {
  static let id = "saturated-neuron"
  static let learningRate: Float = 0.15
  static let maximumEpochs = 1000

  /// One run: the output after each epoch's update.
  struct Run {
    let outputs: [Float]
    /// The first epoch after whose update the output is below `target`.
    func epochs(below target: Float) -> Int? { outputs.firstIndex { $0 < target }.map { $0 + 1 } }
  }

  static func train(start: Float, crossEntropy: Bool, epochs: Int) -> Run {
    var w = Tensor([[start]])
    var b = Tensor([start])
    let x = Tensor([[1]])
    let y = Tensor([[0]])
    var outputs: [Float] = []
    for _ in 0..<epochs {
      let g = gradients(at: [w, b]) { p in
        let z = matmul(x, p[0]) + p[1]
        return crossEntropy
          ? sigmoidCrossEntropy(logits: z, labels: y)
          : meanSquaredError(predicted: sigmoid(z), expected: y, reduction: .sum)
      }
      w = w - learningRate * g[0]
      b = b - learningRate * g[1]
      outputs.append(sigmoid(matmul(x, w) + b).scalar)
    }
    return Run(outputs: outputs)
  }

  static func run(quick: Bool) -> ExperimentOutcome {
    let epochs = quick ? 120 : maximumEpochs
    let saturatedMSE = train(start: 2, crossEntropy: false, epochs: epochs)
    let saturatedCE = train(start: 2, crossEntropy: true, epochs: epochs)
    let plainMSE = train(start: 0.5, crossEntropy: false, epochs: epochs)
    let plainCE = train(start: 0.5, crossEntropy: true, epochs: epochs)

    func ratio(_ a: Int?, _ b: Int?) -> Float? {
      guard let a, let b, b > 0 else { return nil }
      return Float(a) / Float(b)
    }
    let toTargetMSE = saturatedMSE.epochs(below: 0.1)
    let toTargetCE = saturatedCE.epochs(below: 0.1)
    let toHalfMSE = saturatedMSE.epochs(below: 0.5)
    let toHalfCE = saturatedCE.epochs(below: 0.5)
    let speedup = ratio(toTargetMSE, toTargetCE)
    let plainSpeedup = ratio(plainMSE.epochs(below: 0.1), plainCE.epochs(below: 0.1))

    // The error terms at each start: (a − y)·κ′(z) against a − y.
    func errorTerms(_ start: Float) -> (a: Float, derivative: Float, mse: Float, crossEntropy: Float) {
      let a = sigmoid(Tensor([2 * start])).scalar
      let derivative = a * (1 - a)
      return (a, derivative, 2 * a * derivative, a)
    }
    let saturated = errorTerms(2)
    let plain = errorTerms(0.5)

    let confirmed = (speedup ?? .infinity) > 2 && (toTargetMSE == nil || (speedup ?? 0) > (plainSpeedup ?? 0))
    let verdict: Verdict = toTargetCE == nil ? .inconclusive : (confirmed ? .confirmed : .refuted)

    var metrics: [String: JSONValue] = [
      "learning_rate": .float(learningRate),
      "max_epochs": .integer(epochs),
      "epochs_to_target_mse": .integer(toTargetMSE),
      "epochs_to_target_cross_entropy": .integer(toTargetCE),
    ]
    metrics["speedup"] = speedup.map(JSONValue.float) ?? .null
    metrics.merge([
      "epochs_to_0_5_mse": .integer(toHalfMSE),
      "epochs_to_0_5_cross_entropy": .integer(toHalfCE),
    ]) { $1 }
    metrics["speedup_0_5"] = ratio(toHalfMSE, toHalfCE).map(JSONValue.float) ?? .null
    metrics.merge([
      "unsaturated_epochs_to_target_mse": .integer(plainMSE.epochs(below: 0.1)),
      "unsaturated_epochs_to_target_cross_entropy": .integer(plainCE.epochs(below: 0.1)),
    ]) { $1 }
    metrics["unsaturated_speedup"] = plainSpeedup.map(JSONValue.float) ?? .null
    metrics.merge([
      "unsaturated_epochs_to_0_5_mse": .integer(plainMSE.epochs(below: 0.5)),
      "unsaturated_epochs_to_0_5_cross_entropy": .integer(plainCE.epochs(below: 0.5)),
      "initial_output_saturated": .float(saturated.a),
      "initial_output_unsaturated": .float(plain.a),
      "initial_error_term_mse": .float(saturated.mse),
      "initial_error_term_cross_entropy": .float(saturated.crossEntropy),
      "initial_error_term_mse_unsaturated": .float(plain.mse),
      "initial_error_term_cross_entropy_unsaturated": .float(plain.crossEntropy),
      "final_output_mse": .float(saturatedMSE.outputs.last ?? .nan),
      "final_output_cross_entropy": .float(saturatedCE.outputs.last ?? .nan),
    ]) { $1 }

    let shown = Swift.min(epochs, 400)
    func series(_ name: String, _ run: Run, palette: Int, dashed: Bool) -> SVGChart.Series {
      SVGChart.Series(
        name: name, x: (1...shown).map(Double.init), y: run.outputs.prefix(shown).map(Double.init),
        dashed: dashed, paletteIndex: palette)
    }
    let chart = SVGChart(
      title: "One sigmoid neuron learning to output 0 (x = 1, learning rate 0.15)",
      xLabel: "epoch (one update each)", yLabel: "output a = κ(w·x + b)", yRange: 0...1,
      series: [
        series("MSE, saturated start (w = b = 2)", saturatedMSE, palette: 0, dashed: false),
        series("cross-entropy, saturated start", saturatedCE, palette: 1, dashed: false),
        series("MSE, unsaturated start (w = b = 0.5)", plainMSE, palette: 0, dashed: true),
        series("cross-entropy, unsaturated start", plainCE, palette: 1, dashed: true),
      ])

    let table = HTMLReport.Table(
      header: ["start", "loss", "epochs to a < 0.5", "epochs to a < 0.1", "initial error term ∂/∂z"],
      rows: [
        ["w = b = 2 (a = \(figure(saturated.a)))", "MSE", epochText(toHalfMSE), epochText(toTargetMSE), figure(saturated.mse)],
        ["w = b = 2", "cross-entropy", epochText(toHalfCE), epochText(toTargetCE), figure(saturated.crossEntropy)],
        ["w = b = 0.5 (a = \(figure(plain.a)))", "MSE", epochText(plainMSE.epochs(below: 0.5)), epochText(plainMSE.epochs(below: 0.1)), figure(plain.mse)],
        ["w = b = 0.5", "cross-entropy", epochText(plainCE.epochs(below: 0.5)), epochText(plainCE.epochs(below: 0.1)), figure(plain.crossEntropy)],
      ])
    let section = HTMLReport.Section(
      heading: "A saturated neuron learns slowly under MSE",
      verdict: verdict,
      blocks: [
        .paragraph(
          "One sigmoid neuron with input x = 1 must learn to output y = 0; its output is a = κ(w·x + b), where "
            + "κ(z) = 1/(1 + e⁻ᶻ) is the sigmoid and κ′(z) = κ(z)(1 − κ(z)) ≤ 1/4 its derivative. From w = b = 2 "
            + "the output is κ(4) = \(figure(saturated.a)): saturated and wrong. Under MSE the error term is "
            + "2(a − y)·κ′(z) = \(figure(saturated.mse)), because κ′(4) = \(figure(saturated.derivative)); under "
            + "cross-entropy the κ′ factor cancels and the error term is a − y = \(figure(saturated.crossEntropy))."),
        .chart(chart, caption: "Output after each update. Solid: saturated start; dashed: unsaturated start."),
        .table(table),
        .paragraph(
          "From the saturated start cross-entropy reaches a < 0.1 after \(epochText(toTargetCE)) epochs and MSE after "
            + "\(epochText(toTargetMSE)) (speed-up \(figure(speedup, digits: 2))×). From the unsaturated start the gap "
            + "is \(figure(plainSpeedup, digits: 2))×: without saturation MSE is slower only by its smaller κ′ ≤ 1/4 "
            + "factor, which a larger learning rate could buy back; with saturation it stalls."),
      ])
    return ExperimentOutcome(
      result: ExperimentResult(
        id: id,
        claim: "With a sigmoid output, MSE's error term carries κ′(z), so a saturated neuron learns slowly; cross-entropy's error term a − y does not, so it learns fast",
        verdict: verdict, metrics: .object(metrics)),
      section: section, charts: [NamedChart(fileName: "\(id).svg", svg: chart.svg())],
      headline: "epochs to a < 0.1: MSE \(epochText(toTargetMSE)), cross-entropy \(epochText(toTargetCE)) (\(figure(speedup, digits: 2))×)")
  }
}
