import Testing
import Foundation
@testable import Dendrite

/// `Kernels.gemm` as every caller sees it: through whichever backend this build chose
/// (`GEMMTests` checks the built-in micro-kernels one by one).
@Suite("GEMM backend of this build") struct BLASBackendTests {
  @Test("the backend is the one the build asked for")
  func backendMatchesBuild() {
    #if OpenBLAS && os(Linux)
    #expect(Kernels.gemmBackend == .openBLAS)
    #elseif canImport(Accelerate)
    #expect(Kernels.gemmBackend == .accelerate)
    #else
    #expect(Kernels.gemmBackend == .builtIn)
    #endif
    #expect(ComputeSettings.gemmBackend == Kernels.gemmBackend.rawValue)
  }

  @Test("gemm matches a Double triple loop: transposes, odd shapes, alpha and beta, lda > cols",
        arguments: [(false, false), (true, false), (false, true), (true, true)])
  func matchesTripleLoop(ta: Bool, tb: Bool) {
    let shapes = [(1, 1, 1, 0), (7, 13, 5, 0), (33, 65, 17, 3), (121, 9, 257, 1), (2, 300, 513, 0),
                  (64, 96, 130, 2)]
    for (m, n, k, pad) in shapes {
      for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-1.25, 0.75)] {
        checkGEMM(m: m, n: n, k: k, pad: pad, ta: ta, tb: tb, alpha: alpha, beta: beta)
      }
    }
  }

  @Test("beta == 0 ignores NaN in C; k == 0 and alpha == 0 give beta·C")
  func edgeCases() {
    for (ta, tb) in [(false, false), (true, true)] {
      checkGEMM(m: 33, n: 65, k: 17, pad: 2, ta: ta, tb: tb, alpha: 1.5, beta: 0, nanC: true)
      checkGEMM(m: 5, n: 7, k: 0, pad: 1, ta: ta, tb: tb, alpha: 1, beta: 0.5)
      checkGEMM(m: 5, n: 7, k: 0, pad: 1, ta: ta, tb: tb, alpha: 1, beta: 0, nanC: true)
      checkGEMM(m: 5, n: 7, k: 3, pad: 0, ta: ta, tb: tb, alpha: 0, beta: -2)
    }
  }

  @Test("the same product twice gives the same bits")
  func repeatable() {
    var rng = SplitMix(state: 3)
    let (m, n, k) = (128, 100, 784)
    let a = rng.array(m * k), b = rng.array(k * n)
    var c1 = [Float](repeating: 0, count: m * n), c2 = c1
    Kernels.gemm(transposeA: false, transposeB: true, m: m, n: n, k: k, alpha: 1, a: a, lda: k,
                 b: b, ldb: k, beta: 0, c: &c1, ldc: n)
    Kernels.gemm(transposeA: false, transposeB: true, m: m, n: n, k: k, alpha: 1, a: a, lda: k,
                 b: b, ldb: k, beta: 0, c: &c2, ldc: n)
    #expect(c1.map(\.bitPattern) == c2.map(\.bitPattern))
  }
}

/// Runs `Kernels.gemm` on random operands with `pad` extra columns in every leading
/// dimension and records an issue where it differs from a Double triple loop (relative
/// to Σ|alpha·a·b| + |beta·c|) by more than 1e-5, or writes C's padding.
private func checkGEMM(m: Int, n: Int, k: Int, pad: Int, ta: Bool, tb: Bool, alpha: Float,
                       beta: Float, nanC: Bool = false) {
  var rng = SplitMix(state: UInt64(m * 1_000_003 + n * 1009 + k))
  let (aRows, aCols) = ta ? (k, m) : (m, k)
  let (bRows, bCols) = tb ? (n, k) : (k, n)
  let lda = max(1, aCols) + pad, ldb = max(1, bCols) + pad, ldc = n + pad
  let a = rng.array(aRows * lda), b = rng.array(bRows * ldb)
  var c = nanC ? [Float](repeating: .nan, count: m * ldc) : rng.array(m * ldc)
  let c0 = c
  Kernels.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
               b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc)
  let label = "\(m)x\(n)x\(k)+\(pad) ta=\(ta) tb=\(tb) alpha=\(alpha) beta=\(beta) nanC=\(nanC)"
  var worst = 0.0
  for i in 0..<m {
    for j in 0..<n {
      var dot = 0.0, magnitude = 0.0
      for p in 0..<k {
        let product = Double(ta ? a[p * lda + i] : a[i * lda + p]) * Double(tb ? b[j * ldb + p] : b[p * ldb + j])
        dot += product
        magnitude += abs(product)
      }
      let old = beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j])
      let want = Double(alpha) * dot + old
      let error = abs(Double(c[i * ldc + j]) - want) / (abs(Double(alpha)) * magnitude + abs(old) + 1e-30)
      worst = max(worst, error.isNaN ? .infinity : error)
    }
    for j in n..<ldc where c[i * ldc + j].bitPattern != c0[i * ldc + j].bitPattern {
      Issue.record("padding of C written at (\(i), \(j)): \(label)")
    }
  }
  #expect(worst <= 1e-5, "\(label) [\(Kernels.gemmBackend.rawValue)]: relative error \(worst)")
}

/// Deterministic pseudo-random floats in [-1, 1).
private struct SplitMix {
  var state: UInt64
  mutating func next() -> Float {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Float(z >> 40) / Float(1 << 23) - 1
  }
  mutating func array(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
}
