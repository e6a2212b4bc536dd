/// Flattens each sample to a row (PyTorch's `nn.Flatten`): `[N, d₁, d₂, …] → [N, d₁·d₂·…]`,
/// so that a ``Dense`` layer can follow convolutions; see ``flatten(_:)``.
///
///     Sequential {
///       Unflatten(shape: [1, 8, 8])                                   // rows of 64 pixels → images
///       Conv2D(inChannels: 1, outChannels: 4, kernelSize: 3, activation: .relu)
///       MaxPool2D(size: 2)
///       Flatten()                                                     // [N, 4, 3, 3] → [N, 36]
///       Dense(inputSize: 36, outputSize: 2)
///     }
public struct Flatten: Layer {
  /// Creates the layer.
  public init() {}

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor { flatten(input) }

  public var parameterNames: [String] { [] }
  public var parameterValues: [Tensor] {
    get { [] }
    set { precondition(newValue.isEmpty, "Flatten has no parameters") }
  }
}

/// Turns each row back into a sample of the given shape (PyTorch's `nn.Unflatten(1, shape)`):
/// `[N, D] → [N] + shape`, with D the product of `shape`. A ``Dataset`` holds rows `[N, D]`,
/// so a convolutional model that trains with `fit` starts with one, e.g.
/// `Unflatten(shape: [1, 28, 28])` for 28 × 28 grey images.
///
///     Unflatten(shape: [1, 8, 8])(Tensor.zeros(shape: [5, 64])).shape   // [5, 1, 8, 8]
public struct Unflatten: Layer {
  /// The shape of one sample.
  public let shape: [Int]

  /// Creates the layer.
  ///
  /// - Precondition: every axis of `shape` is positive.
  public init(shape: [Int]) {
    precondition(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "Unflatten needs a shape of positive axes, got \(shape)")
    self.shape = shape
  }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    let width = shape.reduce(1, *)
    guard input.rank == 2 && input.shape[1] == width else {
      if ForwardInspector.reportMismatch("takes rows of \(width) features (samples \(shape)) but gets shape \(input.shape)") {
        return Tensor.zeros(shape: [input.shape.first ?? 1] + shape)
      }
      preconditionFailure("Unflatten(shape: \(shape)) got input of shape \(input.shape); expected [batch, \(width)]")
    }
    return input.reshaped(to: [input.shape[0]] + shape)
  }

  public var parameterNames: [String] { [] }
  public var parameterValues: [Tensor] {
    get { [] }
    set { precondition(newValue.isEmpty, "Unflatten has no parameters") }
  }
}
