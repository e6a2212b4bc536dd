/// The affine map of a dense layer, x·Wᵀ + b, as one differentiable op (PyTorch's
/// `F.linear`): one GEMM onto the broadcast bias forward, and a closed-form pullback.
///
///     y = x·Wᵀ + b          x: [B, in], W: [out, in] (PyTorch's layout), b: [out] → y: [B, out]
///     ∂L/∂x = G·W,   ∂L/∂W = Gᵀ·x,   ∂L/∂b = Σ_batch G        (G = ∂L/∂y)
///
/// One tape entry instead of three (matmul, broadcast, add), and no [B, out] temporary for
/// the bias; only the gradients of inputs being differentiated are computed (a layer's
/// input data gets none).
///
///     linear(Tensor([[1, 2]]), weight: Tensor([[3, 4], [5, 6]]), bias: Tensor([0.5, -1]))   // [[11.5, 16]]
///
/// - Precondition: x is `[B, in]`, weight `[out, in]`, bias `[out]`.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
  if x.rank == 2, weight.rank == 2, x.shape[1] != weight.shape[1],
    ForwardInspector.reportMismatch("takes \(weight.shape[1]) features (weight \(weight.shape)) but gets \(x.shape[1])")
  {
    return Tensor.zeros(shape: [x.shape[0], weight.shape[0]])  // a trial pass goes on to report it
  }
  precondition(
    x.rank == 2 && weight.rank == 2 && bias.rank == 1 && x.shape[1] == weight.shape[1]
      && bias.shape[0] == weight.shape[0],
    "linear needs x [batch, in], weight [out, in] and bias [out], got \(x.shape), \(weight.shape) and \(bias.shape)")
  let (rows, inputs, outputs) = (x.shape[0], x.shape[1], weight.shape[0])
  var y = Kernels.outputArray(count: rows * outputs)  // every row gets the bias next
  Kernels.broadcastRows(bias.scalars, rows: rows, into: &y)
  Kernels.gemm(
    transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, alpha: 1,
    a: x.scalars, lda: inputs, b: weight.scalars, ldb: inputs, beta: 1, c: &y, ldc: outputs)
  let (x0, w0) = (x.withoutDerivative(), weight.withoutDerivative())
  return Tensor.recording(Tensor(shape: [rows, outputs], scalars: y), from: x, weight, bias) { g, needed in
    let dx = needed[0] ? matmul(g, w0) : nil
    let dw = needed[1] ? matmul(g, x0, transposeA: true) : nil
    var db: Tensor?
    if needed[2] {
      var sums = [Float](repeating: 0, count: outputs)
      Kernels.columnSums(g.scalars, rows: rows, cols: outputs, alpha: 1, beta: 0, into: &sums)
      db = Tensor(shape: [outputs], scalars: sums)
    }
    return (dx, dw, db)
  }
}
