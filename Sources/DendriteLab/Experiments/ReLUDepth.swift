import Dendrite

/// Digits with 2, 5, 10, 15 and 20 hidden layers of 32 units, for sigmoid, tanh and ReLU:
/// test accuracy after 15 epochs (rule 3: deep networks want ReLU).
enum ReLUDepth {
  static let id = "relu-depth"
  static let activations: [Activation] = [.sigmoid, .tanh, .relu]

  static func run(quick: Bool) throws -> ExperimentOutcome {
    let data = try LabConventions.prepare("digits", quick: quick)
    let depths = quick ? [2, 3] : [2, 5, 10, 15, 20]
    let epochs = quick ? 1 : 15
    var accuracy: [Activation: [Float]] = [:]
    for activation in activations {
      accuracy[activation] = try depths.map { depth in
        var model = LabConventions.network(
          inputs: 64, hidden: Array(repeating: 32, count: depth), activation: activation, outputs: 10,
          outputActivation: .linear)
        var optimizer = SGD(learningRate: 0.05)
        do {
          try model.fit(data.train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: epochs, batchSize: 32, seed: LabConventions.trainingSeed)
        } catch TrainingError.diverged {
          return .nan
        }
        return LabConventions.accuracy(model, on: data.test, loss: .softmaxCrossEntropy)
      }
    }
    let sigmoid = accuracy[.sigmoid] ?? []
    let tanh = accuracy[.tanh] ?? []
    let relu = accuracy[.relu] ?? []
    let deepest = depths.count - 1
    let assessment = assess(depths: depths, sigmoid: sigmoid, tanh: tanh, relu: relu)
    let verdict = assessment.verdict

    let metrics: [String: JSONValue] = [
      "depths": .array(depths.map { .number(Double($0)) }), "width": 32, "epochs": .integer(epochs), "learning_rate": 0.05,
      "accuracy_sigmoid": .floats(sigmoid), "accuracy_tanh": .floats(tanh), "accuracy_relu": .floats(relu),
    ]
    let chart = SVGBarChart(
      title: "Digits: test accuracy after \(epochs) epochs by depth (32 units per hidden layer)",
      xLabel: "hidden layers", yLabel: "test accuracy (fraction)", categories: depths.map(String.init), yRange: 0...1,
      series: activations.enumerated().map { index, activation in
        SVGBarChart.Series(name: activation.name, values: (accuracy[activation] ?? []).map(Double.init), paletteIndex: index)
      }, valueDecimals: 2)
    let rows = depths.indices.map { i in ["\(depths[i])", figure(sigmoid[i]), figure(tanh[i]), figure(relu[i])] }
    let section = HTMLReport.Section(
      heading: "Depth: ReLU against sigmoid and tanh",
      verdict: verdict,
      blocks: [
        .paragraph(
          "The same training budget (\(epochs) epochs of plain SGD at learning rate 0.05, batch 32) for networks of "
            + "increasing depth: 32 units per hidden layer, Glorot-initialised for sigmoid and tanh, He-initialised for "
            + "ReLU. The study expects sigmoid networks to stop learning as depth grows, because their early layers get "
            + "almost no gradient, and ReLU networks to keep learning."),
        .chart(chart),
        .table(HTMLReport.Table(header: ["hidden layers", "sigmoid", "tanh", "relu"], rows: rows)),
        .paragraph(assessment.text),
      ])
    return ExperimentOutcome(
      result: ExperimentResult(
        id: id, claim: "ReLU keeps deep networks trainable where sigmoid networks stop learning (rule 3)",
        verdict: verdict, metrics: .object(metrics)),
      section: section, charts: [NamedChart(fileName: "\(id).svg", svg: chart.svg())],
      headline: "at depth \(depths[deepest]): sigmoid \(figure(sigmoid[deepest])), tanh \(figure(tanh[deepest])), relu \(figure(relu[deepest]))")
  }

  /// The verdict on the claim and the paragraph that states what the figures show:
  /// whether sigmoid stops learning with depth, whether ReLU keeps learning where it stops,
  /// and how much ReLU itself loses with depth (a partial cure when it loses more than 0.02
  /// from its best depth). Accuracies are in the order of `depths`; NaN for a diverged run.
  static func assess(depths: [Int], sigmoid: [Float], tanh: [Float], relu: [Float]) -> (verdict: Verdict, text: String) {
    let deepest = depths.count - 1
    guard deepest >= 0, sigmoid.count == depths.count, tanh.count == depths.count, relu.count == depths.count else {
      return (.inconclusive, "No figures to judge.")
    }
    func value(_ x: Float) -> Float { x.isFinite ? x : 0 }
    let reluBeatsSigmoid = value(relu[deepest]) > value(sigmoid[deepest]) + 0.2
    let sigmoidDegrades = value(sigmoid[deepest]) < value(sigmoid[0]) - 0.2
    let verdict: Verdict =
      reluBeatsSigmoid && sigmoidDegrades
      ? .confirmed : (value(relu[deepest]) > value(sigmoid[deepest]) ? .inconclusive : .refuted)
    let (deep, shallow) = (depths[deepest], depths[0])
    var sentences: [String] = []
    sentences.append(
      sigmoidDegrades
        ? "Sigmoid networks stop learning with depth: \(figure(sigmoid[0])) at \(shallow) hidden layers, "
          + "\(figure(sigmoid[deepest])) at \(deep)."
        : "Sigmoid networks do not stop learning in this range: \(figure(sigmoid[0])) at \(shallow) hidden layers, "
          + "\(figure(sigmoid[deepest])) at \(deep).")
    let best = relu.indices.max { value(relu[$0]) < value(relu[$1]) } ?? 0
    let loss = value(relu[best]) - value(relu[deepest])
    if reluBeatsSigmoid {
      sentences.append(
        "ReLU networks keep learning where sigmoid stops: \(figure(relu[deepest])) at depth \(deep) against "
          + "sigmoid's \(figure(sigmoid[deepest])).")
    } else {
      sentences.append(
        "ReLU does not keep the deepest network trainable where sigmoid fails: \(figure(relu[deepest])) at depth "
          + "\(deep) against sigmoid's \(figure(sigmoid[deepest])).")
    }
    if loss > 0.02 {
      sentences.append(
        "But ReLU degrades with depth too, from \(figure(relu[best])) at \(depths[best]) hidden layers to "
          + "\(figure(relu[deepest])) at \(deep) (\(figure(loss, digits: 2)) lost in the same budget): "
          + (reluBeatsSigmoid ? "a partial cure, as the study itself says." : "no cure at this depth."))
    } else {
      sentences.append(
        "ReLU holds its accuracy with depth: \(figure(relu[deepest])) at \(deep) hidden layers against its best, "
          + "\(figure(relu[best])) at \(depths[best]).")
    }
    if value(tanh[deepest]) > value(relu[deepest]) {
      sentences.append(
        "Tanh, zero-centred and Glorot-initialised, beats ReLU at depth \(deep) in this budget "
          + "(\(figure(tanh[deepest])) against \(figure(relu[deepest]))): ReLU is one cure for the sigmoid's vanishing "
          + "gradients, not the only one.")
    } else {
      sentences.append("Tanh reaches \(figure(tanh[deepest])) at depth \(deep).")
    }
    return (verdict, sentences.joined(separator: " "))
  }
}
