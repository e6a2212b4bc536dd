extension Sequential {
  /// The model's predictions for `features` (already preprocessed), in inference mode:
  /// the network's outputs with the activation that `loss` applies internally (softmax
  /// for softmax cross-entropy, sigmoid for sigmoid cross-entropy), and probabilities
  /// rather than log-probabilities after a log-softmax output. Class probabilities for a
  /// classifier, values for a regressor.
  ///
  ///     let probabilities = model.predict(test.features, loss: .softmaxCrossEntropy)   // rows sum to 1
  public func predict(_ features: Tensor, loss: Loss) -> Tensor {
    let outputs = self(features)
    if let activation = loss.impliedOutputActivation { return activation.apply(outputs) }
    return loss == .negativeLogLikelihood ? exp(outputs) : outputs
  }

  /// The predicted class of each row: argmax of the outputs, or for one output, whether it
  /// is above its threshold (0 for a logit, 0.5 for a probability).
  ///
  ///     let classes = model.predictClasses(test.features, loss: .softmaxCrossEntropy)   // [3, 0, 7, …]
  public func predictClasses(_ features: Tensor, loss: Loss) -> [Int] {
    Metric.predictedClasses(outputs: self(features), loss: loss)
  }
}
