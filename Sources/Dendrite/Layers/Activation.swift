/// An activation function by name, as layers, model files and the command line use it.
///
///     Activation.relu.apply(Tensor([-1, 2]))   // [0, 2]
///     Activation(name: "leaky-relu")           // .leakyRelu
public enum Activation: String, Sendable, CaseIterable, Codable {
  /// ``relu(_:)``.
  case relu
  /// ``sigmoid(_:)``.
  case sigmoid
  /// ``tanh(_:)``.
  case tanh
  /// ``leakyRelu(_:alpha:)`` with α = 0.2.
  case leakyRelu = "leaky-relu"
  /// ``elu(_:alpha:)`` with α = 1.
  case elu
  /// ``selu(_:)``.
  case selu
  /// ``gelu(_:)``.
  case gelu
  /// ``swish(_:)``.
  case swish
  /// ``softplus(_:)``.
  case softplus
  /// ``softmax(_:)`` along the last axis.
  case softmax
  /// ``logSoftmax(_:)`` along the last axis.
  case logSoftmax = "log-softmax"
  /// The identity.
  case linear

  /// The activation with this command-line name (`relu`, `leaky-relu`, …), or nil.
  public init?(name: String) { self.init(rawValue: name) }

  /// The command-line and model-file name.
  public var name: String { rawValue }

  /// Applies the activation.
  public func apply(_ x: Tensor) -> Tensor {
    switch self {
    case .relu: Dendrite.relu(x)
    case .sigmoid: Dendrite.sigmoid(x)
    case .tanh: Dendrite.tanh(x)
    case .leakyRelu: Dendrite.leakyRelu(x)
    case .elu: Dendrite.elu(x)
    case .selu: Dendrite.selu(x)
    case .gelu: Dendrite.gelu(x)
    case .swish: Dendrite.swish(x)
    case .softplus: Dendrite.softplus(x)
    case .softmax: Dendrite.softmax(x)
    case .logSoftmax: Dendrite.logSoftmax(x)
    case .linear: x
    }
  }

  /// Whether the activation is ReLU-like (He initialisation suits the layer before it).
  public var isReLULike: Bool {
    switch self {
    case .relu, .leakyRelu, .elu, .gelu, .swish: true
    default: false
    }
  }
}

/// An activation as a layer of its own (one module, no parameters).
///
///     Sequential { Dense(inputSize: 4, outputSize: 8); ActivationLayer(.tanh) }
public struct ActivationLayer: Layer {
  /// The activation applied.
  public let activation: Activation

  /// Creates the layer.
  public init(_ activation: Activation) { self.activation = activation }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    let output = activation.apply(input)
    ForwardInspector.probeActivation(activation, input: input, output: output)
    return output
  }
  public var parameterNames: [String] { [] }
  public var parameterValues: [Tensor] {
    get { [] }
    set { precondition(newValue.isEmpty, "an activation layer has no parameters") }
  }
}
