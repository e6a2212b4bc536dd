#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension Tensor {
  /// Applies `f` to every element and records the elementwise derivative for autodiff.
  ///
  /// `derivative(x, y)` receives the input and the output element and returns f′(x); the
  /// pullback multiplies the upstream gradient by it. This is how every elementwise
  /// activation and math function is built.
  ///
  ///     let cubed = x.elementwise({ $0 * $0 * $0 }, derivative: { x, _ in 3 * x * x })
  public func elementwise(
    _ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float
  ) -> Tensor {
    let input = withoutDerivative()
    let output = Tensor(shape: shape, scalars: Kernels.map(scalars, f))
    return Tensor.recording(output, from: self) { g in
      Tensor(shape: g.shape, scalars: Kernels.map(g.scalars, input.scalars, output.scalars) { g, x, y in
        g * derivative(x, y)
      })
    }
  }
}

/// eˣ elementwise; derivative eˣ.
///
///     exp(Tensor([0, 1]))   // [1, 2.7182817]
public func exp(_ x: Tensor) -> Tensor {
  x.elementwise({ expf($0) }, derivative: { _, y in y })
}

/// ln x elementwise; derivative 1/x.
///
///     log(Tensor([1, 2.7182817]))   // [0, 1]
public func log(_ x: Tensor) -> Tensor {
  x.elementwise({ logf($0) }, derivative: { x, _ in 1 / x })
}

/// ln(1 + x) elementwise, accurate for small x; derivative 1/(1 + x).
///
///     log1p(Tensor([1e-8]))   // [1e-8]
public func log1p(_ x: Tensor) -> Tensor {
  x.elementwise({ log1pf($0) }, derivative: { x, _ in 1 / (1 + x) })
}

/// |x| elementwise; derivative sign(x), 0 at x = 0 (as TensorFlow).
///
///     abs(Tensor([-2, 0, 3]))   // [2, 0, 3]
public func abs(_ x: Tensor) -> Tensor {
  x.elementwise({ Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
}

/// √x elementwise; derivative 1/(2√x).
///
///     sqrt(Tensor([4, 9]))   // [2, 3]
public func sqrt(_ x: Tensor) -> Tensor {
  x.elementwise({ $0.squareRoot() }, derivative: { _, y in 1 / (2 * y) })
}

/// Each element limited to `[minimum, maximum]`; derivative 1 inside the range (bounds
/// included) and 0 outside, as TensorFlow's `clip_by_value`.
///
///     clamp(Tensor([-2, 0.5, 3]), min: 0, max: 1)   // [0, 0.5, 1]
///
/// - Precondition: `minimum <= maximum`.
public func clamp(_ x: Tensor, min minimum: Float, max maximum: Float) -> Tensor {
  precondition(minimum <= maximum, "clamp: min \(minimum) is above max \(maximum)")
  return x.elementwise(
    { Swift.min(Swift.max($0, minimum), maximum) },
    derivative: { x, _ in x >= minimum && x <= maximum ? 1 : 0 })
}

extension Tensor {
  /// Each element squared; derivative 2x.
  ///
  ///     Tensor([-3, 2]).squared()   // [9, 4]
  public func squared() -> Tensor {
    elementwise({ $0 * $0 }, derivative: { x, _ in 2 * x })
  }
}
