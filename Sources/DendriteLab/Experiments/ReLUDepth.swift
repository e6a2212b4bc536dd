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
    // The claim is about ReLU against sigmoid; tanh is reported beside them.
    let reluBeatsSigmoid = relu[deepest] > sigmoid[deepest] + 0.2
    let sigmoidDegrades = sigmoid[deepest] < sigmoid[0] - 0.2
    let verdict: Verdict =
      reluBeatsSigmoid && sigmoidDegrades ? .confirmed : (relu[deepest] > sigmoid[deepest] ? .inconclusive : .refuted)
    let tanhNote =
      tanh[deepest] > relu[deepest]
      ? "Tanh, zero-centred and Glorot-initialised, also keeps learning and beats ReLU at depth \(depths[deepest]) "
        + "within this budget (\(figure(tanh[deepest])) against \(figure(relu[deepest]))): ReLU is a cure for the "
        + "sigmoid's vanishing gradients, not the only one, and deep ReLU stacks still need care (initialisation, "
        + "learning rate). The study calls it a partial cure, and the measurement agrees."
      : "Tanh stays between the two: \(figure(tanh[deepest])) at depth \(depths[deepest])."

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
      heading: "Depth: ReLU keeps deep networks trainable",
      verdict: verdict,
      blocks: [
        .paragraph(
          "The same training budget (\(epochs) epochs of plain SGD at learning rate 0.05, batch 32) for networks of "
            + "increasing depth. Sigmoid networks stop learning as depth grows because their early layers get almost no "
            + "gradient; ReLU networks, He-initialised, keep learning."),
        .chart(chart),
        .table(HTMLReport.Table(header: ["hidden layers", "sigmoid", "tanh", "relu"], rows: rows)),
        .paragraph(tanhNote),
      ])
    return ExperimentOutcome(
      result: ExperimentResult(
        id: id, claim: "ReLU keeps deep networks trainable where sigmoid networks stop learning (rule 3)",
        verdict: verdict, metrics: .object(metrics)),
      section: section, charts: [NamedChart(fileName: "\(id).svg", svg: chart.svg())],
      headline: "at depth \(depths[deepest]): sigmoid \(figure(sigmoid[deepest])), tanh \(figure(tanh[deepest])), relu \(figure(relu[deepest]))")
  }
}
