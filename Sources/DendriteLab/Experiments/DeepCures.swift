import Dendrite

/// After the study: digits through 20 and 50 hidden ReLU layers of 32 units, plain (He
/// initialisation) against batch normalisation, residual blocks and both
/// (``DeepNetworkVariant``), with the same plain SGD budget. Records each network's
/// weight-gradient norm per dense layer at initialisation and its test accuracy after
/// training.
///
/// The gradient norms are taken in training mode (batch statistics, as the first SGD step
/// sees them) on the first 128 training rows: in inference mode a fresh BatchNorm layer
/// uses its initial running statistics (mean 0, variance 1) and is close to the identity,
/// which would hide what it does.
enum DeepCures {
  static let id = "deep-cures"
  /// The test accuracy the issue asks of a cured depth-20 network.
  static let targetAccuracy: Float = 0.93

  /// One variant at one depth.
  struct Run {
    /// ‖∂J/∂W‖ per dense layer at initialisation, input side first.
    let gradientNorms: [Float]
    /// nil when training diverged.
    let testAccuracy: Float?
    let diverged: Bool

    /// The first dense layer's gradient norm over the output layer's.
    var firstToLastRatio: Float {
      guard let first = gradientNorms.first, let last = gradientNorms.last, last > 0 else { return .nan }
      return first / last
    }
  }

  /// The figures and the budget, as the run measured them.
  struct Figures {
    let depths: [Int]
    let epochs: [Int]
    let learningRate: Float
    /// `runs[variant][i]` is the variant at `depths[i]`.
    let runs: [DeepNetworkVariant: [Run]]

    func accuracies(_ variant: DeepNetworkVariant) -> [Float?] { runs[variant]?.map(\.testAccuracy) ?? [] }
  }

  static func run(quick: Bool) throws -> ExperimentOutcome {
    let data = try LabConventions.prepare("digits", quick: quick)
    let depths = quick ? [4, 6] : [20, 50]
    // Depth 20 gets relu-depth's budget, so the plain network there is relu-depth's deepest ReLU network.
    let epochs = quick ? [1, 1] : [15, 10]
    let learningRate: Float = 0.05
    let probe = data.train.subset(Array(0..<Swift.min(128, data.train.count)))
    var runs: [DeepNetworkVariant: [Run]] = [:]
    for variant in DeepNetworkVariant.allCases {
      runs[variant] = try zip(depths, epochs).map { depth, epochs in
        var model = variant.network(depth: depth, inputs: data.train.featureCount, outputs: 10)
        let norms = denseWeightGradientNorms(variant.network(depth: depth, inputs: data.train.featureCount, outputs: 10), on: probe)
        var optimizer = SGD(learningRate: learningRate)
        do {
          try model.fit(
            data.train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: epochs, batchSize: 32,
            seed: LabConventions.trainingSeed)
        } catch TrainingError.diverged {
          return Run(gradientNorms: norms, testAccuracy: nil, diverged: true)
        }
        return Run(
          gradientNorms: norms, testAccuracy: LabConventions.accuracy(model, on: data.test, loss: .softmaxCrossEntropy),
          diverged: false)
      }
    }
    return outcome(Figures(depths: depths, epochs: epochs, learningRate: learningRate, runs: runs))
  }

