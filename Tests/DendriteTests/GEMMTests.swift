import Testing
import Foundation
@testable import Dendrite

/// Deterministic pseudo-random floats in [-1, 1).
private struct LCG {
  var state: UInt64
  mutating func next() -> Float {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Float(Int32(truncatingIfNeeded: state >> 32)) / Float(Int32.max)
  }
  mutating func array(_ n: Int) -> [Float] { (0..<n).map { _ in next() } }
}

private struct GEMMShape: CustomStringConvertible, Sendable {
  var m: Int, n: Int, k: Int
  var pad = 0  // extra elements per row beyond the minimal leading dimension
  var description: String { "\(m)x\(n)x\(k)+\(pad)" }
}

/// Runs gemm and checks it against a Double triple loop; returns nothing, records issues.
private func check(_ s: GEMMShape, ta: Bool, tb: Bool, alpha: Float, beta: Float, seed: UInt64 = 1,
           nanC: Bool = false, kernel: Kernels.GEMMKernel = Kernels.gemmKernel) {
  var rng = LCG(state: seed &+ UInt64(s.m * 1_000_003 + s.n * 1009 + s.k))
  let (aRows, aCols) = ta ? (s.k, s.m) : (s.m, s.k)
  let (bRows, bCols) = tb ? (s.n, s.k) : (s.k, s.n)
  let lda = max(1, aCols) + s.pad, ldb = max(1, bCols) + s.pad, ldc = max(1, s.n) + s.pad
  let a = rng.array(aRows * lda)
  let b = rng.array(bRows * ldb)
  var c = nanC ? [Float](repeating: .nan, count: s.m * ldc) : rng.array(s.m * ldc)
  let c0 = c
  Kernels.gemm(transposeA: ta, transposeB: tb, m: s.m, n: s.n, k: s.k, alpha: alpha,
               a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc, kernel: kernel)
  var worst = 0.0
  for i in 0..<s.m {
    for j in 0..<s.n {
      var dot = 0.0, mag = 0.0
      for p in 0..<s.k {
        let av = Double(ta ? a[p * lda + i] : a[i * lda + p])
        let bv = Double(tb ? b[j * ldb + p] : b[p * ldb + j])
        dot += av * bv
        mag += abs(av * bv)
      }
      let old = beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j])
      let want = Double(alpha) * dot + old
      let scaleRef = abs(Double(alpha)) * mag + abs(old) + 1e-30
      let err = abs(Double(c[i * ldc + j]) - want) / scaleRef
      worst = max(worst, err.isNaN ? .infinity : err)
    }
    // Padding columns of C must be untouched.
    for j in s.n..<ldc where s.n > 0 || s.pad > 0 {
      if i * ldc + j < c.count, !(c[i * ldc + j].bitPattern == c0[i * ldc + j].bitPattern) {
        Issue.record("padding of C written at (\(i), \(j)) for \(s)")
      }
    }
  }
  if ProcessInfo.processInfo.environment["GEMM_PRINT_ERR"] != nil { print("ERR", s, ta, tb, worst) }
  #expect(worst <= 1e-5, "\(s) ta=\(ta) tb=\(tb) alpha=\(alpha) beta=\(beta) \(kernel): rel err \(worst)")
}

private let shapes: [GEMMShape] = [
  GEMMShape(m: 1, n: 1, k: 1), GEMMShape(m: 7, n: 13, k: 5), GEMMShape(m: 33, n: 65, k: 17),
  GEMMShape(m: 6, n: 8, k: 3), GEMMShape(m: 5, n: 7, k: 9), GEMMShape(m: 12, n: 16, k: 1),
  GEMMShape(m: 121, n: 9, k: 257), GEMMShape(m: 2, n: 300, k: 513), GEMMShape(m: 127, n: 129, k: 31),
  GEMMShape(m: 7, n: 13, k: 5, pad: 3), GEMMShape(m: 33, n: 65, k: 17, pad: 5),
  GEMMShape(m: 121, n: 17, k: 260, pad: 1), GEMMShape(m: 1, n: 1, k: 1, pad: 2),
  GEMMShape(m: 40, n: 130, k: 784), GEMMShape(m: 7, n: 4103, k: 3), GEMMShape(m: 2, n: 4097, k: 300, pad: 1),
]

@Suite("GEMM kernel against a Double triple loop") struct GEMMTests {
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func shapesAllTransposes(ta: Bool, tb: Bool) {
    allShapes(ta: ta, tb: tb, kernel: Kernels.gemmKernel)
  }

