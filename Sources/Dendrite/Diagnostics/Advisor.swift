/// Checks a model, its loss and (optionally) its labels for the pairings the study warns
/// about, before any training: each finding is a ``Diagnostic`` with a stable code, the
/// reason and the fix.
///
/// κ is the logistic sigmoid, κ(z) = 1/(1 + e^(−z)), and κ′ its derivative, κ′(z) = κ(z)(1 − κ(z)).
/// An `error` is a configuration that cannot learn (`dendrite train` stops before training);
/// a `warning` one that learns badly.
///
/// | code | severity | fires on |
/// | --- | --- | --- |
/// | `nll-without-log-softmax` | error | NLL on an output layer that is not log-softmax |
/// | `single-unit-softmax` | error | softmax (or a softmax loss) over one output unit: the loss is constant |
/// | `class-out-of-range` | error | class indices ≥ the number of output units |
/// | `binary-loss-multiclass` | error / warning | a binary loss with more than two classes (error with one output unit) |
/// | `sigmoid-mse` | warning | sigmoid output with MSE, MAE or Huber: every error term carries κ′(z) ≤ 1/4 |
/// | `mse-for-classes` | warning | MSE, MAE or Huber on class labels with linear outputs (classification wants softmax and the log-likelihood) |
/// | `double-softmax` | warning | softmax output layer with a loss that takes logits (softmax or sigmoid cross-entropy) |
/// | `double-sigmoid` | warning | sigmoid output layer with a loss that takes logits |
/// | `activated-logits` | warning | another bounded output activation (tanh, relu, …) before a logits loss |
/// | `unbounded-probabilities` | warning | binary or categorical cross-entropy on an output not in [0, 1] (clipping hides it) |
/// | `target-out-of-range` | warning | targets the output activation cannot reach (outside [0, 1] for sigmoid, negative for relu, …) |
/// | `tiny-class` | warning | a class with no training sample, or only one |
/// | `vanishing-gradients` | warning | ≥ 4 hidden sigmoid or tanh layers: the error shrinks by κ′ ≤ 1/4 per layer |
/// | `loss-rose` | warning | after training (``checkProgress(startingLoss:history:)``): the loss after epoch 1 is more than 5% above the loss before training |
///
/// The sensible defaults are silent: ReLU hidden layers with softmax cross-entropy on C
/// logits, sigmoid cross-entropy on one logit, binary cross-entropy behind a sigmoid unit,
/// categorical cross-entropy behind softmax units, NLL behind log-softmax units, MSE
/// regression on a linear output.
///
///     let model = Sequential.multilayerPerceptron(
///       inputSize: 30, hiddenSizes: [16], activation: .relu, outputSize: 1, outputActivation: .sigmoid)
///     Advisor.check(model: model, loss: .meanSquaredError).map(\.code)   // ["sigmoid-mse"]
///     Advisor.check(model: model, loss: .binaryCrossEntropy)             // []
///
/// The output activation is what the model applies last: a dense layer's own activation,
/// or an ``ActivationLayer`` after it (dropout is looked through).
public enum Advisor {
  /// The hidden sigmoid/tanh layers from which `vanishing-gradients` fires.
  public static let saturatingDepthLimit = 4

  /// The diagnostics for training `model` with `loss` on `labels`, errors first.
  ///
  /// - Parameters:
  ///   - model: the network; only its dense layers, activation layers and their order matter.
  ///   - loss: the loss it will be trained with.
  ///   - labels: the training labels, for the range checks (class indices against output
  ///     units, targets against the output activation's range); nil skips them.
  ///   - classNames: the classes' names (a CSV's label texts), for the messages; nil names
  ///     classes by index.
  /// - Returns: an empty array when nothing looks wrong.
  public static func check(
    model: any Layer, loss: Loss, labels: Dataset.Labels? = nil, classNames: [String]? = nil
  ) -> [Diagnostic] {
    guard let shape = ModelShape(model) else { return [] }
    var found = outputFindings(shape, loss)
    if let labels { found += labelFindings(shape, loss, labels) + classSizeFindings(labels, classNames: classNames) }
    found += depthFindings(shape)
    return found.filter { $0.severity == .error } + found.filter { $0.severity == .warning }
  }

  // MARK: Output layer against loss

