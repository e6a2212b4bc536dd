/// The hyperbolic tangent, elementwise.
///
///     tanh(z)  = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ) = 2κ(2z) − 1
///     tanh′(z) = 1 − tanh²(z)  ≤ 1           (taken from the output, as TensorFlow does)
///
/// Zero-centred and with a derivative up to 1 rather than 1/4, tanh trains deep stacks
/// better than the sigmoid, but it saturates the same way at both ends.
///
///     tanh(Tensor([0, 1]))   // [0, 0.7615942]
public func tanh(_ x: Tensor) -> Tensor {
  x.elementwise(ScalarMath.tanh, derivative: { _, y in 1 - y * y })
}
