/// Which engine runs a model's training steps, and why: the choice ``Trainer`` and `fit`
/// make once per model, visible in ``Trainer/path`` and ``History/trainingPath``.
///
/// - **fused**: a ``Sequential`` of ``Dense`` layers with ReLU, leaky ReLU, sigmoid, tanh
///   or linear activations (inline or as ``ActivationLayer``s; `Dropout(rate: 0)` ignored)
///   runs as fused kernels on reused buffers, without the tape.
/// - **tape**: anything else (custom layers, models that are not a `Sequential`, dropout,
///   softmax layers, a custom objective) runs forward on the tape and backward by
///   reverse-mode autodiff.
///
/// Both compute the same gradients up to float rounding, and the NaN guard, clipping,
/// schedules and callbacks act the same way on both.
///
///     let history = try model.fit(train, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 5)
///     history.trainingPath   // .fused, or .tape(reason: "layer 1 (Dropout 0.2) draws random masks")
public enum TrainingPath: Sendable, Equatable, CustomStringConvertible {
  /// The fused dense kernels.
  case fused
  /// The tape, with the reason the fused kernels do not apply.
  case tape(reason: String)

  /// Whether this is the fused path.
  public var isFused: Bool { self == .fused }

  /// `fused kernels` or `tape (reason)`.
  public var description: String {
    switch self {
    case .fused: "fused kernels"
    case .tape(let reason): "tape (\(reason))"
    }
  }
}
