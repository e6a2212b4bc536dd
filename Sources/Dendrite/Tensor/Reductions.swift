/// Sums, means and maxima, in full or along one axis, and argmax.
///
/// Derivatives: the gradient of a sum is the upstream gradient copied to every element
/// that was added; of a mean, that divided by the count; of a maximum, the upstream
/// gradient shared equally among the elements that attain it (as TensorFlow's
/// `reduce_max`), 0 elsewhere.
extension Tensor {
  /// The sum of all elements, as a rank-0 tensor.
  ///
  ///     Tensor([[1, 2], [3, 4]]).sum()   // 10
  public func sum() -> Tensor {
    reshaped(to: [scalarCount]).sum(alongAxis: 0)
  }

  /// The mean of all elements, as a rank-0 tensor.
  ///
  ///     Tensor([[1, 2], [3, 4]]).mean()   // 2.5
  public func mean() -> Tensor {
    sum() / Float(scalarCount)
  }

  /// The largest element, as a rank-0 tensor.
  ///
  ///     Tensor([3, 7, 5]).max()   // 7
  public func max() -> Tensor {
    reshaped(to: [scalarCount]).max(alongAxis: 0)
  }

  /// The sum along `axis` (negative counts from the end), which is removed from the shape
  /// unless `keepingDimension` leaves it with size 1.
  ///
  ///     Tensor([[1, 2], [3, 4]]).sum(alongAxis: 0)                          // [4, 6]
  ///     Tensor([[1, 2], [3, 4]]).sum(alongAxis: -1, keepingDimension: true)  // [[3], [7]]
  public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
    let (axis, outer, length, inner) = reductionGeometry(axis)
    let value = Tensor(
      shape: reducedShape(axis, keepingDimension),
      scalars: Kernels.reduce(scalars, outer: outer, length: length, inner: inner, kind: .sum))
    let inputShape = shape
    return Tensor.recording(value, from: self) { g in
      g.reshaped(to: Tensor.reducedShape(inputShape, axis, true)).broadcast(to: inputShape)
    }
  }

  /// The mean along `axis`; see ``sum(alongAxis:keepingDimension:)``.
  ///
  ///     Tensor([[1, 2], [3, 4]]).mean(alongAxis: 1)   // [1.5, 3.5]
  public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
    let count = shape[normalizedAxis(axis)]
    return sum(alongAxis: axis, keepingDimension: keepingDimension) / Float(count)
  }

  /// The maximum along `axis`; see ``sum(alongAxis:keepingDimension:)``.
  ///
  ///     Tensor([[1, 5], [4, 2]]).max(alongAxis: 1)   // [5, 4]
  ///
  /// - Precondition: the axis is not empty.
  public func max(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
    let (axis, outer, length, inner) = reductionGeometry(axis)
    precondition(length > 0, "max along empty axis \(axis) of shape \(shape)")
    let value = Tensor(
      shape: reducedShape(axis, keepingDimension),
      scalars: Kernels.reduce(scalars, outer: outer, length: length, inner: inner, kind: .max))
    let input = withoutDerivative()
    return Tensor.recording(value, from: self) { g in
      let keptShape = Tensor.reducedShape(input.shape, axis, true)
      let maxima = value.withoutDerivative().reshaped(to: keptShape)
      let isMax = Tensor.broadcastValues(input, maxima) { $0 == $1 ? 1 : 0 }
      let ties = isMax.sum(alongAxis: axis, keepingDimension: true)
      return isMax * (g.reshaped(to: keptShape) / ties)
    }
  }

  /// The index of the largest element along `axis`, for each position of the other axes,
  /// in row-major order (the first index wins a tie). Not differentiable.
  ///
  ///     Tensor([[1, 5, 3], [9, 0, 9]]).argmax(alongAxis: 1)   // [1, 0]
  public func argmax(alongAxis axis: Int = -1) -> [Int] {
    let (_, outer, length, inner) = reductionGeometry(axis)
    precondition(length > 0, "argmax along an empty axis of shape \(shape)")
    var result = [Int](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for i in 0..<inner {
        var best = 0
        var bestValue = scalars[o * length * inner + i]
        for l in 1..<length {
          let v = scalars[(o * length + l) * inner + i]
          if v > bestValue {
            best = l
            bestValue = v
          }
        }
        result[o * inner + i] = best
      }
    }
    return result
  }

  /// `axis` in 0..<rank, counting negative values from the end.
  func normalizedAxis(_ axis: Int) -> Int {
    let normalized = axis < 0 ? axis + rank : axis
    precondition(normalized >= 0 && normalized < rank, "axis \(axis) is out of range for shape \(shape)")
    return normalized
  }

  /// The axis and the `[outer, length, inner]` view used by the reduction kernels.
  private func reductionGeometry(_ axis: Int) -> (axis: Int, outer: Int, length: Int, inner: Int) {
    let axis = normalizedAxis(axis)
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    return (axis, outer, shape[axis], inner)
  }

  private func reducedShape(_ axis: Int, _ keepingDimension: Bool) -> [Int] {
    Tensor.reducedShape(shape, axis, keepingDimension)
  }

  static func reducedShape(_ shape: [Int], _ axis: Int, _ keepingDimension: Bool) -> [Int] {
    var result = shape
    if keepingDimension { result[axis] = 1 } else { result.remove(at: axis) }
    return result
  }
}
