extension Tensor: CustomStringConvertible {
  /// The shape and the elements as nested brackets, eliding the middle of long axes.
  ///
  ///     print(Tensor([[1, 2], [3, 4]]))   // Tensor[2, 2] [[1.0, 2.0], [3.0, 4.0]]
  public var description: String {
    "Tensor\(shape) " + nested(axis: 0, offset: 0)
  }

  private func nested(axis: Int, offset: Int) -> String {
    if rank == 0 { return "\(scalars[0])" }
    let length = shape[axis]
    let stride = shape[(axis + 1)...].reduce(1, *)
    let shown: [Int] = length > 8 ? Array(0..<3) + [-1] + Array((length - 3)..<length) : Array(0..<length)
    let parts = shown.map { index -> String in
      if index < 0 { return "…" }
      return axis == rank - 1
        ? "\(scalars[offset + index])" : nested(axis: axis + 1, offset: offset + index * stride)
    }
    return "[" + parts.joined(separator: ", ") + "]"
  }
}