  private static func outputFindings(_ shape: ModelShape, _ loss: Loss) -> [Diagnostic] {
    let output = shape.outputActivation
    let name = output.name
    var found: [Diagnostic] = []
    switch loss {
    case .meanSquaredError, .meanAbsoluteError, .huber:
      if output == .sigmoid {
        found.append(Diagnostic(.warning, code: "sigmoid-mse", message:
          "sigmoid output with \(loss.name): every error term is multiplied by κ′(z) = κ(z)(1 − κ(z)) ≤ 1/4 "
          + "(κ is the sigmoid, κ′ its derivative), "
          + "which vanishes when the unit saturates, so a confidently wrong output learns slowest; "
          + "use sigmoid-cross-entropy on the logits (linear output), whose gradient κ(z) − y has no κ′ factor, "
          + "or a linear output for regression"))
      }
    case .softmaxCrossEntropy, .sigmoidCrossEntropy:
      let applied = loss == .softmaxCrossEntropy ? "softmax" : "the sigmoid"
      if output == .softmax || output == .sigmoid {
        let squashed = output == .softmax ? "softmax" : "sigmoid"
        let bound = loss == .softmaxCrossEntropy
          ? "the largest probability is at most e/(e + C − 1)"
          : "κ(p), the sigmoid of a probability, stays within [0.5, 0.731]"
        found.append(Diagnostic(.warning, code: "double-\(squashed)", message:
          "\(name) output layer with \(loss.name), which applies \(applied) itself: the \(squashed) is applied twice, "
          + "so the probabilities flatten (\(bound)) and the gradients shrink; "
          + "remove the output activation so that the last layer emits logits"))
      } else if output != .linear, !(output == .logSoftmax && loss == .softmaxCrossEntropy),
        let range = OutputRange(output), range.isBounded
      {
        found.append(Diagnostic(.warning, code: "activated-logits", message:
          "\(name) output layer with \(loss.name), which applies \(applied) to raw logits itself: "
          + "logits confined to \(range) cap how confident (or how negative) the predictions can be; "
          + "remove the output activation so that the last layer emits logits"))
      }
    case .binaryCrossEntropy, .categoricalCrossEntropy:
      if output != .sigmoid && output != .softmax {
        let expected = loss == .binaryCrossEntropy ? "sigmoid" : "softmax"
        let fix = output == .logSoftmax
          ? "use nll with log-softmax outputs, or \(expected)-cross-entropy on the logits"
          : "use \(expected)-cross-entropy on the logits (or a \(expected) output layer)"
        found.append(Diagnostic(.warning, code: "unbounded-probabilities", message:
          "\(loss.name) expects probabilities in [0, 1] but the \(name) output layer gives values in "
          + "\(OutputRange(output).map(\.description) ?? "(−∞, ∞)"): the loss clips them to [ε, 1 − ε], which hides "
          + "the problem (a clipped output gets no gradient); \(fix)"))
      }
    case .negativeLogLikelihood:
      if output != .logSoftmax {
        let reason = output == .softmax
          ? "on softmax probabilities it minimises −p_y instead of −ln p_y, whose gradient vanishes as p_y → 0"
          : "on \(name) outputs −z_y has no minimum, so training pushes the true class's output up forever"
        found.append(Diagnostic(.error, code: "nll-without-log-softmax", message:
          "nll expects log-probabilities: \(reason); use a log-softmax output layer, "
          + "or softmax-cross-entropy on the logits"))
      }
    }
    let softmaxLoss = [.softmaxCrossEntropy, .categoricalCrossEntropy, .negativeLogLikelihood].contains(loss)
    if shape.outputUnits == 1 && (softmaxLoss || output == .softmax || output == .logSoftmax) {
      found.append(Diagnostic(.error, code: "single-unit-softmax", message:
        "softmax over a single output unit is always 1 (log-softmax always 0), so \(loss.name) is constant "
        + "and nothing learns; give the output layer one unit per class, "
        + "or for two classes use sigmoid-cross-entropy on one logit"))
    }
    return found
  }

  // MARK: Labels against the output layer

