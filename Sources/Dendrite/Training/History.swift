/// Per-epoch figures from `fit`, keyed as Keras keys them: `loss`, `accuracy`, `mae`, and
/// the same with `val_` for the validation data; `lr` is the learning rate used.
///
///     let history = try model.fit(train, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 10)
///     history["val_accuracy"].last
public struct History: Sendable, Equatable {
  /// One dictionary of figures per epoch run, in order.
  public var epochs: [[String: Float]] = []

  /// Creates an empty history.
  public init() {}

  /// The values of `key`, one per epoch that has it.
  public subscript(key: String) -> [Float] { epochs.compactMap { $0[key] } }

  /// The epochs run.
  public var count: Int { epochs.count }
}
