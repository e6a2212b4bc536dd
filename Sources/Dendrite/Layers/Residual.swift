/// A residual block: y = x + f(x), where f is the layers given, run one after another as a
/// ``Sequential`` runs them. f must keep its input's shape.
///
/// ∂J/∂x = g + (∂f/∂x)ᵀ·g with g = ∂J/∂y: the skip path hands the gradient straight back,
/// which is what lets deep stacks of blocks train.
///
/// The parameters are f's, named as a nested ``Sequential`` names them (so, inside a model,
/// the block's module number comes first: `3.0.weight`, `3.2.weight`, …):
///
///     let model = Sequential {
///       Dense(inputSize: 8, outputSize: 32, activation: .relu)      // modules 0, 1
///       Residual {                                                  // module 2
///         Dense(inputSize: 32, outputSize: 32, activation: .relu)   //   2.0, 2.1
///         Dense(inputSize: 32, outputSize: 32)                      //   2.2
///       }
///       Dense(inputSize: 32, outputSize: 3)                         // module 3
///     }
///     // model.parameterNames: 0.weight, 0.bias, 2.0.weight, 2.0.bias, 2.2.weight, 2.2.bias, 3.weight, 3.bias
public struct Residual: Layer {
  /// f, the residual branch.
  public var body: Sequential

  /// The layers of f, in order.
  public var layers: [any Layer] { body.layers }

  /// Creates a block from a builder and initialises f's parameters from one generator
  /// seeded with `seed`, as ``Sequential/init(seed:layers:)`` does. Inside a `Sequential`
  /// every layer is initialised again from the model's seed.
  public init(seed: UInt64 = 42, @LayerBuilder layers: () -> [any Layer]) {
    self.body = Sequential(seed: seed, layers: layers)
  }

  /// Creates a block from layers as they are (their parameters are kept).
  public init(layers: [any Layer]) {
    self.body = Sequential(layers: layers)
  }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    let branch = body.forward(input, context: &context)
    if branch.shape != input.shape {
      if ForwardInspector.reportMismatch("adds its input \(input.shape) to its branch's output \(branch.shape)") {
        return input  // a trial pass goes on to report it
      }
      preconditionFailure("Residual needs its branch to keep the input's shape, got \(input.shape) → \(branch.shape)")
    }
    return input + branch
  }

  public var parameterNames: [String] { body.parameterNames }

  public var parameterValues: [Tensor] {
    get { body.parameterValues }
    set { body.parameterValues = newValue }
  }

  public mutating func initializeParameters(using generator: inout RandomGenerator) {
    body.initializeParameters(using: &generator)
  }
}