  private static func labelFindings(_ shape: ModelShape, _ loss: Loss, _ labels: Dataset.Labels) -> [Diagnostic] {
    let units = shape.outputUnits
    switch labels {
    case .classes(let indices, let classCount):
      let largest = Swift.max(indices.max() ?? 0, classCount - 1)
      let binaryLoss = loss == .sigmoidCrossEntropy || loss == .binaryCrossEntropy
      if binaryLoss && classCount > 2 && (units == 1 || units == classCount) {
        if units == 1 {
          return [Diagnostic(.error, code: "binary-loss-multiclass", message:
            "\(loss.name) is for two classes (labels 0 and 1) but the labels have \(classCount) classes, "
            + "and one output unit cannot tell them apart; use softmax-cross-entropy with \(classCount) logits")]
        }
        return [Diagnostic(.warning, code: "binary-loss-multiclass", message:
          "\(loss.name) with \(classCount) classes scores each class as an independent yes/no, "
          + "so the probabilities need not sum to 1; for one class per sample use softmax-cross-entropy "
          + "with \(classCount) logits")]
      }
      let indexLoss = loss == .softmaxCrossEntropy || loss == .negativeLogLikelihood
      let zeroOneColumn = units == 1 && classCount == 2 && !indexLoss
      if !zeroOneColumn && largest >= units {
        return [Diagnostic(.error, code: "class-out-of-range", message:
          "the labels have \(classCount) classes (indices up to \(largest)) but the output layer has \(units) "
          + "unit\(units == 1 ? "" : "s"), so class \(largest) has no output and \(loss.name) cannot score it; "
          + "give the output layer \(classCount) units")]
      }
      guard loss.isRegressionCapable else { return [] }
      return squaredErrorFindings(shape, loss, classCount: classCount)
        + rangeFindings(shape, loss, values: [0, 1], what: "0/1 class targets")
    case .targets(let targets):
      guard loss.isRegressionCapable else { return [] }
      return rangeFindings(shape, loss, values: targets.scalars, what: "regression targets")
    }
  }

  /// `mse-for-classes`: the study's second rule is softmax outputs with the log-likelihood
  /// for classification; a regression loss on linear outputs breaks it.
  private static func squaredErrorFindings(_ shape: ModelShape, _ loss: Loss, classCount: Int) -> [Diagnostic] {
    guard shape.outputActivation == .linear else { return [] }
    let fix = classCount == 2 && shape.outputUnits == 1
      ? "sigmoid-cross-entropy on one logit" : "softmax-cross-entropy on \(classCount) logits"
    return [Diagnostic(.warning, code: "mse-for-classes", message:
      "\(loss.name) on \(classCount) classes with linear outputs: the outputs are not probabilities, and the error "
      + "pulls a correct, confident output (above 1) back as hard as a wrong one, while its gradient does not grow "
      + "with how wrong the class probability is; for classification use softmax outputs with the log-likelihood: "
      + "\(fix)")]
  }

  /// `tiny-class`: classes with no training sample (nothing teaches their output) or one
  /// (the model can only memorise it, and a stratified split leaves none to test).
  private static func classSizeFindings(_ labels: Dataset.Labels, classNames: [String]?) -> [Diagnostic] {
    guard case .classes(let indices, let classCount) = labels else { return [] }
    var counts = [Int](repeating: 0, count: classCount)
    for index in indices where counts.indices.contains(index) { counts[index] += 1 }
    let empty = counts.indices.filter { counts[$0] == 0 }
    let single = counts.indices.filter { counts[$0] == 1 }
    guard !empty.isEmpty || !single.isEmpty else { return [] }
    func name(_ index: Int) -> String {
      guard let classNames, classNames.indices.contains(index), classNames[index] != String(index) else { return String(index) }
      return "\"\(classNames[index])\""
    }
    func classes(_ list: [Int]) -> String {
      "class\(list.count == 1 ? "" : "es") " + list.map(name).joined(separator: ", ")
    }
    var parts: [String] = []
    if !empty.isEmpty { parts.append("\(classes(empty)) \(empty.count == 1 ? "has" : "have") no training sample") }
    if !single.isEmpty { parts.append("\(classes(single)) \(single.count == 1 ? "has" : "have") one") }
    return [Diagnostic(.warning, code: "tiny-class", message:
      parts.joined(separator: " and ") + " (of \(indices.count) training labels): an output with no sample "
      + "is only ever pushed down, and one sample can be memorised but not generalised from; "
      + "gather more rows of those classes, or merge or drop them")]
  }

  private static func rangeFindings(_ shape: ModelShape, _ loss: Loss, values: [Float], what: String) -> [Diagnostic] {
    guard let range = OutputRange(shape.outputActivation), !values.isEmpty else { return [] }
    let outside = values.filter { !range.contains($0) }
    guard let low = values.min(), let high = values.max(), !outside.isEmpty else { return [] }
    let name = shape.outputActivation.name
    let consequence = range.lower.isFinite && range.upper.isFinite
      ? "chasing them saturates the unit, where its gradient vanishes"
      : "chasing them drives the unit to its bound, where its gradient is 0 or nearly so"
    return [Diagnostic(.warning, code: "target-out-of-range", message:
      "\(outside.count) of \(values.count) \(what) lie outside \(range), the range of the \(name) output "
      + "(they span [\(low), \(high)]): they can never be reached, and \(consequence); "
      + "use a linear output, or rescale the targets into \(range)")]
  }

