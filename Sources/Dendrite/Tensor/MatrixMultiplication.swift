/// The matrix product of two rank-2 tensors, `[m, k] · [k, n] → [m, n]`.
///
///     C = A·B        ∂L/∂A = G·Bᵀ        ∂L/∂B = Aᵀ·G
///
/// where G = ∂L/∂C. The gradients use the same GEMM kernel with its transpose options, so
/// no transposed copy is made.
///
/// With `transposeA` or `transposeB` the product uses that operand's transpose, without
/// copying it: a dense layer with PyTorch's `[out, in]` weights computes
/// `matmul(x, weight, transposeB: true)`.
///
///     matmul(Tensor([[1, 2]]), Tensor([[3], [4]]))                    // [[11]]
///     matmul(Tensor([[1, 2]]), Tensor([[3, 4]]), transposeB: true)    // [[11]]
///
/// - Precondition: both are rank 2 and the inner sizes agree.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
  Tensor.matmul(a, transposed: transposeA, b, transposed: transposeB)
}

extension Tensor {
  /// `op(a)·op(b)` where `op` transposes its operand when asked; recorded for autodiff.
  static func matmul(_ a: Tensor, transposed ta: Bool, _ b: Tensor, transposed tb: Bool) -> Tensor {
    precondition(
      a.rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got shapes \(a.shape) and \(b.shape)")
    let (m, k) = ta ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (kb, n) = tb ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    if k != kb, ForwardInspector.reportMismatch("multiplies \(a.shape) by \(b.shape): inner sizes \(k) and \(kb) differ") {
      return Tensor.zeros(shape: [m, n])  // a trial pass goes on to report it
    }
    precondition(
      k == kb,
      "matmul inner sizes differ: \(a.shape)\(ta ? "ᵀ" : "") · \(b.shape)\(tb ? "ᵀ" : "")")
    var c = Kernels.outputArray(count: m * n)  // every element written: beta is 0
    Kernels.gemm(
      transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 1,
      a: a.scalars, lda: a.shape[1], b: b.scalars, ldb: b.shape[1], beta: 0, c: &c, ldc: n)
    let value = Tensor(shape: [m, n], scalars: c)
    let (a0, b0) = (a.withoutDerivative(), b.withoutDerivative())
    return recording(value, from: a, b) { g, needed in
      // C = op(A)·op(B). For op = identity: dA = G·op(B)ᵀ, dB = op(A)ᵀ·G; transposed
      // operands take the transpose of those. An operand that is not being differentiated
      // (a layer's input data) gets no product computed for it.
      let da =
        !needed[0] ? nil
        : ta ? matmul(b0, transposed: tb, g, transposed: true) : matmul(g, transposed: false, b0, transposed: !tb)
      let db =
        !needed[1] ? nil
        : tb ? matmul(g, transposed: true, a0, transposed: ta) : matmul(a0, transposed: !ta, g, transposed: false)
      return (da, db)
    }
  }
}