  /// Every micro-kernel this CPU runs (the Swift fallback always; AVX2 and AVX-512 on
  /// x86-64 when supported), not only the one `gemm` picks.
  @Test(arguments: Kernels.GEMMKernel.allCases.filter { $0 <= Kernels.gemmKernel && $0 != Kernels.gemmKernel })
  func otherKernels(kernel: Kernels.GEMMKernel) {
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      allShapes(ta: ta, tb: tb, kernel: kernel)
      check(GEMMShape(m: 33, n: 65, k: 17, pad: 2), ta: ta, tb: tb, alpha: 1.25, beta: 0, nanC: true, kernel: kernel)
    }
  }

  @Test func kernelDetection() {
    // The Swift fallback is always available; on x86-64 the C kernels exist but are
    // only chosen when the CPU supports them.
    #expect(Kernels.GEMMKernel.swift <= Kernels.gemmKernel)
    #if !arch(x86_64)
    #expect(Kernels.gemmKernel == .swift)
    #endif
    if ProcessInfo.processInfo.environment["GEMM_PRINT_ERR"] != nil { print("GEMM kernel:", Kernels.gemmKernel) }
  }

  /// The dispatched kernel and the Swift fallback agree closely on a product with
  /// edge tiles in both dimensions and several rank-KC blocks.
  @Test func kernelsAgree() {
    var rng = LCG(state: 42)
    let (m, n, k) = (50, 70, 600)
    let a = rng.array(m * k), b = rng.array(k * n), c0 = rng.array(m * n)
    var results: [[Float]] = []
    for kernel in Kernels.GEMMKernel.allCases where kernel <= Kernels.gemmKernel {
      var c = c0
      Kernels.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 0.5, a: a, lda: k,
                   b: b, ldb: n, beta: 0.5, c: &c, ldc: n, kernel: kernel)
      results.append(c)
    }
    for r in results.dropFirst() {
      let diff = zip(r, results[0]).map { abs($0 - $1) }.max() ?? 0
      #expect(diff < 1e-3)
    }
  }

  /// Products big enough to run on several threads give bit-identical results for
  /// 1, 2 and 3 threads (each block of C is computed by one thread), with every kernel.
  @Test(arguments: Kernels.GEMMKernel.allCases.filter { $0 <= Kernels.gemmKernel })
  func threadedMatchesSingleThread(kernel: Kernels.GEMMKernel) {
    var rng = LCG(state: 9)
    let (m, n, k) = (131, 77, 260)
    #expect(m * n * k >= Kernels.gemmParallelWork)
    let a = rng.array(m * k), b = rng.array(k * n), c0 = rng.array(m * (n + 3))
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      var results: [[Float]] = []
      for threads in [1, 2, 3] {
        var c = c0
        Kernels.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.75, a: a, lda: ta ? m : k,
                     b: b, ldb: tb ? k : n, beta: -0.5, c: &c, ldc: n + 3, kernel: kernel, threads: threads)
        results.append(c)
      }
      #expect(results[1].map(\.bitPattern) == results[0].map(\.bitPattern), "\(kernel) ta=\(ta) tb=\(tb)")
      #expect(results[2].map(\.bitPattern) == results[0].map(\.bitPattern), "\(kernel) ta=\(ta) tb=\(tb)")
    }
    check(GEMMShape(m: 131, n: 77, k: 260, pad: 2), ta: true, tb: false, alpha: 1, beta: 0, nanC: true, kernel: kernel)
  }

  /// Every task runs exactly once, on distinct participant indices, over many short jobs
  /// (late-waking workers must not run a finished job's tasks).
  @Test func workerPoolRunsEachTaskOnce() {
    let pool = WorkerPool(workers: 3)  // parked threads for the rest of the test process
    for round in 0..<500 {
      let tasks = 1 + round % 9, participants = 1 + round % 5
      let counts = UnsafeMutablePointer<Int>.allocate(capacity: tasks)
      counts.initialize(repeating: 0, count: tasks)
      let owner = UnsafeMutablePointer<Int>.allocate(capacity: tasks)
      pool.run(tasks: tasks, participants: participants) { participant, task in
        counts[task] += 1
        owner[task] = participant
      }
      for t in 0..<tasks {
        #expect(counts[t] == 1 && owner[t] >= 0 && owner[t] < participants, "round \(round) task \(t)")
      }
      counts.deallocate()
      owner.deallocate()
    }
  }

  @Test func threadCountSetting() {
    #expect(Kernels.threadCount >= 1)
    #expect(Kernels.workerPool.workers == Kernels.threadCount - 1)
    if let text = ProcessInfo.processInfo.environment["DENDRITE_THREADS"], let n = Int(text), n >= 1 {
      #expect(Kernels.threadCount == n)
    }
  }

  private func allShapes(ta: Bool, tb: Bool, kernel: Kernels.GEMMKernel) {
    for s in shapes {
      // Every alpha/beta pair on the small shapes; the large ones once (the Double
      // reference is slow in a debug build).
      let large = s.m * s.n * s.k > 1_000_000
      for (alpha, beta) in [(Float(1), Float(0)), (1, 1), (0.5, -2), (-1.5, 0.25)].prefix(large ? 1 : 4) {
        check(s, ta: ta, tb: tb, alpha: alpha, beta: beta, kernel: kernel)
      }
    }
  }

  @Test func paddedLargeShape() {
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      check(GEMMShape(m: 64, n: 136, k: 300, pad: 7), ta: ta, tb: tb, alpha: 0.75, beta: 0.5)
    }
  }

  @Test func betaZeroIgnoresNaN() {
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      for s in [GEMMShape(m: 7, n: 13, k: 5), GEMMShape(m: 33, n: 65, k: 17, pad: 2), GEMMShape(m: 3, n: 4, k: 0)] {
        check(s, ta: ta, tb: tb, alpha: 1.25, beta: 0, nanC: true)
      }
    }
  }

  @Test func kZeroScalesC() {
    var c: [Float] = [1, 2, 3, 4, 5, 6]
    Kernels.gemm(transposeA: false, transposeB: false, m: 2, n: 3, k: 0, alpha: 1, a: [], lda: 1,
                 b: [], ldb: 3, beta: 2, c: &c, ldc: 3)
    #expect(c == [2, 4, 6, 8, 10, 12])
    c = [1, .nan, 3, 4, 5, .infinity]
    Kernels.gemm(transposeA: true, transposeB: true, m: 2, n: 3, k: 0, alpha: 1, a: [], lda: 2,
                 b: [], ldb: 1, beta: 0, c: &c, ldc: 3)
    #expect(c == [0, 0, 0, 0, 0, 0])
  }

  @Test func emptyDimensions() {
    var c: [Float] = [7, 8]
    Kernels.gemm(transposeA: false, transposeB: false, m: 0, n: 2, k: 3, alpha: 1, a: [], lda: 3,
                 b: [Float](repeating: 1, count: 6), ldb: 2, beta: 0, c: &c, ldc: 2)
    #expect(c == [7, 8])
    Kernels.gemm(transposeA: false, transposeB: false, m: 2, n: 0, k: 3, alpha: 1,
                 a: [Float](repeating: 1, count: 6), lda: 3, b: [], ldb: 1, beta: 0, c: &c, ldc: 1)
    #expect(c == [7, 8])
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      check(GEMMShape(m: 0, n: 5, k: 4), ta: ta, tb: tb, alpha: 1, beta: 1)
      check(GEMMShape(m: 5, n: 0, k: 4), ta: ta, tb: tb, alpha: 1, beta: 1)
      check(GEMMShape(m: 5, n: 6, k: 0), ta: ta, tb: tb, alpha: 1, beta: 0.5)
      check(GEMMShape(m: 5, n: 6, k: 0, pad: 2), ta: ta, tb: tb, alpha: 1, beta: 0)
    }
  }

  @Test func alphaZero() {
    check(GEMMShape(m: 9, n: 10, k: 11), ta: false, tb: true, alpha: 0, beta: 0.5)
    check(GEMMShape(m: 9, n: 10, k: 11), ta: true, tb: false, alpha: 0, beta: 0, nanC: true)
  }
}

