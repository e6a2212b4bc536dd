/// A loss by name, as `fit`, model files and the command line use it, together with the
/// output layer it implies.
///
/// | loss | output layer | targets |
/// | --- | --- | --- |
/// | `softmaxCrossEntropy` | C logits (softmax applied by the loss) | class indices |
/// | `sigmoidCrossEntropy` | 1 logit for two classes (sigmoid applied by the loss) | 0/1 |
/// | `binaryCrossEntropy` | 1 sigmoid unit | 0/1 |
/// | `categoricalCrossEntropy` | C softmax units | one-hot |
/// | `negativeLogLikelihood` | C log-softmax units | class indices |
/// | `meanSquaredError`, `meanAbsoluteError`, `huber` | C linear units (one-hot targets) or the regression targets | |
///
///     let loss = Loss(name: "softmax-cross-entropy")   // .softmaxCrossEntropy
public enum Loss: String, Sendable, CaseIterable, Codable {
  /// Mean squared error on linear outputs, `mse`: ``meanSquaredError(predicted:expected:reduction:)``.
  case meanSquaredError = "mse"
  /// Mean absolute error on linear outputs, `mae`: ``meanAbsoluteError(predicted:expected:reduction:)``.
  case meanAbsoluteError = "mae"
  /// The Huber loss (δ = 1) on linear outputs, `huber`: ``huberLoss(predicted:expected:delta:reduction:)``.
  case huber
  /// Binary cross-entropy behind a sigmoid unit, `binary-cross-entropy`:
  /// ``binaryCrossEntropy(probabilities:labels:reduction:)``.
  case binaryCrossEntropy = "binary-cross-entropy"
  /// Sigmoid cross-entropy on one logit per output, `sigmoid-cross-entropy`:
  /// ``sigmoidCrossEntropy(logits:labels:reduction:)``.
  case sigmoidCrossEntropy = "sigmoid-cross-entropy"
  /// Categorical cross-entropy behind softmax units, `categorical-cross-entropy`:
  /// ``categoricalCrossEntropy(probabilities:labels:reduction:)``.
  case categoricalCrossEntropy = "categorical-cross-entropy"
  /// Softmax cross-entropy on C logits, `softmax-cross-entropy`:
  /// ``softmaxCrossEntropy(logits:classIndices:reduction:)``.
  case softmaxCrossEntropy = "softmax-cross-entropy"
  /// The negative log-likelihood behind log-softmax units, `nll`:
  /// ``negativeLogLikelihood(logProbabilities:classIndices:reduction:)``.
  case negativeLogLikelihood = "nll"

  /// The loss with this command-line name, or nil.
  public init?(name: String) { self.init(rawValue: name) }

  /// The command-line and model-file name.
  public var name: String { rawValue }

  /// The activation the output layer itself applies for this loss (a module of the
  /// network): sigmoid for binary cross-entropy, softmax for categorical cross-entropy,
  /// log-softmax for NLL, none (logits or linear units) otherwise.
  public var outputLayerActivation: Activation {
    switch self {
    case .binaryCrossEntropy: .sigmoid
    case .categoricalCrossEntropy: .softmax
    case .negativeLogLikelihood: .logSoftmax
    default: .linear
    }
  }

  /// The activation that turns the network's output into predictions when the loss
  /// applies it internally (DESIGN.md's `output_activation`): softmax for softmax
  /// cross-entropy, sigmoid for sigmoid cross-entropy, nil otherwise.
  public var impliedOutputActivation: Activation? {
    switch self {
    case .softmaxCrossEntropy: .softmax
    case .sigmoidCrossEntropy: .sigmoid
    default: nil
    }
  }

  /// Whether the loss compares against regression targets rather than classes.
  public var isRegressionCapable: Bool {
    switch self {
    case .meanSquaredError, .meanAbsoluteError, .huber: true
    default: false
    }
  }

