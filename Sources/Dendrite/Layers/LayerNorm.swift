/// Layer normalisation over the last axis as a layer (PyTorch's `LayerNorm(D)`): every
/// row is normalised with its own statistics, the same in training and inference, then
/// scaled by γ and shifted by β feature by feature (``layerNormalization(_:weight:bias:epsilon:)``).
///
///     y = γ ⊙ (x − μ)/√(σ² + ε) + β        μ, σ² (biased) over the last axis; γ, β: [D]
///
///     let layer = LayerNorm(featureCount: 32)
///     layer(Tensor.zeros(shape: [8, 32])).shape   // [8, 32]
public struct LayerNorm: Layer {
  /// γ, `[D]`, starts at 1.
  public var weight: Tensor
  /// β, `[D]`, starts at 0.
  public var bias: Tensor
  /// ε, added to the variance before the square root.
  public let epsilon: Float

  /// The number of features D normalised together (the input's last axis).
  public var featureCount: Int { weight.scalarCount }

  /// Creates a layer with γ = 1 and β = 0.
  ///
  /// - Precondition: `featureCount > 0`, `epsilon >= 0`.
  public init(featureCount: Int, epsilon: Float = 1e-5) {
    precondition(featureCount > 0, "LayerNorm needs a positive feature count, got \(featureCount)")
    self.init(
      weight: Tensor(repeating: 1, shape: [featureCount]), bias: Tensor.zeros(shape: [featureCount]), epsilon: epsilon)
  }

  /// Creates a layer from given parameters (a PyTorch state_dict's `weight` and `bias`).
  ///
  /// - Precondition: `weight` and `bias` are `[D]` with D > 0, `epsilon >= 0`.
  public init(weight: Tensor, bias: Tensor, epsilon: Float = 1e-5) {
    precondition(
      weight.rank == 1 && weight.scalarCount > 0 && bias.shape == weight.shape,
      "LayerNorm needs weight and bias [D], got \(weight.shape) and \(bias.shape)")
    precondition(epsilon >= 0, "LayerNorm epsilon must be ≥ 0, got \(epsilon)")
    self.weight = weight
    self.bias = bias
    self.epsilon = epsilon
  }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    if input.rank < 1 || input.shape[input.rank - 1] != featureCount {
      if ForwardInspector.reportMismatch("takes \(featureCount) features but gets input \(input.shape)") {
        return input  // a trial pass goes on to report it
      }
      preconditionFailure("LayerNorm over \(featureCount) features needs input [..., \(featureCount)], got \(input.shape)")
    }
    return layerNormalization(input, weight: weight, bias: bias, epsilon: epsilon)
  }

  public var parameterNames: [String] { ["weight", "bias"] }

  public var parameterValues: [Tensor] {
    get { [weight, bias] }
    set { replaceWeightAndBias(&weight, &bias, with: newValue, layer: "LayerNorm") }
  }
}
