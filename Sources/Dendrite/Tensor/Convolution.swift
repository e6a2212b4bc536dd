/// A 2-D convolution (cross-correlation, as PyTorch's `F.conv2d`) of NCHW input with
/// PyTorch-layout weights, as one differentiable op.
///
///     y[n, o, i, j] = b[o] + Σ_c Σ_kh Σ_kw  W[o, c, kh, kw] · x̃[n, c, i·s + kh, j·s + kw]
///
///     x: [N, C, H, W]   W: [O, C, KH, KW]   b: [O]   →   y: [N, O, (H + 2p − KH)/s + 1, (W + 2p − KW)/s + 1]
///
/// where x̃ is x with p rows and columns of zeros around each image. It runs as im2col and one
/// GEMM for the whole batch: `cols` `[C·KH·KW, N·OH·OW]` holds every window as a column, and
/// `Y = W · cols + b` with W reshaped to `[O, C·KH·KW]`. The pullback is closed-form
/// (G = ∂L/∂y, laid out as `[O, N·OH·OW]`):
///
///     ∂L/∂W = G · colsᵀ,   ∂L/∂b = Σ_{n,i,j} G,   ∂L/∂x = col2im(Wᵀ · G)
///
/// Only the gradients of inputs being differentiated are computed. `applyingReLU` makes it
/// max(0, y) in the same op (``Conv2D`` with a ReLU activation uses it), so that the ReLU
/// costs no pass of its own: its pullback keeps G where the output is positive.
///
///     let x = Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
///     let w = Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, 1])        // x[i, j] + x[i+1, j+1]
///     conv2d(x, weight: w, bias: nil, stride: 1, padding: 0).scalars     // [6, 8, 12, 14]
///
/// - Precondition: x is `[N, C, H, W]`, weight `[O, C, KH, KW]` with the same C, bias nil or
///   `[O]`, stride ≥ 1, padding ≥ 0, and the padded input is at least as large as the kernel.
public func conv2d(
  _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0, applyingReLU: Bool = false
) -> Tensor {
  if x.rank == 4, weight.rank == 4, x.shape[1] != weight.shape[1],
    ForwardInspector.reportMismatch(
      "takes \(weight.shape[1]) channels (weight \(weight.shape)) but gets \(x.shape[1]) (input \(x.shape))")
  {
    return Tensor.zeros(shape: [x.shape[0], weight.shape[0], 1, 1])  // a trial pass goes on to report it
  }
  if x.rank == 4, weight.rank == 4,
    x.shape[2] + 2 * padding < weight.shape[2] || x.shape[3] + 2 * padding < weight.shape[3],
    ForwardInspector.reportMismatch(
      "has a kernel (weight \(weight.shape)) larger than its input \(x.shape) with padding \(padding)")
  {
    return Tensor.zeros(shape: [x.shape[0], weight.shape[0], 1, 1])
  }
  precondition(
    x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[1],
    "conv2d needs x [N, C, H, W] and weight [O, C, KH, KW] with the same C, got \(x.shape) and \(weight.shape)")
  let outputs = weight.shape[0]
  precondition(
    bias == nil || bias?.shape == [outputs],
    "conv2d needs bias [\(outputs)] for weight \(weight.shape), got \(bias?.shape ?? [])")
  precondition(stride >= 1 && padding >= 0, "conv2d needs stride ≥ 1 and padding ≥ 0, got \(stride) and \(padding)")
  let geometry = ConvolutionGeometry(
    batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3],
    kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding)
  precondition(
    x.shape[2] + 2 * padding >= weight.shape[2] && x.shape[3] + 2 * padding >= weight.shape[3],
    "conv2d: input \(x.shape) with padding \(padding) is smaller than the kernel of weight \(weight.shape)")
  let (columns, k, positions) = (geometry.batch * geometry.positions, geometry.patchSize, geometry.positions)
  let cols = Kernels.im2col(x.scalars, geometry)
  // Y' = W · cols, [O, N·OH·OW]; then its [O, N] blocks of OH·OW swapped to NCHW [N, O],
  // with the bias added in the same pass.
  var product = Kernels.outputArray(count: outputs * columns)  // every element written: beta is 0
  Kernels.gemm(
    transposeA: false, transposeB: false, m: outputs, n: columns, k: k, alpha: 1,
    a: weight.scalars, lda: k, b: cols, ldb: columns, beta: 0, c: &product, ldc: columns)
  let y = Kernels.swapLeadingAxes(
    product, outer: outputs, inner: geometry.batch, block: positions, addingOuterBias: bias?.scalars,
    rectifying: applyingReLU)
  let value = Tensor(
    shape: [geometry.batch, outputs, geometry.outputHeight, geometry.outputWidth], scalars: y)
  let (xShape, wShape, w0) = (x.shape, weight.shape, weight.scalars)
  // Without a bias the op has two inputs; the pullback is the same.
  func pullback(_ g: Tensor, _ needsX: Bool, _ needsW: Bool, _ needsB: Bool) -> (Tensor?, Tensor?, Tensor?) {
    // G' = ∂L/∂z as [O, N·OH·OW], the layout of the forward product (z before the ReLU:
    // ∂L/∂z = ∂L/∂y where y > 0, else 0).
    let gRows = Kernels.swapLeadingAxes(
      g.scalars, outer: geometry.batch, inner: outputs, block: positions, keepingWherePositive: applyingReLU ? y : nil)
    var dx: Tensor?
    var dw: Tensor?
    var db: Tensor?
    if needsX {
      var dcols = Kernels.outputArray(count: k * columns)
      Kernels.gemm(
        transposeA: true, transposeB: false, m: k, n: columns, k: outputs, alpha: 1,
        a: w0, lda: k, b: gRows, ldb: columns, beta: 0, c: &dcols, ldc: columns)
      dx = Tensor(shape: xShape, scalars: Kernels.col2im(dcols, geometry))
    }
    if needsW {
      var dwScalars = Kernels.outputArray(count: outputs * k)
      Kernels.gemm(
        transposeA: false, transposeB: true, m: outputs, n: k, k: columns, alpha: 1,
        a: gRows, lda: columns, b: cols, ldb: columns, beta: 0, c: &dwScalars, ldc: k)
      dw = Tensor(shape: wShape, scalars: dwScalars)
    }
    if needsB {
      db = Tensor(shape: [outputs], scalars: Kernels.rowSums(gRows, rows: outputs, columns: columns))
    }
    return (dx, dw, db)
  }
  if let bias {
    return Tensor.recording(value, from: x, weight, bias) { g, needed in
      pullback(g, needed[0], needed[1], needed[2])
    }
  }
  return Tensor.recording(value, from: x, weight) { g, needed in
    let (dx, dw, _) = pullback(g, needed[0], needed[1], false)
    return (dx, dw)
  }
}
