/// Softplus, a smooth ReLU.
///
///     softplus(z)  = ln(1 + eᶻ) = max(z, 0) + ln(1 + e^−|z|)    (the stable form: no overflow)
///     softplus′(z) = κ(z)
///
///     softplus(Tensor([0, 100]))   // [0.6931472, 100]
public func softplus(_ x: Tensor) -> Tensor {
  x.elementwise(
    { Swift.max($0, 0) + ScalarMath.log1p(ScalarMath.exp(-Swift.abs($0))) },
    derivative: { x, _ in SigmoidFormula().value(x) })
}
