/// The rectified linear unit, max(0, z), elementwise.
///
///     relu(z)  = max(0, z)
///     relu′(z) = 1 for z > 0, else 0        (relu′(0) = 0, as TensorFlow)
///
/// The study's partial cure for vanishing gradients: on its active side the derivative is
/// exactly 1, so a deep product of per-layer factors does not shrink by κ′ ≤ 1/4 each
/// layer. A unit whose input stays negative gets no gradient at all (a dead ReLU).
///
///     relu(Tensor([-1, 0, 2]))   // [0, 0, 2]
public func relu(_ x: Tensor) -> Tensor {
  x.elementwise({ Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
}

/// The leaky ReLU: the identity for positive inputs, a small slope α for the rest.
///
///     leakyRelu(z)  = z for z > 0, else α·z
///     leakyRelu′(z) = 1 for z > 0, else α   (leakyRelu′(0) = α, as TensorFlow)
///
/// The slope keeps a gradient flowing through units that a plain ReLU would leave dead.
///
///     leakyRelu(Tensor([-1, 2]))   // [-0.2, 2]
public func leakyRelu(_ x: Tensor, alpha: Float = 0.2) -> Tensor {
  x.elementwise({ $0 > 0 ? $0 : alpha * $0 }, derivative: { x, _ in x > 0 ? 1 : alpha })
}
