import Dendrite

/// Runs a reference case's op in Dendrite. Returns nil for an op it does not know, so the
/// test fails on it rather than skipping it.
func runReferenceOp(_ c: ReferenceCase) -> ReferenceResult? {
  let reduction: Reduction =
    switch c.reduction {
    case "sum": .sum
    case "none": .none
    default: .mean
    }
  func tensor(_ name: String) -> Tensor { c.inputs[name]!.tensor }
  func scalar(_ name: String) -> Float { Float(c.inputs[name]!.data[0]) }

  func activation(_ f: @escaping (Tensor) -> Tensor) -> ReferenceResult {
    let x = tensor("x")
    let upstream = tensor("upstream")
    let (_, g) = valueWithGradient(at: x) { (f($0) * upstream).sum() }
    return ReferenceResult(output: f(x), gradients: ["x": g], perSample: nil)
  }

  func loss(_ predictionName: String, _ f: @escaping (Tensor, Reduction) -> Tensor) -> ReferenceResult {
    let prediction = tensor(predictionName)
    let (value, g) = valueWithGradient(at: prediction) { f($0, reduction) }
    return ReferenceResult(output: value, gradients: [predictionName: g], perSample: f(prediction, .none))
  }

  switch c.op {
  case "sigmoid": return activation(sigmoid)
  case "relu": return activation(relu)
  case "tanh": return activation(tanh)
  case "softmax": return activation(softmax)
  case "log_softmax": return activation(logSoftmax)
  case "leaky_relu": return activation { leakyRelu($0) }
  case "elu": return activation { elu($0) }
  case "selu": return activation(selu)
  case "gelu": return activation(gelu)
  case "swish": return activation(swish)
  case "softplus": return activation(softplus)
  case "mean_squared_error":
    let t = tensor("y_true")
    return loss("y_pred") { meanSquaredError(predicted: $0, expected: t, reduction: $1) }
  case "mean_absolute_error":
    let t = tensor("y_true")
    return loss("y_pred") { meanAbsoluteError(predicted: $0, expected: t, reduction: $1) }
  case "huber":
    let t = tensor("y_true")
    let delta = scalar("delta")
    return loss("y_pred") { huberLoss(predicted: $0, expected: t, delta: delta, reduction: $1) }
  case "binary_crossentropy":
    let t = tensor("y_true")
    return loss("y_pred") { binaryCrossEntropy(probabilities: $0, labels: t, reduction: $1) }
  case "binary_crossentropy_from_logits":
    let t = tensor("y_true")
    return loss("logits") { sigmoidCrossEntropy(logits: $0, labels: t, reduction: $1) }
  case "categorical_crossentropy":
    let t = tensor("y_true")
    return loss("y_pred") { categoricalCrossEntropy(probabilities: $0, labels: t, reduction: $1) }
  case "kl_divergence":
    let t = tensor("y_true")
    return loss("y_pred") { kullbackLeiblerDivergence(probabilities: $0, labels: t, reduction: $1) }
  case "softmax_cross_entropy_with_logits":
    let t = tensor("y_true")
    return loss("logits") { softmaxCrossEntropy(logits: $0, labels: t, reduction: $1) }
  case "sparse_softmax_cross_entropy_with_logits":
    let labels = c.inputs["labels"]!.integers
    return loss("logits") { softmaxCrossEntropy(logits: $0, classIndices: labels, reduction: $1) }
  case "softmax_then_categorical_crossentropy":
    let t = tensor("y_true")
    return loss("logits") { categoricalCrossEntropy(probabilities: softmax($0), labels: t, reduction: $1) }
  case "softmax_cross_entropy_with_logits_smoothed":
    let t = tensor("y_true")
    let s = scalar("label_smoothing")
    return loss("logits") { softmaxCrossEntropy(logits: $0, labels: t, labelSmoothing: s, reduction: $1) }
  case "sparse_softmax_cross_entropy_with_logits_smoothed":
    let labels = c.inputs["labels"]!.integers
    let s = scalar("label_smoothing")
    return loss("logits") {
      softmaxCrossEntropy(logits: $0, classIndices: labels, labelSmoothing: s, reduction: $1)
    }
  case "negative_log_likelihood":
    let labels = c.inputs["labels"]!.integers
    return loss("y_pred") { negativeLogLikelihood(logProbabilities: $0, classIndices: labels, reduction: $1) }
  default:
    return nil
  }
}

/// Runs every float32 case of a fixture file and returns how many ran and the failures.
func runReferenceFile(_ name: String) throws -> (ran: Int, expected: Int, failures: [String]) {
  let cases = try ReferenceFile.load(name)
  let float64 = Dictionary(
    cases.filter { $0.dtype == "float64" }.map { ($0.group + "/" + $0.reduction, $0) },
    uniquingKeysWith: { first, _ in first })
  var failures: [String] = []
  var ran = 0
  let float32Cases = cases.filter { $0.dtype == "float32" }
  for c in float32Cases {
    guard let result = runReferenceOp(c) else {
      failures.append("\(c.id): unknown op \(c.op)")
      continue
    }
    ran += 1
    let twin = float64[c.group + "/" + c.reduction]
    var problems: [String] = []
    if let m = ReferenceFile.mismatch("output", result.output, c.output, twin?.output) { problems.append(m) }
    for (name, reference) in c.grad {
      guard let g = result.gradients[name] else {
        problems.append("no gradient for \(name)")
        continue
      }
      if let m = ReferenceFile.mismatch("grad.\(name)", g, reference, twin?.grad[name]) { problems.append(m) }
    }
    if let reference = c.perSample {
      if let perSample = result.perSample {
        if let m = ReferenceFile.mismatch("per_sample", perSample, reference, twin?.perSample) {
          problems.append(m)
        }
      } else {
        problems.append("no per-sample values")
      }
    }
    if !problems.isEmpty { failures.append("\(c.id): " + problems.joined(separator: "; ")) }
  }
  return (ran, float32Cases.count, failures)
}
