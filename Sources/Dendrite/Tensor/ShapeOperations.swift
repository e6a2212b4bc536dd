/// Reshaping, transposing and broadcasting: ops that move elements without changing them.
/// Each gradient is the inverse move (reshape back, transpose back, sum back).
extension Tensor {
  /// The same elements in a new shape with the same element count.
  ///
  ///     Tensor([1, 2, 3, 4]).reshaped(to: [2, 2])   // [[1, 2], [3, 4]]
  ///
  /// - Precondition: the element counts agree.
  public func reshaped(to newShape: [Int]) -> Tensor {
    precondition(
      newShape.reduce(1, *) == scalarCount,
      "cannot reshape \(shape) (\(scalarCount) elements) to \(newShape)")
    if newShape == shape { return self }
    let oldShape = shape
    return Tensor.recording(Tensor(shape: newShape, scalars: scalars), from: self) { g in
      g.reshaped(to: oldShape)
    }
  }

  /// The transpose of a rank-2 tensor: element `[i, j]` moves to `[j, i]`.
  ///
  ///     Tensor([[1, 2, 3]]).transposed()   // [[1], [2], [3]]
  ///
  /// - Precondition: the tensor has rank 2.
  public func transposed() -> Tensor {
    precondition(rank == 2, "transposed() needs a rank-2 tensor, got shape \(shape)")
    let (rows, columns) = (shape[0], shape[1])
    var result = [Float](repeating: 0, count: scalarCount)
    for r in 0..<rows {
      for c in 0..<columns { result[c * rows + r] = scalars[r * columns + c] }
    }
    return Tensor.recording(Tensor(shape: [columns, rows], scalars: result), from: self) { g in
      g.transposed()
    }
  }

  /// This tensor stretched to `target` under broadcasting rules.
  ///
  ///     Tensor([1, 2]).broadcast(to: [2, 2])   // [[1, 2], [1, 2]]
  ///
  /// - Precondition: the shape broadcasts to `target`.
  public func broadcast(to target: [Int]) -> Tensor {
    if shape == target { return self }
    precondition(
      Tensor.broadcastShape(shape, target) == target, "cannot broadcast shape \(shape) to \(target)")
    let strides = Tensor.broadcastStrides(shape, to: target)
    let value = Tensor(
      shape: target,
      scalars: Kernels.broadcastMap(scalars, strides: strides, scalars, strides: strides, shape: target) { a, _ in a })
    let sourceShape = shape
    return Tensor.recording(value, from: self) { g in g.summed(toShape: sourceShape) }
  }
}
