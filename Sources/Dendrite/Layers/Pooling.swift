/// 2-D max pooling as a layer (PyTorch's `nn.MaxPool2d`, no padding): the largest element of
/// each `size × size` window, windows `stride` apart; see ``maxPool2d(_:size:stride:)``.
///
///     MaxPool2D(size: 2)(Tensor.zeros(shape: [4, 8, 28, 28])).shape   // [4, 8, 14, 14]
public struct MaxPool2D: Layer {
  /// The side of the square window.
  public let size: Int
  /// The step between windows.
  public let stride: Int

  /// Creates the layer; `stride` defaults to `size` (windows that do not overlap).
  ///
  /// - Precondition: size, stride ≥ 1.
  public init(size: Int, stride: Int? = nil) {
    precondition(size >= 1 && (stride ?? 1) >= 1, "MaxPool2D needs size and stride ≥ 1, got \(size) and \(stride ?? size)")
    self.size = size
    self.stride = stride ?? size
  }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    if let standIn = poolingStandIn(input, size: size, layer: "MaxPool2D") { return standIn }
    return maxPool2d(input, size: size, stride: stride)
  }

  public var parameterNames: [String] { [] }
  public var parameterValues: [Tensor] {
    get { [] }
    set { precondition(newValue.isEmpty, "MaxPool2D has no parameters") }
  }
}

/// 2-D average pooling as a layer (PyTorch's `nn.AvgPool2d`, no padding): the mean of each
/// `size × size` window, windows `stride` apart; see ``avgPool2d(_:size:stride:)``.
///
///     AveragePool2D(size: 2)(Tensor.zeros(shape: [4, 8, 28, 28])).shape   // [4, 8, 14, 14]
public struct AveragePool2D: Layer {
  /// The side of the square window.
  public let size: Int
  /// The step between windows.
  public let stride: Int

  /// Creates the layer; `stride` defaults to `size` (windows that do not overlap).
  ///
  /// - Precondition: size, stride ≥ 1.
  public init(size: Int, stride: Int? = nil) {
    precondition(size >= 1 && (stride ?? 1) >= 1, "AveragePool2D needs size and stride ≥ 1, got \(size) and \(stride ?? size)")
    self.size = size
    self.stride = stride ?? size
  }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    if let standIn = poolingStandIn(input, size: size, layer: "AveragePool2D") { return standIn }
    return avgPool2d(input, size: size, stride: stride)
  }

  public var parameterNames: [String] { [] }
  public var parameterValues: [Tensor] {
    get { [] }
    set { precondition(newValue.isEmpty, "AveragePool2D has no parameters") }
  }
}

/// In a trial pass, a stand-in output for input a pooling layer cannot take (recording the
/// mismatch); nil when the input fits, or outside a trial pass (the op then traps with both
/// shapes).
private func poolingStandIn(_ input: Tensor, size: Int, layer: String) -> Tensor? {
  guard input.rank != 4 || input.shape[2] < size || input.shape[3] < size else { return nil }
  guard ForwardInspector.reportMismatch("takes images [batch, channels, height, width] of at least \(size) × \(size) but gets shape \(input.shape)") else {
    return nil
  }
  return Tensor.zeros(shape: [input.shape.first ?? 1, input.rank > 1 ? input.shape[1] : 1, 1, 1])
}
