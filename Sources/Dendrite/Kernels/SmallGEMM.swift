// SGEMM for products too small to repay packing: a direct triple loop. A 2-4-1 network's
// training step multiplies matrices of a few dozen elements, where the packed kernels'
// set-up (blocking, packing buffers, edge tiles) costs more than the arithmetic.
// `enum Kernels` is declared in Kernels.swift.

extension Kernels {
  /// Products with at most this many multiply-adds (m·n·k) take the direct loop.
  static let smallGEMMWork = 4096

  /// Whether m·n·k is at most ``smallGEMMWork`` (false on overflow or a negative size).
  static func isSmallProduct(m: Int, n: Int, k: Int) -> Bool {
    guard m >= 0, n >= 0, k >= 0 else { return false }
    let (mn, o1) = m.multipliedReportingOverflow(by: n)
    let (mnk, o2) = mn.multipliedReportingOverflow(by: k)
    return !o1 && !o2 && mnk <= smallGEMMWork
  }

  /// C[m×n] = alpha · op(A) · op(B) + beta · C with the same conventions as ``gemm``
  /// (row-major, leading dimensions, beta == 0 ignores C's contents), computed directly:
  /// each element of C is one dot product over k, summed in order.
  static func smallGEMM(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                        alpha: Float, a: [Float], lda: Int, b: [Float], ldb: Int,
                        beta: Float, c: inout [Float], ldc: Int) {
    checkOperands(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                  a: a.count, lda: lda, b: b.count, ldb: ldb, c: c.count, ldc: ldc)
    if m == 0 || n == 0 { return }
    a.withUnsafeBufferPointer { aBuf in
      b.withUnsafeBufferPointer { bBuf in
        c.withUnsafeMutableBufferPointer { cBuf in
          let pc = cBuf.baseAddress!
          // Strides of op(A) (row i, column p) and op(B) (row p, column j).
          let (aRow, aCol) = transposeA ? (1, lda) : (lda, 1)
          let (bRow, bCol) = transposeB ? (1, ldb) : (ldb, 1)
          for i in 0..<m {
            let cRow = pc + i * ldc
            for j in 0..<n {
              var sum: Float = 0
              if k > 0 && alpha != 0, let pa = aBuf.baseAddress, let pb = bBuf.baseAddress {
                var x = pa + i * aRow, y = pb + j * bCol
                for _ in 0..<k {
                  sum += x.pointee * y.pointee
                  x += aCol
                  y += bRow
                }
              }
              cRow[j] = beta == 0 ? alpha * sum : alpha * sum + beta * cRow[j]
            }
          }
        }
      }
    }
  }
}
