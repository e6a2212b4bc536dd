/// Swish (SiLU): the input gated by its own sigmoid.
///
///     swish(z)  = z·κ(z)
///     swish′(z) = κ(z)·(1 + z·(1 − κ(z)))
///
///     swish(Tensor([-1, 1]))   // [-0.26894143, 0.7310586]
public func swish(_ x: Tensor) -> Tensor {
  x.elementwise(
    { $0 * SigmoidFormula().value($0) },
    derivative: { x, _ in
      let s = SigmoidFormula().value(x)
      return s * (1 + x * (1 - s))
    })
}
