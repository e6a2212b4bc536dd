import Testing
@testable import Dendrite

/// The direct loop for tiny products against a Double triple loop, with every transpose
/// combination, padded leading dimensions, alpha/beta, and beta = 0 over a C full of NaN.
@Suite("SmallGEMMTests")
struct SmallGEMMTests {
  @Test("small products match a Double triple loop", arguments: [false, true], [false, true])
  func matchesReference(transposeA: Bool, transposeB: Bool) {
    for (m, n, k) in [(4, 2, 3), (1, 1, 1), (3, 5, 0), (7, 1, 6)] {
      for (alpha, beta) in [(Float(1), Float(0)), (-0.5, 1), (2, -1.5)] {
        let (aRows, aCols) = transposeA ? (k, m) : (m, k)
        let (bRows, bCols) = transposeB ? (n, k) : (k, n)
        let (lda, ldb, ldc) = (aCols + 2, bCols + 1, n + 3)
        let a = (0..<(max(aRows, 1) * lda)).map { Float(($0 * 37) % 11) / 7 - 0.6 }
        let b = (0..<(max(bRows, 1) * ldb)).map { Float(($0 * 53) % 13) / 9 - 0.7 }
        var c = beta == 0 ? [Float](repeating: .nan, count: m * ldc) : (0..<(m * ldc)).map { Float($0 % 5) - 2 }
        let before = c
        Kernels.smallGEMM(
          transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
          a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc)
        for i in 0..<m {
          for j in 0..<ldc {
            guard j < n else {
              let (now, old) = (c[i * ldc + j], before[i * ldc + j])
              #expect(now.isNaN ? old.isNaN : now == old, "padding of C was written")
              continue
            }
            var dot = 0.0
            for p in 0..<k {
              let x = Double(transposeA ? a[p * lda + i] : a[i * lda + p])
              let y = Double(transposeB ? b[j * ldb + p] : b[p * ldb + j])
              dot += x * y
            }
            let expected = Double(alpha) * dot + (beta == 0 ? 0 : Double(beta) * Double(before[i * ldc + j]))
            #expect(abs(Double(c[i * ldc + j]) - expected) <= 1e-5 * max(1, abs(expected)), "\(m)x\(n)x\(k) (\(i), \(j))")
          }
        }
      }
    }
  }
}
