/// Dropout: while training, zeroes each element with probability `rate` and scales the
/// rest by 1/(1 − rate) (inverted dropout, so inference needs no rescaling); the identity
/// otherwise.
///
///     y = x ⊙ m/(1 − p),  m_i ~ Bernoulli(1 − p)        ∂y/∂x = m/(1 − p)
///
///     Sequential { Dense(inputSize: 64, outputSize: 64, activation: .relu); Dropout(rate: 0.2) }
public struct Dropout: Layer {
  /// The probability of dropping an element, in [0, 1).
  public let rate: Float

  /// Creates the layer.
  ///
  /// - Precondition: `0 <= rate < 1`.
  public init(rate: Float) {
    precondition(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1), got \(rate)")
    self.rate = rate
  }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    guard context.isTraining, rate > 0 else { return input }
    let keep = 1 - rate
    var mask = [Float](repeating: 0, count: input.scalarCount)
    for i in mask.indices where context.generator.nextUnitFloat() < keep { mask[i] = 1 / keep }
    return input * Tensor(shape: input.shape, scalars: mask)
  }

  public var parameterNames: [String] { [] }
  public var parameterValues: [Tensor] {
    get { [] }
    set { precondition(newValue.isEmpty, "Dropout has no parameters") }
  }
}
