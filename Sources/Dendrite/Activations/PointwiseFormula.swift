/// An elementwise activation y = f(z) and its chain rule g ↦ g·f′(z), written once for the
/// two places that compute them: the tape op (``relu(_:)`` and the others, through
/// ``Tensor/elementwise(_:)``) and the fused dense-layer kernels ``Trainer`` runs
/// (`Kernels.addBiasAndActivate`, `Kernels.multiplyByActivationDerivative`).
/// FusedFormulaTests ties the kernels to the tape ops.
///
/// Every form is pure math on values, no pointers. The chain rule comes as a scalar and an
/// eight-lane function: the kernels run the eight-lane one over each block of eight and
/// the scalar one over the tail. It is the primary form, rather than f′ alone, because the
/// kernels apply it to a gradient in place, where ReLU's is a select rather than a multiply
/// by 0 or 1; the tape takes f′(z) as the chain rule of g = 1, which is exact (1·f′ = f′).
/// It receives both the input z and the output y = f(z), so that a formula reads whichever
/// is cheaper (σ′ = y·(1 − y)). The value has an eight-lane form where the kernels use one
/// (``VectorisedPointwiseFormula``); for the others they loop over the scalar form, which
/// the compiler vectorises when it can (a select, for leaky ReLU; not tanhf).
protocol PointwiseFormula: Sendable {
  /// y = f(z).
  func value(_ z: Float) -> Float
  /// g·f′(z): the gradient with respect to the input, from the gradient g with respect to
  /// the output, the input z and the output y = f(z).
  func inputGradient(_ g: Float, input z: Float, output y: Float) -> Float
  /// g·f′(z) in eight lanes.
  func inputGradient(_ g: SIMD8<Float>, input z: SIMD8<Float>, output y: SIMD8<Float>) -> SIMD8<Float>
}

/// A ``PointwiseFormula`` whose value the fused kernels compute eight lanes at a time.
protocol VectorisedPointwiseFormula: PointwiseFormula {
  /// y = f(z) in eight lanes.
  func value(_ z: SIMD8<Float>) -> SIMD8<Float>
}

extension PointwiseFormula {
  /// f′(z), given z and y = f(z): the chain rule applied to g = 1.
  @inline(__always) func derivative(input z: Float, output y: Float) -> Float {
    inputGradient(1, input: z, output: y)
  }
}

extension Tensor {
  /// `formula` applied elementwise, recorded on the tape with the pullback
  /// g ↦ g ⊙ f′(x) (the derivative given each input and output).
  func elementwise(_ formula: some PointwiseFormula) -> Tensor {
    elementwise({ formula.value($0) }, derivative: { formula.derivative(input: $0, output: $1) })
  }
}