/// Throughput, run only with GEMM_BENCH=1 (use a release build:
/// `GEMM_BENCH=1 swift test -c release --filter GEMMBench`). Kernels are interleaved;
/// prints the median GFLOP/s of each.
@Suite("GEMM benchmark") struct GEMMBench {
  @Test(
    .enabled(
      if: ProcessInfo.processInfo.environment["GEMM_BENCH"] != nil,
      "a benchmark, not a test: prints GFLOP/s, asserts nothing; runs only with GEMM_BENCH=1"))
  func throughput() {
    let kernels = Kernels.GEMMKernel.allCases.filter { $0 <= Kernels.gemmKernel }
    let threads = Int(ProcessInfo.processInfo.environment["GEMM_BENCH_THREADS"] ?? "") ?? 1
    let cases: [(Int, Int, Int, Bool, Bool)] = [
      (128, 784, 256, false, false), (128, 784, 256, false, true), (128, 784, 256, true, false),
      (256, 256, 256, false, false), (256, 256, 256, false, true), (256, 256, 256, true, false),
      (1024, 1024, 1024, false, false), (1024, 1024, 1024, false, true), (1024, 1024, 1024, true, false),
      (1024, 1024, 1024, true, true),
    ]
    for (m, n, k, ta, tb) in cases {
      var rng = LCG(state: 7)
      let a = rng.array(m * k), b = rng.array(k * n)
      var c = [Float](repeating: 0, count: m * n)
      let flops = 2.0 * Double(m * n * k)
      let reps = max(3, Int(2e9 / flops))
      var times = [[Double]](repeating: [], count: kernels.count)
      for _ in 0..<7 {
        for (ki, kernel) in kernels.enumerated() {
          let t0 = DispatchTime.now().uptimeNanoseconds
          for _ in 0..<reps {
            Kernels.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 1, a: a, lda: ta ? m : k,
                         b: b, ldb: tb ? k : n, beta: 0, c: &c, ldc: n, kernel: kernel, threads: threads)
          }
          times[ki].append(Double(DispatchTime.now().uptimeNanoseconds - t0) / Double(reps))
        }
      }
      let line = kernels.indices.map { ki -> String in
        let med = times[ki].sorted()[times[ki].count / 2]
        return "\(kernels[ki]) \(String(format: "%.1f", flops / med))"
      }.joined(separator: "  ")
      print("BENCH threads=\(threads) \(m)x\(n)x\(k) ta=\(ta ? 1 : 0) tb=\(tb ? 1 : 0): \(line) GFLOP/s")
    }
  }
}