  /// The loss of network outputs `[B, outputs]` against a batch's labels.
  ///
  /// For classes: the integer forms take the class indices; the one-output binary forms
  /// take 0/1 as a `[B, 1]` column; the rest take one-hot rows.
  public func compute(outputs: Tensor, labels: Dataset.Labels, reduction: Reduction = .mean) -> Tensor {
    switch labels {
    case .targets(let targets):
      return elementwise(outputs, targets, reduction)
    case .classes(let classes, let classCount):
      switch self {
      case .softmaxCrossEntropy:
        return Dendrite.softmaxCrossEntropy(logits: outputs, classIndices: classes, reduction: reduction)
      case .negativeLogLikelihood:
        return Dendrite.negativeLogLikelihood(logProbabilities: outputs, classIndices: classes, reduction: reduction)
      default:
        let targets =
          outputs.shape.last == 1 && classCount == 2
          ? Tensor(shape: [classes.count, 1], scalars: classes.map { Float($0) })
          : Tensor(oneHotClassIndices: classes, classCount: classCount)
        return elementwise(outputs, targets, reduction)
      }
    }
  }

  private func elementwise(_ outputs: Tensor, _ targets: Tensor, _ reduction: Reduction) -> Tensor {
    switch self {
    case .meanSquaredError: Dendrite.meanSquaredError(predicted: outputs, expected: targets, reduction: reduction)
    case .meanAbsoluteError: Dendrite.meanAbsoluteError(predicted: outputs, expected: targets, reduction: reduction)
    case .huber: Dendrite.huberLoss(predicted: outputs, expected: targets, reduction: reduction)
    case .binaryCrossEntropy: Dendrite.binaryCrossEntropy(probabilities: outputs, labels: targets, reduction: reduction)
    case .sigmoidCrossEntropy: Dendrite.sigmoidCrossEntropy(logits: outputs, labels: targets, reduction: reduction)
    case .categoricalCrossEntropy:
      Dendrite.categoricalCrossEntropy(probabilities: outputs, labels: targets, reduction: reduction)
    case .softmaxCrossEntropy: Dendrite.softmaxCrossEntropy(logits: outputs, labels: targets, reduction: reduction)
    case .negativeLogLikelihood:
      Dendrite.negativeLogLikelihood(logProbabilities: outputs, classIndices: targets.argmax(), reduction: reduction)
    }
  }
}

extension Loss {
  /// Why a network with `units` outputs cannot be trained against `labels` with this loss,
  /// or nil when it can: the one place for the output-width rule.
  ///
  /// - classes: C outputs for C classes, or one output for two classes with a loss that
  ///   reads one unit (sigmoid or binary cross-entropy, MSE, …; not the softmax forms);
  /// - targets: one output per target column, and a loss that takes targets.
  ///
  ///     Loss.sigmoidCrossEntropy.outputProblem(units: 1, classCount: 2, targetColumns: nil)   // nil
  public func outputProblem(units: Int, classCount: Int?, targetColumns: Int?) -> String? {
    if let classCount {
      let oneUnitForTwo = units == 1 && classCount == 2 && self != .softmaxCrossEntropy && self != .negativeLogLikelihood
      guard oneUnitForTwo || units == classCount else {
        return "has \(classCount) classes but the model has \(units) outputs "
          + "(expected \(classCount)\(classCount == 2 && self != .softmaxCrossEntropy && self != .negativeLogLikelihood ? ", or 1" : ""))"
      }
      return nil
    }
    if let targetColumns, targetColumns != units {
      return "has \(targetColumns) target columns but the model has \(units) outputs"
    }
    if !isRegressionCapable { return "has regression targets, but \(name) needs class labels" }
    return nil
  }

  /// ``outputProblem(units:classCount:targetColumns:)`` for a batch's or a data set's labels.
  public func outputProblem(units: Int, labels: Dataset.Labels) -> String? {
    switch labels {
    case .classes(_, let classCount): outputProblem(units: units, classCount: classCount, targetColumns: nil)
    case .targets(let targets): outputProblem(units: units, classCount: nil, targetColumns: targets.shape.last)
    }
  }
}
