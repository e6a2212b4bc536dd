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

  @Test("softmax or sigmoid output before a logits loss is a double-softmax/-sigmoid error", arguments: [
    (Activation.softmax, Loss.softmaxCrossEntropy, 3, "double-softmax"),
    (.softmax, .sigmoidCrossEntropy, 2, "double-softmax"),
    (.sigmoid, .sigmoidCrossEntropy, 1, "double-sigmoid"),
    (.sigmoid, .softmaxCrossEntropy, 3, "double-sigmoid"),
  ])
  func doubleSquashing(output: Activation, loss: Loss, units: Int, code: String) throws {
    let found = check(mlp(outputs: units, output: output), loss)
    #expect(found.map(\.code) == [code])
    let diagnostic = try #require(found.first)
    #expect(diagnostic.severity == .error)
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

  @Test("binary or categorical cross-entropy on an output outside [0, 1] is an unbounded-probabilities error",
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
    #expect(diagnostic.severity == .error)
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
    // One 0/1 column is how the binary losses and MSE read two classes: fine.
    #expect(check(mlp(outputs: 1), .meanSquaredError, classes(2)).isEmpty)
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
    (.meanSquaredError, 3, .linear, 3),
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
    #expect(found.map(\.severity) == [.error, .warning])
    let diagnostic = Diagnostic(.warning, code: "sigmoid-mse", message: "slow")
    #expect(diagnostic.description == "warning: slow [sigmoid-mse]")
    #expect(try #require(found.first).description.hasPrefix("error: softmax output layer"))
  }
}
