/// A fully connected layer, z = x·Wᵀ + b, followed by an activation.
///
///     z = x·Wᵀ + b        W: [out, in] (PyTorch's layout), b: [out]
///     a = activation(z)
///     ∂J/∂W = δᵀ·x,  ∂J/∂b = Σ_batch δ,  ∂J/∂x = δ·W,    δ = ∂J/∂z
///
/// Weights start from He initialisation when the activation is ReLU-like and Glorot
/// otherwise (overridable); biases start at zero.
///
///     let layer = Dense(inputSize: 64, outputSize: 32, activation: .relu)
///     layer(Tensor.zeros(shape: [10, 64])).shape   // [10, 32]
public struct Dense: Layer {
  /// The weights, `[outputSize, inputSize]`.
  public var weight: Tensor
  /// The biases, `[outputSize]`.
  public var bias: Tensor
  /// The activation applied after the affine map.
  public let activation: Activation
  /// How `weight` is (re)initialised.
  public let weightInitializer: Initializer
  /// How `bias` is (re)initialised.
  public let biasInitializer: Initializer
  /// True for a layer made from given parameters: initialisation leaves them alone.
  private let keepsGivenParameters: Bool

  /// Creates a layer with freshly initialised parameters.
  ///
  /// - Parameters:
  ///   - inputSize: features in.
  ///   - outputSize: units out.
  ///   - activation: applied after the affine map; `.linear` for logits.
  ///   - weightInitializer: defaults to ``Initializer/defaultWeights(for:)``.
  ///   - biasInitializer: defaults to zeros.
  ///   - seed: seeds the initial weights. Inside ``Sequential/init(seed:layers:)`` every layer
  ///     is initialised again from the model's seed.
  public init(
    inputSize: Int, outputSize: Int, activation: Activation = .linear,
    weightInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros, seed: UInt64 = 0
  ) {
    precondition(inputSize > 0 && outputSize > 0, "Dense needs positive sizes, got \(inputSize) → \(outputSize)")
    self.activation = activation
    self.weightInitializer = weightInitializer ?? .defaultWeights(for: activation)
    self.biasInitializer = biasInitializer
    self.keepsGivenParameters = false
    self.weight = Tensor.zeros(shape: [outputSize, inputSize])
    self.bias = Tensor.zeros(shape: [outputSize])
    var generator = RandomGenerator(seed: seed)
    initializeParameters(using: &generator)
  }

  /// Creates a layer with the given parameters, which it keeps: a ``Sequential`` built
  /// around it does not initialise them again.
  ///
  /// - Precondition: `weight` is `[out, in]` and `bias` is `[out]`.
  public init(weight: Tensor, bias: Tensor, activation: Activation = .linear) {
    precondition(
      weight.rank == 2 && bias.shape == [weight.shape[0]],
      "Dense needs weight [out, in] and bias [out], got \(weight.shape) and \(bias.shape)")
    self.weight = weight
    self.bias = bias
    self.activation = activation
    self.weightInitializer = .defaultWeights(for: activation)
    self.biasInitializer = .zeros
    self.keepsGivenParameters = true
  }

  /// Features in.
  public var inputSize: Int { weight.shape[1] }
  /// Units out.
  public var outputSize: Int { weight.shape[0] }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    guard input.rank == 2 && input.shape[1] == inputSize else {
      let width = input.rank == 2 ? "\(input.shape[1]) features" : "input of shape \(input.shape)"
      // In a trial pass the mismatch is recorded and thrown later; otherwise it is a
      // programming error in the model.
      if ForwardInspector.reportMismatch("takes \(inputSize) features but gets \(width)") {
        return Tensor.zeros(shape: [input.shape.first ?? 1, outputSize])
      }
      preconditionFailure(
        "Dense(\(inputSize) → \(outputSize)) got input of shape \(input.shape); expected [batch, \(inputSize)]")
    }
    let z = linear(input, weight: weight, bias: bias)
    return ForwardInspector.probeDense(z: z, weight: weight, activation: activation) ?? activation.apply(z)
  }

  public var parameterNames: [String] { ["weight", "bias"] }

  public var parameterValues: [Tensor] {
    get { [weight, bias] }
    set { replaceWeightAndBias(&weight, &bias, with: newValue, layer: "Dense") }
  }

  public mutating func initializeParameters(using generator: inout RandomGenerator) {
    guard !keepsGivenParameters else { return }
    weight = weightInitializer.makeTensor(
      shape: weight.shape, fanIn: inputSize, fanOut: outputSize, generator: &generator)
    bias = biasInitializer.makeTensor(shape: bias.shape, fanIn: inputSize, fanOut: outputSize, generator: &generator)
  }
}
