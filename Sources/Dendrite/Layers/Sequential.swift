/// Layers applied one after another: the model type of Dendrite.
///
/// Parameter names follow PyTorch's `nn.Sequential` state_dict for the equivalent model
/// in which every activation is its own module, so a saved model loads into PyTorch with
/// `load_state_dict`:
///
///     var model = Sequential(seed: 42) {
///       Dense(inputSize: 64, outputSize: 32, activation: .relu)   // modules 0 (Linear) and 1 (ReLU)
///       Dense(inputSize: 32, outputSize: 10)                      // module 2: logits
///     }
///     model.parameterNames   // ["0.weight", "0.bias", "2.weight", "2.bias"]
public struct Sequential: Layer {
  /// The layers, in order.
  public var layers: [any Layer]

  /// Creates a model from a builder and initialises every layer's parameters from one
  /// generator seeded with `seed`, in order, so that the same seed gives the same model.
  public init(seed: UInt64 = 42, @LayerBuilder layers: () -> [any Layer]) {
    self.layers = layers()
    var generator = RandomGenerator(seed: seed)
    initializeParameters(using: &generator)
  }

  /// Creates a model from layers as they are (their parameters are kept).
  public init(layers: [any Layer]) {
    self.layers = layers
  }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    guard let inspector = ForwardInspector.current else {
      return layers.reduce(input) { x, layer in layer.forward(x, context: &context) }
    }
    // An inspected pass (a trial pass or a gradient-flow probe) names each layer it runs.
    var x = input
    for (index, layer) in layers.enumerated() {
      x = inspector.inLayer("layer \(index) (\(layerSummary(layer)))") { layer.forward(x, context: &context) }
    }
    return x
  }

  public var parameterNames: [String] {
    var names: [String] = []
    names.reserveCapacity(2 * layers.count)
    var module = 0
    for layer in layers {
      let prefix = String(module) + "."
      for name in layer.parameterNames { names.append(prefix + name) }
      module += ModuleNumbering.moduleCount(of: layer)
    }
    return names
  }

  public var parameterValues: [Tensor] {
    get {
      var values: [Tensor] = []
      values.reserveCapacity(2 * layers.count)
      for layer in layers { values += layer.parameterValues }
      return values
    }
    set {
      var offset = 0
      for index in layers.indices {
        let count = layers[index].parameterNames.count
        layers[index].parameterValues = Array(newValue[offset..<(offset + count)])
        offset += count
      }
      precondition(offset == newValue.count, "Sequential has \(offset) parameters, got \(newValue.count)")
    }
  }

  public mutating func initializeParameters(using generator: inout RandomGenerator) {
    for index in layers.indices { layers[index].initializeParameters(using: &generator) }
  }
}

/// Builds a list of layers from a closure, for ``Sequential/init(seed:layers:)``.
@resultBuilder
public enum LayerBuilder {
  public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }
  public static func buildExpression(_ layers: [any Layer]) -> [any Layer] { layers }
  public static func buildBlock(_ parts: [any Layer]...) -> [any Layer] { parts.flatMap { $0 } }
  public static func buildOptional(_ part: [any Layer]?) -> [any Layer] { part ?? [] }
  public static func buildEither(first part: [any Layer]) -> [any Layer] { part }
  public static func buildEither(second part: [any Layer]) -> [any Layer] { part }
  public static func buildArray(_ parts: [[any Layer]]) -> [any Layer] { parts.flatMap { $0 } }
}

/// A layer as messages name it: `Dense 8 → 2`, `ActivationLayer relu`, `Dropout 0.2`,
/// `Sequential`, or a custom layer's type name.
func layerSummary(_ layer: any Layer) -> String {
  switch layer {
  case let dense as Dense:
    "Dense \(dense.inputSize) → \(dense.outputSize)" + (dense.activation == .linear ? "" : ", \(dense.activation.name)")
  case let activation as ActivationLayer: "ActivationLayer \(activation.activation.name)"
  case let dropout as Dropout: "Dropout \(dropout.rate)"
  default: String(describing: type(of: layer))
  }
}
