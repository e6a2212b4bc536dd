/// What a layer's forward pass needs besides its input: whether it is training (dropout
/// active) and the random generator dropout draws from.
public struct ForwardContext: Sendable {
  /// True while training: dropout drops units. False for evaluation and prediction.
  public var isTraining: Bool
  /// The generator dropout masks come from, so that training is reproducible.
  public var generator: RandomGenerator

  /// A context for evaluation or prediction: no dropout.
  public static var inference: ForwardContext { ForwardContext(isTraining: false, seed: 0) }

  /// Creates a context; `seed` fixes the dropout masks.
  public init(isTraining: Bool, seed: UInt64) {
    self.isTraining = isTraining
    self.generator = RandomGenerator(seed: seed)
  }
}

/// A building block of a network: a differentiable function of its input and its
/// trainable parameters.
///
/// A layer needs three things: the forward pass and its named parameters. Everything else
/// — training with ``Layer/fit(_:loss:optimizer:epochs:batchSize:validation:metrics:schedule:clipGradientNorm:seed:startEpoch:callbacks:objective:useFusedKernels:communicator:)``,
/// ``Trainer``, gradient-flow diagnostics — works from those. Saving to a model file asks
/// for one more conformance, ``SavableLayer``.
///
/// Parameters have stable names so that optimizers, diagnostics and model files can
/// address them. Inside a ``Sequential`` the names follow PyTorch's `nn.Sequential`
/// state_dict for the equivalent model in which each activation is its own module
/// (`0.weight`, `0.bias`, `2.weight`, …).
///
///     struct Scale: Layer {              // y = x ⊙ s, one parameter
///       var scale: Tensor
///       func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor { input * scale }
///       var parameterNames: [String] { ["scale"] }
///       var parameterValues: [Tensor] {
///         get { [scale] }
///         set { scale = newValue[0] }
///       }
///     }
///     let layer = Dense(inputSize: 4, outputSize: 2, activation: .relu)
///     let y = layer(Tensor(repeating: 1, shape: [8, 4]))   // [8, 2]
public protocol Layer: Sendable {
  /// The forward pass.
  func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor

  /// The names of the trainable parameters, in a fixed order (e.g. `["weight", "bias"]`).
  var parameterNames: [String] { get }

  /// The trainable parameters, in ``parameterNames`` order.
  var parameterValues: [Tensor] { get set }

  /// Draws fresh initial parameters from `generator`, with the layer's initializers. The
  /// default keeps the values the layer was built with.
  mutating func initializeParameters(using generator: inout RandomGenerator)
}

extension Layer {
  /// Keeps the parameters the layer was built with.
  public mutating func initializeParameters(using generator: inout RandomGenerator) {}

  /// The forward pass in inference mode (no dropout).
  ///
  ///     let outputs = model(features)
  public func callAsFunction(_ input: Tensor) -> Tensor {
    var context = ForwardContext.inference
    return forward(input, context: &context)
  }

  /// The parameters keyed by name.
  public var parameters: [String: Tensor] {
    Dictionary(uniqueKeysWithValues: zip(parameterNames, parameterValues))
  }

  /// The number of trainable scalars.
  public var parameterCount: Int { parameterValues.reduce(0) { $0 + $1.scalarCount } }

  /// A loss of this layer (or model) and its gradient with respect to every parameter,
  /// keyed by parameter name.
  ///
  ///     let (loss, gradients) = model.valueWithGradients { model in
  ///       softmaxCrossEntropy(logits: model(x), classIndices: labels)
  ///     }
  ///     // gradients["0.weight"] has the first layer's weight shape
  public func valueWithGradients(_ loss: (Self) -> Tensor) -> (value: Tensor, gradients: [String: Tensor]) {
    let (value, gradients) = Dendrite.valueWithGradient(at: parameterValues) { leaves in
      var copy = self
      copy.parameterValues = leaves
      return loss(copy)
    }
    return (value, Dictionary(uniqueKeysWithValues: zip(parameterNames, gradients)))
  }
}