  // MARK: After training

  /// How far above the starting loss the first epoch's loss must be for `loss-rose`: 5%.
  public static let lossRiseTolerance: Float = 0.05

  /// The findings from a finished run: `loss-rose` when the training loss at the end of the
  /// first epoch (`history["loss"][0]`) is more than ``lossRiseTolerance`` above
  /// `startingLoss`, the loss of the untrained model on the same rows, which points to a
  /// learning rate too high. (A flat loss that differs in its last digits, or a first epoch's
  /// running mean a little above the start, is not a rise.)
  ///
  ///     let before = model.evaluate(train, loss: .softmaxCrossEntropy)["loss"] ?? .nan
  ///     let history = try model.fit(train, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 10)
  ///     Advisor.checkProgress(startingLoss: before, history: history)   // [] when the loss fell
  ///
  /// - Returns: an empty array when the loss fell, or either figure is missing or not finite.
  public static func checkProgress(startingLoss: Float, history: History) -> [Diagnostic] {
    guard let first = history["loss"].first, first.isFinite, startingLoss.isFinite,
      first > startingLoss * (1 + lossRiseTolerance) + 1e-6
    else {
      return []
    }
    return [Diagnostic(.warning, code: "loss-rose", message:
      "the training loss rose from \(startingLoss) before training to \(first) after the first epoch: the steps "
      + "overshoot, so the learning rate is likely too high; lower it (--learning-rate, by 10× say)")]
  }

  // MARK: Depth

  private static func depthFindings(_ shape: ModelShape) -> [Diagnostic] {
    let saturating = shape.hiddenActivations.filter { $0 == .sigmoid || $0 == .tanh }
    guard saturating.count >= saturatingDepthLimit else { return [] }
    let kinds = Set(saturating).map(\.name).sorted().joined(separator: "/")
    return [Diagnostic(.warning, code: "vanishing-gradients", message:
      "\(saturating.count) hidden \(kinds) layers: backpropagation multiplies the error by Wᵀ·κ′(z) at every layer, "
      + "with κ′ ≤ 1/4 for sigmoid (κ′ is the sigmoid's derivative; tanh′ ≤ 1, near 0 once saturated), so the product of the per-layer factors "
      + "shrinks the early layers' gradients (like (1/4)^\(saturating.count)) and they barely learn; "
      + "use relu hidden layers with He initialisation")]
  }
}

/// What the advisor's rules look at: the output units, the activation the model applies
/// last, and each hidden dense layer's activation.
struct ModelShape {
  var outputUnits: Int
  var outputActivation: Activation
  var hiddenActivations: [Activation]

  /// Nil for a model without dense layers. Read from the model's ``ModelDescription``.
  init?(_ model: any Layer) {
    let dense = ModelDescription(model).denseLayers
    guard let last = dense.last else { return nil }
    outputUnits = last.outputSize
    outputActivation = last.activation
    hiddenActivations = dense.dropLast().map(\.activation)
  }
}

/// The values an output activation can produce, for the range checks; nil when unbounded.
struct OutputRange: CustomStringConvertible {
  var lower: Float
  var upper: Float

  init?(_ activation: Activation) {
    switch activation {
    case .sigmoid, .softmax: (lower, upper) = (0, 1)
    case .tanh: (lower, upper) = (-1, 1)
    case .relu, .softplus: (lower, upper) = (0, .infinity)
    case .logSoftmax: (lower, upper) = (-.infinity, 0)
    case .elu: (lower, upper) = (-1, .infinity)
    case .selu: (lower, upper) = (-1.7580993, .infinity)
    case .leakyRelu, .linear, .gelu, .swish: return nil
    }
  }

  var isBounded: Bool { lower.isFinite || upper.isFinite }

  func contains(_ value: Float) -> Bool { value >= lower && value <= upper }

  var description: String {
    let low = lower.isFinite ? "[\(format(lower))" : "(−∞"
    let high = upper.isFinite ? "\(format(upper))]" : "∞)"
    return "\(low), \(high)"
  }

  private func format(_ value: Float) -> String {
    value == value.rounded() ? String(Int(value)).replacingOccurrences(of: "-", with: "−") : "\(value)"
  }
}
