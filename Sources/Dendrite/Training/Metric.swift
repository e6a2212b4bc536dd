/// A figure reported each epoch besides the loss, with Keras's names.
///
///     accuracy         share of rows whose predicted class (argmax; for one output, the
///                      output above its decision threshold) is the true class
///     meanAbsoluteError  mean |prediction − target| (regression)
public enum Metric: String, Sendable, CaseIterable {
  /// The share of rows whose predicted class is the true class (`accuracy`).
  case accuracy
  /// The mean absolute difference between prediction and target (`mae`).
  case meanAbsoluteError = "mae"

  /// The key in ``History`` and in `--json` output (`accuracy`, `mae`).
  public var key: String { rawValue }

  /// The metric of network outputs `[B, outputs]` against the batch's labels, where
  /// `loss` tells how to read one-output networks (a logit's threshold is 0, a
  /// probability's 0.5). Nil when the metric does not apply to these labels.
  public func measure(outputs: Tensor, labels: Dataset.Labels, loss: Loss) -> Float? {
    let rows = outputs.shape[0]
    guard rows > 0 else { return nil }
    switch (self, labels) {
    case (.accuracy, .classes(let classes, _)):
      let predicted = Metric.predictedClasses(outputs: outputs, loss: loss)
      let correct = zip(predicted, classes).filter { $0 == $1 }.count
      return Float(correct) / Float(rows)
    case (.meanAbsoluteError, .targets(let targets)):
      guard targets.shape == outputs.shape else { return nil }
      return Dendrite.meanAbsoluteError(predicted: outputs, expected: targets).scalar
    default:
      return nil
    }
  }

  /// The class each row of network outputs predicts: argmax for several outputs; for one
  /// output, 1 when it is above the decision threshold (0 for a logit, 0.5 otherwise).
  public static func predictedClasses(outputs: Tensor, loss: Loss) -> [Int] {
    if outputs.shape.last == 1 {
      let threshold: Float = loss == .sigmoidCrossEntropy ? 0 : 0.5
      return outputs.scalars.map { $0 > threshold ? 1 : 0 }
    }
    return outputs.argmax(alongAxis: -1)
  }
}
