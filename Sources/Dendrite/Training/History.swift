/// Per-epoch figures from `fit`, keyed as Keras keys them: `loss`, `accuracy`, `mae`, and
/// the same with `val_` for the validation data; `lr` is the learning rate used.
///
///     let history = try model.fit(train, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 10)
///     history["val_accuracy"].last
public struct History: Sendable, Equatable {
  /// One dictionary of figures per epoch run, in order.
  public var epochs: [[String: Float]] = []
  /// The engine that ran the steps (fused kernels or the tape, and why); nil for a history
  /// not made by `fit`.
  public var trainingPath: TrainingPath?

  /// Creates an empty history.
  public init() {}

  /// The values of `key`, one per epoch that has it.
  public subscript(key: String) -> [Float] { epochs.compactMap { $0[key] } }

  /// The epochs run.
  public var count: Int { epochs.count }
}
