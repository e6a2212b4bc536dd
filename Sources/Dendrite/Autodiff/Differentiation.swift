/// Returns the value of a scalar function and its gradient with respect to `x`.
///
/// Runs `f` once while recording its ops on a fresh tape, then runs the tape backwards
/// from the result (reverse-mode autodiff).
///
///     let (loss, g) = valueWithGradient(at: Tensor([[1, 5, 3]])) {
///       softmaxCrossEntropy(logits: $0, classIndices: [1])
///     }
///     // loss ≈ 0.1429, g ≈ [[0.0159, -0.1332, 0.1173]] = softmax − one-hot
///
/// - Precondition: `f` returns a one-element tensor.
public func valueWithGradient(at x: Tensor, in f: (Tensor) -> Tensor) -> (
  value: Tensor, gradient: Tensor
) {
  let (value, gradients) = valueWithGradient(at: [x]) { f($0[0]) }
  return (value, gradients[0])
}

/// Returns the gradient of a scalar function with respect to `x`.
///
///     let g = gradient(at: Tensor([0.0, 2.0])) { sigmoid($0).sum() }   // σ′(x) = σ(x)(1 − σ(x))
///
/// - Precondition: `f` returns a one-element tensor.
public func gradient(at x: Tensor, in f: (Tensor) -> Tensor) -> Tensor {
  valueWithGradient(at: x, in: f).gradient
}

/// Returns the value of a scalar function of several tensors and its gradient with
/// respect to each of them, in the same order.
///
///     let (loss, grads) = valueWithGradient(at: [weight, bias]) { p in
///       meanSquaredError(predicted: matmul(x, p[0]) + p[1], expected: y)
///     }
///     // grads[0] has weight's shape, grads[1] bias's
///
/// A tensor that `f` does not use gets a zero gradient.
///
/// - Precondition: `f` returns a one-element tensor.
public func valueWithGradient(at xs: [Tensor], in f: ([Tensor]) -> Tensor) -> (
  value: Tensor, gradients: [Tensor]
) {
  let tape = Tape()
  defer { tape.clear() }
  let leaves = xs.map { x -> Tensor in
    var leaf = x.withoutDerivative()
    let position = tape.appendLeaf(shape: x.shape)
    leaf.tapeHandle = TapeHandle(tape: tape, position: position)
    return leaf
  }
  let value = f(leaves)
  precondition(
    value.scalarCount == 1,
    "valueWithGradient needs a function with a one-element result, but it returned shape \(value.shape)")
  guard let handle = value.tapeHandle, handle.tape === tape else {
    return (value.withoutDerivative(), xs.map { Tensor.zeros(shape: $0.shape) })  // the result does not depend on xs
  }
  let all = tape.backward(from: handle.position, seed: Tensor(repeating: 1, shape: value.shape))
  let gradients = xs.indices.map { index in
    all[index].map { $0.withoutDerivative() } ?? Tensor.zeros(shape: xs[index].shape)
  }
  return (value.withoutDerivative(), gradients)
}

/// Returns the gradients of a scalar function of several tensors, one per tensor.
///
///     let grads = gradients(at: [a, b]) { p in (p[0] * p[1]).sum() }   // [b, a]
public func gradients(at xs: [Tensor], in f: ([Tensor]) -> Tensor) -> [Tensor] {
  valueWithGradient(at: xs, in: f).gradients
}
