import Dendrite
import Testing

/// A 4-input MLP with the given hidden layers and output layer.
private func mlp(
  hidden: [Int] = [8], activation: Activation = .relu, outputs: Int, output: Activation = .linear
) -> Sequential {
  .multilayerPerceptron(
    inputSize: 4, hiddenSizes: hidden, activation: activation, outputSize: outputs, outputActivation: output, seed: 1)
}

private func classes(_ count: Int, rows: Int = 12) -> Dataset.Labels {
  .classes((0..<rows).map { $0 % count }, classCount: count)
}

private func check(_ model: Sequential, _ loss: Loss, _ labels: Dataset.Labels? = nil) -> [Diagnostic] {
  Advisor.check(model: model, loss: loss, labels: labels)
}

@Suite("AdvisorTests")
struct AdvisorTests {
  // MARK: (a) sigmoid output with a regression loss

  @Test("sigmoid output with MSE, MAE or Huber warns sigmoid-mse (κ′ ≤ 1/4), with the fix", arguments: [
    Loss.meanSquaredError, .meanAbsoluteError, .huber,
  ])
  func sigmoidWithRegressionLoss(loss: Loss) throws {
    let found = check(mlp(outputs: 1, output: .sigmoid), loss, classes(2))
    #expect(found.map(\.code) == ["sigmoid-mse"])
    let diagnostic = try #require(found.first)
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.message.contains("κ′(z)") && diagnostic.message.contains("1/4"))
    #expect(diagnostic.message.contains("use sigmoid-cross-entropy"))
    #expect(diagnostic.message.contains(loss.name))
    #expect(!diagnostic.message.contains("\n"))
  }

  // MARK: (b) an activated output before a loss that takes logits

  @Test("softmax or sigmoid output before a logits loss warns double-softmax/-sigmoid (it learns, badly)", arguments: [
    (Activation.softmax, Loss.softmaxCrossEntropy, 3, "double-softmax"),
    (.softmax, .sigmoidCrossEntropy, 2, "double-softmax"),
    (.sigmoid, .sigmoidCrossEntropy, 1, "double-sigmoid"),
    (.sigmoid, .softmaxCrossEntropy, 3, "double-sigmoid"),
  ])
  func doubleSquashing(output: Activation, loss: Loss, units: Int, code: String) throws {
    let found = check(mlp(outputs: units, output: output), loss)
    #expect(found.map(\.code) == [code])
    let diagnostic = try #require(found.first)
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.message.contains("remove the output activation"))
  }

  @Test("a softmax applied by a trailing ActivationLayer (dropout looked through) counts as the output activation")
  func trailingActivationLayer() {
    let model = Sequential(seed: 1) {
      Dense(inputSize: 4, outputSize: 8, activation: .relu)
      Dense(inputSize: 8, outputSize: 3)
      ActivationLayer(.softmax)
      Dropout(rate: 0.1)
    }
    #expect(check(model, .softmaxCrossEntropy).map(\.code) == ["double-softmax"])
    #expect(check(model, .categoricalCrossEntropy, classes(3)).isEmpty)
  }

  @Test("tanh logits warn activated-logits; log-softmax before softmax cross-entropy is harmless")
  func activatedLogits() throws {
    let tanhFound = check(mlp(outputs: 3, output: .tanh), .softmaxCrossEntropy)
    #expect(tanhFound.map(\.code) == ["activated-logits"])
    #expect(tanhFound.first?.severity == .warning)
    #expect(tanhFound.first?.message.contains("[−1, 1]") == true)
    #expect(check(mlp(outputs: 3, output: .logSoftmax), .softmaxCrossEntropy).isEmpty)
    #expect(check(mlp(outputs: 2, output: .logSoftmax), .sigmoidCrossEntropy).map(\.code) == ["activated-logits"])
  }

  // MARK: (c) probabilities losses on unbounded outputs, NLL without log-softmax

  @Test("binary or categorical cross-entropy on an output outside [0, 1] warns unbounded-probabilities",
        arguments: [
          (Loss.binaryCrossEntropy, Activation.linear, 1, "sigmoid-cross-entropy"),
          (.binaryCrossEntropy, .relu, 1, "sigmoid-cross-entropy"),
          (.categoricalCrossEntropy, .linear, 3, "softmax-cross-entropy"),
          (.categoricalCrossEntropy, .tanh, 3, "softmax-cross-entropy"),
          (.categoricalCrossEntropy, .logSoftmax, 3, "nll"),
        ])
  func unboundedProbabilities(loss: Loss, output: Activation, units: Int, fix: String) throws {
    let found = check(mlp(outputs: units, output: output), loss)
    #expect(found.map(\.code) == ["unbounded-probabilities"])
    let diagnostic = try #require(found.first)
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.message.contains("clips them to [ε, 1 − ε]"))
    #expect(diagnostic.message.contains("use \(fix)"))
  }

  @Test("NLL on linear or softmax outputs is an nll-without-log-softmax error", arguments: [
    Activation.linear, .softmax, .relu,
  ])
  func nllWithoutLogSoftmax(output: Activation) {
    let found = check(mlp(outputs: 3, output: output), .negativeLogLikelihood, classes(3))
    #expect(found.map(\.code) == ["nll-without-log-softmax"])
    #expect(found.first?.severity == .error)
    #expect(found.first?.message.contains("log-softmax output layer") == true)
  }

  // MARK: (d) softmax of one value

  @Test("a softmax loss or activation over one output unit is a single-unit-softmax error", arguments: [
    (Loss.softmaxCrossEntropy, Activation.linear),
    (.categoricalCrossEntropy, .softmax),
    (.negativeLogLikelihood, .logSoftmax),
    (.binaryCrossEntropy, .softmax),
  ])
  func singleUnitSoftmax(loss: Loss, output: Activation) {
    let found = check(mlp(outputs: 1, output: output), loss)
    #expect(found.map(\.code).contains("single-unit-softmax"))
    #expect(found.allSatisfy { $0.severity == .error })
    #expect(found.first { $0.code == "single-unit-softmax" }?.message.contains("always 1") == true)
  }

  // MARK: (e) labels outside the output range

  @Test("class indices ≥ output units are a class-out-of-range error naming the largest class")
  func classOutOfRange() throws {
    let found = check(mlp(outputs: 3, output: .linear), .softmaxCrossEntropy, classes(5))
    #expect(found.map(\.code) == ["class-out-of-range"])
    let diagnostic = try #require(found.first)
    #expect(diagnostic.severity == .error)
    #expect(diagnostic.message.contains("indices up to 4") && diagnostic.message.contains("3 units"))
    // Softmax cross-entropy on one logit with two classes: both problems.
    #expect(Set(check(mlp(outputs: 1), .softmaxCrossEntropy, classes(2)).map(\.code))
      == ["class-out-of-range", "single-unit-softmax"])
    // One 0/1 column is how the binary losses and MSE read two classes: no range error
    // (MSE on classes gets its own warning).
    #expect(check(mlp(outputs: 1), .meanSquaredError, classes(2)).map(\.code) == ["mse-for-classes"])
    #expect(check(mlp(outputs: 1, output: .sigmoid), .binaryCrossEntropy, classes(2)).isEmpty)
  }

  @Test("a binary loss with three classes: error with one output unit, warning with one unit per class")
  func binaryLossMulticlass() {
    let single = check(mlp(outputs: 1), .sigmoidCrossEntropy, classes(3))
    #expect(single.map(\.code) == ["binary-loss-multiclass"])
    #expect(single.first?.severity == .error)
    #expect(single.first?.message.contains("softmax-cross-entropy with 3 logits") == true)
    let perClass = check(mlp(outputs: 3, output: .sigmoid), .binaryCrossEntropy, classes(3))
    #expect(perClass.map(\.code) == ["binary-loss-multiclass"])
    #expect(perClass.first?.severity == .warning)
  }

  @Test("regression targets the output cannot reach warn target-out-of-range", arguments: [
    (Activation.sigmoid, [Float](arrayLiteral: 0.5, 2, -1, 0), 2, "[0, 1]"),
    (.relu, [-3, 1, 2, 4], 1, "[0, ∞)"),
    (.softplus, [-0.5, -1, 2, 4], 2, "[0, ∞)"),
    (.tanh, [0.5, 1.5, -1, 0], 1, "[−1, 1]"),
  ])
  func targetOutOfRange(output: Activation, targets: [Float], outside: Int, range: String) throws {
    let labels = Dataset.Labels.targets(Tensor(shape: [targets.count, 1], scalars: targets))
    let found = check(mlp(outputs: 1, output: output), .meanAbsoluteError, labels)
    let diagnostic = try #require(found.first { $0.code == "target-out-of-range" })
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.message.contains("\(outside) of \(targets.count) regression targets lie outside \(range)"))
    #expect(diagnostic.message.contains("use a linear output"))
  }

  @Test("targets inside the output's range, or any targets on a linear output, are fine")
  func targetsInRange() {
    let unit = Dataset.Labels.targets(Tensor(shape: [4, 1], scalars: [0, 0.25, 0.75, 1]))
    let wide = Dataset.Labels.targets(Tensor(shape: [4, 1], scalars: [-30, 0.25, 7, 1e4]))
    #expect(check(mlp(outputs: 1, output: .relu), .meanSquaredError, unit).isEmpty)
    #expect(check(mlp(outputs: 1, output: .linear), .huber, wide).isEmpty)
    // Sigmoid with targets in [0, 1] still gets the κ′ warning, but no range warning.
    #expect(check(mlp(outputs: 1, output: .sigmoid), .meanSquaredError, unit).map(\.code) == ["sigmoid-mse"])
  }

  // MARK: (f) deep sigmoid/tanh stacks

  @Test("four or more hidden sigmoid/tanh layers warn vanishing-gradients; three do not")
  func deepSaturatingStack() throws {
    let deep = check(mlp(hidden: [8, 8, 8, 8], activation: .sigmoid, outputs: 3), .softmaxCrossEntropy, classes(3))
    #expect(deep.map(\.code) == ["vanishing-gradients"])
    let diagnostic = try #require(deep.first)
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.message.contains("(1/4)^4") && diagnostic.message.contains("use relu"))
    #expect(check(mlp(hidden: [8, 8, 8, 8, 8], activation: .tanh, outputs: 3), .softmaxCrossEntropy)
      .map(\.code) == ["vanishing-gradients"])
    #expect(check(mlp(hidden: [8, 8, 8], activation: .sigmoid, outputs: 3), .softmaxCrossEntropy).isEmpty)
    // Activation layers after linear dense layers count too.
    let layered = Sequential(seed: 1) {
      for _ in 0..<4 {
        Dense(inputSize: 4, outputSize: 4)
        ActivationLayer(.tanh)
      }
      Dense(inputSize: 4, outputSize: 2)
    }
    #expect(check(layered, .softmaxCrossEntropy).map(\.code) == ["vanishing-gradients"])
  }

  // MARK: Defaults and presentation

  @Test("the sensible defaults are silent, with and without labels", arguments: [
    (Loss.softmaxCrossEntropy, 10, Activation.linear, 10),
    (.sigmoidCrossEntropy, 1, .linear, 2),
    (.binaryCrossEntropy, 1, .sigmoid, 2),
    (.categoricalCrossEntropy, 10, .softmax, 10),
    (.negativeLogLikelihood, 10, .logSoftmax, 10),
  ])
  func defaultsAreSilent(loss: Loss, units: Int, output: Activation, classCount: Int) {
    for activation in [Activation.relu, .tanh, .leakyRelu, .gelu] {
      let model = mlp(hidden: [16, 16, 16], activation: activation, outputs: units, output: output)
      #expect(check(model, loss).isEmpty, "\(activation) hidden, \(loss.name)")
      #expect(check(model, loss, classes(classCount, rows: 40)).isEmpty, "\(activation) hidden, \(loss.name)")
    }
    #expect(check(mlp(hidden: [16, 16, 16, 16, 16, 16], outputs: units, output: output), loss).isEmpty)
  }

  @Test("MSE regression on a linear output is silent, whatever the targets")
  func regressionDefaultIsSilent() {
    let targets = Tensor(shape: [5, 2], scalars: [-4, 300, 0, 1, 2.5, -0.1, 7, 7, 12, -40])
    #expect(check(mlp(hidden: [32, 16], outputs: 2), .meanSquaredError, .targets(targets)).isEmpty)
  }

  @Test("errors come before warnings, and description is `severity: message [code]`")
  func orderingAndDescription() throws {
    let model = mlp(hidden: [8, 8, 8, 8], activation: .sigmoid, outputs: 3, output: .softmax)
    let found = check(model, .softmaxCrossEntropy)
    #expect(found.map(\.code) == ["double-softmax", "vanishing-gradients"])
    #expect(found.map(\.severity) == [.warning, .warning])
    let diagnostic = Diagnostic(.warning, code: "sigmoid-mse", message: "slow")
    #expect(diagnostic.description == "warning: slow [sigmoid-mse]")
    #expect(try #require(found.first).description.hasPrefix("warning: softmax output layer"))
    // An error (the run cannot learn) comes before the warnings that the model also gets.
    let stopped = check(mlp(hidden: [8, 8, 8, 8], activation: .sigmoid, outputs: 3, output: .linear),
                        .negativeLogLikelihood, classes(3))
    #expect(stopped.map(\.code) == ["nll-without-log-softmax", "vanishing-gradients"])
    #expect(stopped.map(\.severity) == [.error, .warning])
    #expect(try #require(stopped.first).description.hasPrefix("error: nll expects log-probabilities"))
  }

  @Test("only the configurations that cannot learn are errors", arguments: [
    ("nll-without-log-softmax", true), ("single-unit-softmax", true), ("class-out-of-range", true),
    ("double-softmax", false), ("double-sigmoid", false), ("unbounded-probabilities", false),
    ("sigmoid-mse", false), ("mse-for-classes", false), ("tiny-class", false),
  ])
  func errorMeansCannotLearn(code: String, isError: Bool) throws {
    let cases: [String: [Diagnostic]] = [
      "nll-without-log-softmax": check(mlp(outputs: 3), .negativeLogLikelihood, classes(3)),
      "single-unit-softmax": check(mlp(outputs: 1, output: .softmax), .categoricalCrossEntropy),
      "class-out-of-range": check(mlp(outputs: 2), .softmaxCrossEntropy, classes(4)),
      "double-softmax": check(mlp(outputs: 3, output: .softmax), .softmaxCrossEntropy),
      "double-sigmoid": check(mlp(outputs: 1, output: .sigmoid), .sigmoidCrossEntropy),
      "unbounded-probabilities": check(mlp(outputs: 1), .binaryCrossEntropy),
      "sigmoid-mse": check(mlp(outputs: 1, output: .sigmoid), .meanSquaredError),
      "mse-for-classes": check(mlp(outputs: 3), .meanSquaredError, classes(3)),
      "tiny-class": check(mlp(outputs: 3), .softmaxCrossEntropy, .classes([0, 0, 1, 1, 2], classCount: 3)),
    ]
    let diagnostic = try #require(cases[code]?.first { $0.code == code })
    #expect(diagnostic.severity == (isError ? .error : .warning))
  }

  // MARK: (g) regression losses on classes

  @Test("MSE, MAE or Huber on class labels with linear outputs warns mse-for-classes with the study's rule",
        arguments: [Loss.meanSquaredError, .meanAbsoluteError, .huber])
  func regressionLossOnClasses(loss: Loss) throws {
    let found = check(mlp(outputs: 3), loss, classes(3))
    #expect(found.map(\.code) == ["mse-for-classes"])
    let diagnostic = try #require(found.first)
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.message.hasPrefix("\(loss.name) on 3 classes with linear outputs"))
    #expect(diagnostic.message.contains("softmax outputs with the log-likelihood: softmax-cross-entropy on 3 logits"))
    let binary = try #require(check(mlp(outputs: 1), loss, classes(2)).first)
    #expect(binary.message.hasSuffix("sigmoid-cross-entropy on one logit"))
    // A sigmoid output gets sigmoid-mse instead; regression targets get nothing.
    #expect(check(mlp(outputs: 1, output: .sigmoid), loss, classes(2)).map(\.code) == ["sigmoid-mse"])
    let targets = Dataset.Labels.targets(Tensor(shape: [3, 1], scalars: [0, 1, 2]))
    #expect(check(mlp(outputs: 1), loss, targets).isEmpty)
  }

  // MARK: (h) classes with no or one training sample

  @Test("classes with no training sample or only one warn tiny-class, naming them")
  func tinyClasses() throws {
    let labels = Dataset.Labels.classes([0, 0, 0, 1, 3, 3, 3, 4], classCount: 5)
    let found = check(mlp(outputs: 5), .softmaxCrossEntropy, labels)
    #expect(found.map(\.code) == ["tiny-class"])
    let diagnostic = try #require(found.first)
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.message.hasPrefix(
      "class 2 has no training sample and classes 1, 4 have one (of 8 training labels)"))
    let onlyEmpty = try #require(check(mlp(outputs: 3), .softmaxCrossEntropy, .classes([0, 0, 2, 2], classCount: 3)).first)
    #expect(onlyEmpty.message.hasPrefix("class 1 has no training sample (of 4 training labels)"))
    #expect(check(mlp(outputs: 2), .softmaxCrossEntropy, .classes([0, 0, 1, 1], classCount: 2)).isEmpty)
    // With class names (a CSV's labels), the message names them.
    let named = Advisor.check(
      model: mlp(outputs: 3), loss: .softmaxCrossEntropy, labels: .classes([0, 0, 1, 2, 2], classCount: 3),
      classNames: ["setosa", "versicolor", "virginica"])
    #expect(named.first?.message.hasPrefix("class \"versicolor\" has one (of 5 training labels)") == true)
  }

  @Test("the messages that use κ say that κ is the sigmoid and κ′ its derivative")
  func kappaIsExplained() {
    let messages = [
      check(mlp(outputs: 1, output: .sigmoid), .meanSquaredError),
      check(mlp(outputs: 1, output: .sigmoid), .sigmoidCrossEntropy),
      check(mlp(hidden: [8, 8, 8, 8], activation: .sigmoid, outputs: 3), .softmaxCrossEntropy),
    ].flatMap { $0.map(\.message) }
    #expect(messages.count == 3)
    for message in messages where message.contains("κ") {
      #expect(message.contains("κ is the sigmoid") || message.contains("the sigmoid of")
        || message.contains("κ′ is the sigmoid's derivative"), "\(message)")
    }
  }

  // MARK: (i) after training

  @Test("a first-epoch loss above the starting loss warns loss-rose; a falling or missing one is silent")
  func lossRose() throws {
    var history = History()
    history.epochs = [["loss": 2.5], ["loss": 0.4]]
    let found = Advisor.checkProgress(startingLoss: 1.25, history: history)
    #expect(found.map(\.code) == ["loss-rose"])
    let diagnostic = try #require(found.first)
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.message.hasPrefix("the training loss rose from 1.25 before training to 2.5 after the first epoch"))
    #expect(diagnostic.message.contains("lower it (--learning-rate"))
    #expect(Advisor.checkProgress(startingLoss: 3, history: history).isEmpty)
    #expect(Advisor.checkProgress(startingLoss: 2.4, history: history).isEmpty)      // 4% above: not a rise
    #expect(Advisor.checkProgress(startingLoss: 2.3, history: history).count == 1)   // 9% above
    #expect(Advisor.checkProgress(startingLoss: .nan, history: history).isEmpty)
    #expect(Advisor.checkProgress(startingLoss: 1, history: History()).isEmpty)
  }

  @Test("Adam at learning rate 100 raises the loss in the first epoch: loss-rose; at 0.01 it falls")
  func lossRoseFromTraining() throws {
    // Column 0 is the class (±1); the others are fixed noise.
    let scalars: [Float] = (0..<160).map { (index: Int) -> Float in
      let row = index / 4
      let noise = Float((index * 37) % 17) / 8 - 1
      return index % 4 == 0 ? Float(row % 2) * 2 - 1 : noise
    }
    let features = Tensor(shape: [40, 4], scalars: scalars)
    let data = try Dataset(features: features, classIndices: (0..<40).map { $0 % 2 }, classCount: 2)
    func progress(learningRate: Float) throws -> [String] {
      var model = mlp(outputs: 2)
      var adam = Adam(learningRate: learningRate)
      let before = model.evaluate(data, loss: .softmaxCrossEntropy)["loss"] ?? .nan
      let history = try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 2, batchSize: 8, seed: 1)
      return Advisor.checkProgress(startingLoss: before, history: history).map(\.code)
    }
    #expect(try progress(learningRate: 100) == ["loss-rose"])
    #expect(try progress(learningRate: 0.01).isEmpty)
  }
}
