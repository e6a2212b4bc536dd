/// One dense layer of a ``Trainer``'s fused step: its parameters and the buffers its
/// forward and backward passes write, allocated for the largest batch seen and reused.
final class DenseStep {
  let inputSize: Int
  let outputSize: Int
  /// Set before the first forward pass (an activation layer after a linear dense layer
  /// folds into it).
  var activation: Kernels.PointwiseActivation
  /// W `[out, in]` and b `[out]`, updated in place.
  var weight: [Float]
  var bias: [Float]
  /// `[outputSize, inputSize]` and `[outputSize]`, made once.
  let weightShape: [Int], biasShape: [Int]
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
    weightShape = dense.weight.shape
    biasShape = dense.bias.shape
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
}
