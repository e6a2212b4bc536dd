/// NumPy broadcasting for the elementwise arithmetic operators.
///
/// Shapes are aligned at their last axis; an axis of size 1 (or a missing leading axis)
/// stretches to the other operand's size. `[B, D] + [D]` adds a row vector to every row,
/// `[B, D] * [B, 1]` scales each row, and a rank-0 tensor combines with anything. The
/// gradient of a broadcast operand is the upstream gradient summed over the axes it was
/// stretched along (``Tensor/summed(toShape:)``). Losses never broadcast: they check shapes.
extension Tensor {
  /// The shape two shapes broadcast to.
  ///
  /// - Precondition: the shapes are compatible (each aligned pair equal or one of them 1).
  static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
    let rank = Swift.max(a.count, b.count)
    let a = [Int](repeating: 1, count: rank - a.count) + a
    let b = [Int](repeating: 1, count: rank - b.count) + b
    return zip(a, b).map { x, y in
      precondition(
        x == y || x == 1 || y == 1,
        "shapes \(a) and \(b) cannot be broadcast together (axes of \(x) and \(y))")
      return x == 1 ? y : x
    }
  }

  /// Whether two shapes broadcast together (each aligned pair equal or one of them 1).
  static func canBroadcast(_ a: [Int], _ b: [Int]) -> Bool {
    zip(a.reversed(), b.reversed()).allSatisfy { x, y in x == y || x == 1 || y == 1 }
  }

  /// Row-major strides of `shape` as seen from `target` (rank-aligned at the right), with 0
  /// along every axis where `shape` is stretched.
  static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let padded = [Int](repeating: 1, count: target.count - shape.count) + shape
    var strides = [Int](repeating: 0, count: target.count)
    var step = 1
    for axis in stride(from: target.count - 1, through: 0, by: -1) {
      strides[axis] = padded[axis] == 1 && target[axis] != 1 ? 0 : step
      step *= padded[axis]
    }
    return strides
  }

  /// `f` applied elementwise to `a` and `b` under broadcasting (values only, not recorded).
  static func broadcastValues(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    if a.shape == b.shape {
      return Tensor(shape: a.shape, scalars: Kernels.map(a.scalars, b.scalars, f))
    }
    if b.scalarCount == 1 && b.rank <= a.rank {
      let s = b.scalars[0]
      return Tensor(shape: a.shape, scalars: Kernels.map(a.scalars) { f($0, s) })
    }
    if a.scalarCount == 1 && a.rank <= b.rank {
      let s = a.scalars[0]
      return Tensor(shape: b.shape, scalars: Kernels.map(b.scalars) { f(s, $0) })
    }
    if !canBroadcast(a.shape, b.shape),
      ForwardInspector.reportMismatch("combines shapes \(a.shape) and \(b.shape), which do not broadcast")
    {
      return Tensor.zeros(shape: a.shape)  // a trial pass goes on to report it
    }
    let shape = broadcastShape(a.shape, b.shape)
    let scalars = Kernels.broadcastMap(
      a.scalars, strides: broadcastStrides(a.shape, to: shape),
      b.scalars, strides: broadcastStrides(b.shape, to: shape), shape: shape, f)
    return Tensor(shape: shape, scalars: scalars)
  }

  /// This tensor summed over the axes along which `shape` was broadcast to produce it: the
  /// gradient of a broadcast operand. Differentiable.
  ///
  ///     Tensor([[1, 2], [3, 4]]).summed(toShape: [2])   // [4, 6]
  public func summed(toShape target: [Int]) -> Tensor {
    if shape == target { return self }
    var result = self
    // Sum away the leading axes that `target` does not have.
    while result.rank > target.count {
      result = result.sum(alongAxis: 0)
    }
    for axis in 0..<target.count where target[axis] == 1 && result.shape[axis] != 1 {
      result = result.sum(alongAxis: axis, keepingDimension: true)
    }
    precondition(result.shape == target, "cannot sum shape \(shape) to shape \(target)")
    return result
  }
}