  /// ‖∂J/∂W‖ of every dense layer's weight, input side first, for one training-mode pass
  /// of softmax cross-entropy over `probe`.
  static func denseWeightGradientNorms(_ model: Sequential, on probe: Dataset) -> [Float] {
    let (_, gradients) = model.valueWithGradients { model in
      var context = ForwardContext(isTraining: true, seed: LabConventions.trainingSeed)
      return Loss.softmaxCrossEntropy.compute(outputs: model.forward(probe.features, context: &context), labels: probe.labels)
    }
    let weights = zip(model.parameterNames, model.parameterValues).filter { $0.1.rank == 2 }.map(\.0)
    return weights.map { name in
      guard let gradient = gradients[name] else { return .nan }
      return Float(gradient.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
    }
  }

  /// The verdict and the prose that states it, from the figures alone.
  static func assess(_ figures: Figures) -> (verdict: Verdict, text: String) {
    let last = figures.depths.count - 1
    let cures: [DeepNetworkVariant] = [.batchNorm, .residualHeInit, .residual, .both]
    func accuracy(_ variant: DeepNetworkVariant, _ index: Int) -> Float {
      figures.accuracies(variant)[index] ?? 0
    }
    func best(_ index: Int) -> (variant: DeepNetworkVariant, accuracy: Float) {
      cures.map { ($0, accuracy($0, index)) }.max { $0.1 < $1.1 } ?? (.both, 0)
    }
    let curedEverywhere = figures.depths.indices.allSatisfy { best($0).accuracy >= targetAccuracy }
    let plainDegrades = accuracy(.plain, last) < best(last).accuracy - 0.05
    let curesNeverHelp = figures.depths.indices.allSatisfy { best($0).accuracy <= accuracy(.plain, $0) }
    let verdict: Verdict = curedEverywhere && plainDegrades ? .confirmed : (curesNeverHelp ? .refuted : .inconclusive)

    var sentences: [String] = []
    for (index, depth) in figures.depths.enumerated() {
      let reached = cures.filter { accuracy($0, index) >= targetAccuracy }
      let plain = figures.accuracies(.plain)[index]
      var sentence = "At depth \(depth) the plain network "
        + (plain.map { "reaches \(figure($0))" } ?? "diverges")
        + "; " + cures.map { cure in
          "\(cure.label) " + (figures.accuracies(cure)[index].map { figure($0) } ?? "diverges")
        }.joined(separator: ", ")
      sentence += reached.isEmpty
        ? ": no cure reaches \(figure(targetAccuracy)) in this budget."
        : ": \(listed(reached.map(\.label))) reach\(reached.count == 1 ? "es" : "") \(figure(targetAccuracy)) or more."
      sentences.append(sentence)
    }
    let (bestLast, bestAccuracy) = best(last)
    if plainDegrades {
      sentences.append(
        "With depth \(figures.depths[last]) the plain He-initialised stack falls \(figure(bestAccuracy - accuracy(.plain, last), digits: 2)) "
          + "behind the best cure (\(bestLast.label)).")
    } else {
      sentences.append(
        "The plain He-initialised stack stays within 0.05 of the best cure at depth \(figures.depths[last]): "
          + "in this budget the cures are not needed there.")
    }
    let setbacks = cures.compactMap { variant -> String? in
      let diverged = figures.depths.indices.filter { figures.runs[variant]?[$0].diverged == true }
      let below = figures.depths.indices.filter {
        !diverged.contains($0) && accuracy(variant, $0) < accuracy(.plain, $0) - 0.05
      }
      var parts: [String] = []
      if !diverged.isEmpty { parts.append("diverges at depth \(listed(diverged.map { "\(figures.depths[$0])" }))") }
      if !below.isEmpty {
        parts.append("ends below the plain network at depth \(listed(below.map { "\(figures.depths[$0])" }))")
      }
      return parts.isEmpty ? nil : "\(variant.label) " + parts.joined(separator: " and ")
    }
    if !setbacks.isEmpty {
      sentences.append("Not every variant helps: \(setbacks.joined(separator: "; ")).")
    }
    let ratios = DeepNetworkVariant.allCases.map { variant in
      (variant, figures.runs[variant]?[last].firstToLastRatio ?? .nan)
    }
    sentences.append(
      "Before training at depth \(figures.depths[last]) the first dense layer's gradient norm, relative to the "
        + "output layer's, is "
        + listed(ratios.map { "\(ratioText($1))× \($0 == .plain ? "in the plain network" : "with \($0.label)")" })
        + ".")
    let growing = ratios.filter { $0.1 > 10 }.map(\.0.label)
    if !growing.isEmpty {
      sentences.append(
        "With \(listed(growing)) the gradients grow towards the input: the first step moves the early layers far "
          + "more than the late ones.")
    }
    return (verdict, sentences.joined(separator: " "))
  }

  /// A ratio for prose: whole numbers from 100 up, else ``figure(_:digits:)`` to 2 places.
  private static func ratioText(_ value: Float) -> String {
    value.isFinite && value >= 100 ? "\(Int(value.rounded()))" : figure(value, digits: 2)
  }

  private static func listed(_ items: [String]) -> String {
    guard items.count > 1, let last = items.last else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + last
  }

  static func outcome(_ figures: Figures) -> ExperimentOutcome {
    let variants = DeepNetworkVariant.allCases
    let (verdict, text) = assess(figures)
    func byVariant(_ value: (DeepNetworkVariant, [Run]) -> JSONValue) -> JSONValue {
      .object(Dictionary(uniqueKeysWithValues: variants.compactMap { v in figures.runs[v].map { (v.name, value(v, $0)) } }))
    }
    func byDepth(_ runs: [Run], _ value: (Run) -> JSONValue) -> JSONValue {
      .object(Dictionary(uniqueKeysWithValues: zip(figures.depths, runs).map { ("\($0)", value($1)) }))
    }
    let metrics: [String: JSONValue] = [
      "depths": .array(figures.depths.map { .number(Double($0)) }), "width": 32,
      "epochs": .array(figures.epochs.map { .number(Double($0)) }), "learning_rate": .float(figures.learningRate),
      "batch_size": 32, "target_accuracy": .float(targetAccuracy),
      "test_accuracy": byVariant { _, runs in .array(runs.map { $0.testAccuracy.map(JSONValue.float) ?? .null }) },
      "diverged": byVariant { _, runs in .array(runs.map { .bool($0.diverged) }) },
      "hidden_layers": byVariant { variant, _ in .array(figures.depths.map { .number(Double(variant.hiddenLayers(depth: $0))) }) },
      "weight_gradient_norms": byVariant { _, runs in byDepth(runs) { .floats($0.gradientNorms) } },
      "first_to_last_gradient_ratio": byVariant { _, runs in byDepth(runs) { .float($0.firstToLastRatio) } },
    ]
    let shown = figures.depths.count - 1
    let gradientChart = SVGChart(
      title: "Digits, depth \(figures.depths[shown]): weight-gradient norm per dense layer at initialisation",
      xLabel: "dense layer (1 = input side)", yLabel: "‖∂J/∂W‖ (log scale)", yScale: .log10,
      series: variants.enumerated().map { index, variant in
        let norms = figures.runs[variant]?[shown].gradientNorms.map(Double.init) ?? []
        return SVGChart.Series(
          name: variant.label, x: norms.indices.map { Double($0 + 1) }, y: norms, style: .lineAndMarkers,
          paletteIndex: index)
      })
    let accuracyChart = SVGBarChart(
      title: "Digits: test accuracy of deep ReLU networks after plain SGD",
      xLabel: "depth (epochs of training)", yLabel: "test accuracy (fraction)",
      categories: zip(figures.depths, figures.epochs).map { "\($0) (\($1) ep.)" }, yRange: 0...1,
      series: variants.enumerated().map { index, variant in
        SVGBarChart.Series(
          name: variant.label, values: figures.accuracies(variant).map { Double($0 ?? .nan) }, paletteIndex: index)
      }, valueDecimals: 2)
    let header = ["network"] + zip(figures.depths, figures.epochs).flatMap { depth, epochs in
      ["hidden layers", "test accuracy, depth \(depth) (\(epochs) epochs)", "first / last gradient norm"]
    }
    let rows = variants.map { variant in
      [variant.label] + figures.depths.indices.flatMap { index -> [String] in
        let run = figures.runs[variant]?[index]
        return [
          "\(variant.hiddenLayers(depth: figures.depths[index]))",
          run.map { $0.diverged ? "diverged" : figure($0.testAccuracy) } ?? "—", figure(run?.firstToLastRatio),
        ]
      }
    }
    let silentLayers = figures.runs[.residual]?[shown].gradientNorms.filter { $0 == 0 }.count ?? 0
    let section = HTMLReport.Section(
      heading: "After the study: batch normalisation and residual blocks in deep ReLU networks",
      verdict: verdict,
      blocks: [
        .paragraph(
          "The study stops at ReLU. Here are two later cures for deep networks, on digits with hidden layers of 32 "
            + "ReLU units, He normal weights (unless said otherwise), softmax cross-entropy and the same plain SGD for all "
            + "(learning rate \(figure(figures.learningRate)), batch 32; "
            + zip(figures.depths, figures.epochs).map { "\($1) epochs at depth \($0)" }.joined(separator: ", ") + "):"),
        .list([
          "**plain**: Dense → ReLU, repeated.",
          "**batch norm**: Dense → BatchNorm → ReLU, repeated (batch statistics while training, running averages "
            + "for the test).",
          "**residual (He throughout)**: an input projection Dense 64 → 32 → ReLU, then post-activation blocks "
            + "ReLU(x + Dense(ReLU(Dense(x)))), two layers each, then Dense 32 → 10: one hidden layer more than plain. "
            + "Each block adds a branch as large as its input, so the signal grows with every block.",
          "**residual**: the same blocks with the last dense layer of each branch starting at zero, so that every "
            + "block starts as the identity (the zero-initialised last layer of Goyal et al. 2017; Fixup and SkipInit "
            + "rest on the same idea).",
          "**residual + batch norm**: the same blocks with BatchNorm after each of their dense layers, "
            + "ReLU(x + BN(Dense(ReLU(BN(Dense(x)))))).",
        ]),
        .chart(accuracyChart, caption: "Test accuracy after training; a missing bar is a run that diverged."),
        .table(HTMLReport.Table(header: header, rows: rows)),
        .chart(
          gradientChart,
          caption: "Each point is one dense layer's weight-gradient norm for the first 128 training rows before "
            + "training, in training mode (BatchNorm with the batch's statistics, as the first SGD step sees it); "
            + "the y axis is logarithmic."
            + (silentLayers == 0
              ? ""
              : " In the residual network the first layer of each branch (\(silentLayers) layers) has no point: its "
                + "gradient is exactly 0 at the start, because the branch's last layer starts at zero.")),
        .paragraph(text),
      ])
    let headline = figures.depths.indices.map { index in
      "depth \(figures.depths[index]): " + variants.map { "\($0.name) \(figure(figures.accuracies($0)[index], digits: 2))" }
        .joined(separator: ", ")
    }.joined(separator: "; ")
    return ExperimentOutcome(
      result: ExperimentResult(
        id: id,
        claim: "Batch normalisation or residual blocks keep 20- and 50-layer ReLU networks trainable with plain SGD "
          + "(≥ \(figure(targetAccuracy)) test accuracy on digits) where plain He-initialised stacks degrade",
        verdict: verdict, metrics: .object(metrics)),
      section: section,
      charts: [
        NamedChart(fileName: "\(id)-accuracy.svg", svg: accuracyChart.svg()),
        NamedChart(fileName: "\(id)-gradients.svg", svg: gradientChart.svg()),
      ],
      headline: headline)
  }
}
