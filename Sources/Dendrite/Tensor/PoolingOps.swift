/// 2-D max pooling over NCHW input (PyTorch's `F.max_pool2d`, no padding): each output
/// element is the largest element of its `size × size` window, windows `stride` apart.
///
///     y[n, c, i, j] = max_{0 ≤ a, b < k} x[n, c, i·s + a, j·s + b]
///     x: [N, C, H, W]  →  y: [N, C, (H − k)/s + 1, (W − k)/s + 1]
///     ∂L/∂x[n, c, h, w] = Σ of ∂L/∂y over the windows whose argmax is (h, w)
///
/// The gradient goes to the window's argmax only; when several elements tie for the
/// maximum, the first in row-major order takes it.
///
///     let x = Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 7])
///     maxPool2d(x, size: 2).scalars   // [5, 8]
///
/// - Precondition: x is `[N, C, H, W]` with H, W ≥ size; size, stride ≥ 1.
public func maxPool2d(_ x: Tensor, size: Int, stride: Int? = nil) -> Tensor {
  let geometry = poolingGeometry(x, size: size, stride: stride, op: "maxPool2d")
  let (values, argmax) = Kernels.maxPool(x.scalars, geometry)
  let value = Tensor(shape: [geometry.batch, geometry.channels, geometry.outputHeight, geometry.outputWidth], scalars: values)
  let xShape = x.shape
  return Tensor.recording(value, from: x) { g in
    Tensor(shape: xShape, scalars: Kernels.maxPoolBackward(g.scalars, argmax: argmax, geometry))
  }
}

/// 2-D average pooling over NCHW input (PyTorch's `F.avg_pool2d`, no padding): each output
/// element is the mean of its `size × size` window, windows `stride` apart.
///
///     y[n, c, i, j] = (1/k²) Σ_{0 ≤ a, b < k} x[n, c, i·s + a, j·s + b]
///     x: [N, C, H, W]  →  y: [N, C, (H − k)/s + 1, (W − k)/s + 1]
///     ∂L/∂x[n, c, h, w] = (1/k²) Σ of ∂L/∂y over the windows that contain (h, w)
///
///     let x = Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 7])
///     avgPool2d(x, size: 2).scalars   // [3.25, 4.25]
///
/// - Precondition: x is `[N, C, H, W]` with H, W ≥ size; size, stride ≥ 1.
public func avgPool2d(_ x: Tensor, size: Int, stride: Int? = nil) -> Tensor {
  let geometry = poolingGeometry(x, size: size, stride: stride, op: "avgPool2d")
  let value = Tensor(
    shape: [geometry.batch, geometry.channels, geometry.outputHeight, geometry.outputWidth],
    scalars: Kernels.averagePool(x.scalars, geometry))
  let xShape = x.shape
  return Tensor.recording(value, from: x) { g in
    Tensor(shape: xShape, scalars: Kernels.averagePoolBackward(g.scalars, geometry))
  }
}

/// The windows of a pooling op on `x`, after checking its shape and options.
private func poolingGeometry(_ x: Tensor, size: Int, stride: Int?, op: String) -> ConvolutionGeometry {
  let stride = stride ?? size
  precondition(size >= 1 && stride >= 1, "\(op) needs size and stride ≥ 1, got \(size) and \(stride)")
  precondition(
    x.rank == 4 && x.shape[2] >= size && x.shape[3] >= size,
    "\(op) needs x [N, C, H, W] with H and W ≥ the window size \(size), got \(x.shape)")
  return ConvolutionGeometry(
    batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3],
    kernelHeight: size, kernelWidth: size, stride: stride, padding: 0)
}
