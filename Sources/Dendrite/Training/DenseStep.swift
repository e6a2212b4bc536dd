/// One dense layer of a ``Trainer``'s fused step: its parameters and the buffers its
/// forward and backward passes write, allocated for the largest batch seen and reused.
final class DenseStep {
  let inputSize: Int
  let outputSize: Int
  let activation: Kernels.PointwiseActivation
  /// W `[out, in]` and b `[out]`, updated in place.
  var weight: [Float]
  var bias: [Float]
  /// z = x·Wᵀ + b and a = f(z), `[batch, out]` (a unused for a linear layer).
  var z: [Float] = []
  var a: [Float] = []
  /// ∂J/∂a, then (in place) ∂J/∂z, `[batch, out]`.
  var delta: [Float] = []
  /// ∂J/∂W and ∂J/∂b, for optimizers that do not fold into the GEMM.
  var weightGradient: [Float] = []
  var biasGradient: [Float] = []
  private var capacity = 0

  init(_ dense: Dense, activation: Kernels.PointwiseActivation) {
    inputSize = dense.inputSize
    outputSize = dense.outputSize
    self.activation = activation
    weight = dense.weight.scalars
    bias = dense.bias.scalars
  }

  /// The layer's output: a, or z when the activation is linear.
  var output: [Float] { activation == .linear ? z : a }

  /// Grows the activation buffers to `batch` rows (only when a larger batch arrives).
  func reserve(batch: Int) {
    guard batch > capacity else { return }
    capacity = batch
    let count = batch * outputSize
    z = [Float](repeating: 0, count: count)
    delta = [Float](repeating: 0, count: count)
    if activation != .linear { a = [Float](repeating: 0, count: count) }
  }

  /// Allocates the gradient buffers once.
  func reserveGradients() {
    if weightGradient.isEmpty {
      weightGradient = [Float](repeating: 0, count: inputSize * outputSize)
      biasGradient = [Float](repeating: 0, count: outputSize)
    }
  }

  /// The fused plan for `model`, or nil when it has a layer the fused step does not
  /// handle: dropout with a positive rate, a softmax or other non-pointwise activation,
  /// an activation layer that would follow another activation, or a custom layer.
  static func plan(for model: Sequential) -> [DenseStep]? {
    var steps: [DenseStep] = []
    for layer in model.layers {
      switch layer {
      case let dense as Dense:
        guard let activation = dense.activation.pointwise else { return nil }
        steps.append(DenseStep(dense, activation: activation))
      case let activationLayer as ActivationLayer:
        guard let activation = activationLayer.activation.pointwise else { return nil }
        if activation == .linear { continue }
        // Fold into the dense layer before it, when that one is linear.
        guard let previous = steps.last, previous.activation == .linear else { return nil }
        steps[steps.count - 1] = previous.with(activation: activation)
      case let dropout as Dropout where dropout.rate == 0:
        continue
      default:
        return nil
      }
    }
    return steps.isEmpty ? nil : steps
  }

  private init(copying other: DenseStep, activation: Kernels.PointwiseActivation) {
    inputSize = other.inputSize
    outputSize = other.outputSize
    self.activation = activation
    weight = other.weight
    bias = other.bias
  }

  private func with(activation: Kernels.PointwiseActivation) -> DenseStep {
    DenseStep(copying: self, activation: activation)
  }
}

extension Activation {
  /// The kernel form of an activation the fused step computes inline, or nil.
  var pointwise: Kernels.PointwiseActivation? {
    switch self {
    case .linear: .linear
    case .relu: .relu
    case .leakyRelu: .leakyRelu(0.2)
    case .sigmoid: .sigmoid
    case .tanh: .tanh
    default: nil
    }
  }
}
