// Which library computes SGEMM: a system BLAS when the build has one, else the built-in
// kernels of GEMM.swift. Chosen at compile time:
//
//   swift build --traits OpenBLAS   Linux: OpenBLAS's cblas_sgemm (libopenblas-dev)
//   any build on Apple platforms    Accelerate's cblas_sgemm (compile-guarded; not tested
//                                   on the project's Linux machines)
//   the default build elsewhere     the built-in kernels (no system library)
//
// Only `Kernels.gemm` consults this; everything above the kernels is backend-agnostic.

#if OpenBLAS && canImport(COpenBLAS)
import COpenBLAS
/// The integer type of OpenBLAS's CBLAS interface (`blasint`: 32 bits, or 64 with INTERFACE64).
private typealias BLASInt = blasint
#elseif canImport(Accelerate)
import Accelerate
/// The integer type of Accelerate's (LP64) CBLAS interface.
private typealias BLASInt = Int32
#endif

extension Kernels {
  /// The libraries that can compute SGEMM.
  enum GEMMBackend: String, Sendable {
    /// The portable kernels of GEMM.swift (`gemmKernel` picks the micro-kernel).
    case builtIn = "built-in"
    /// OpenBLAS, with the `OpenBLAS` package trait on Linux.
    case openBLAS = "openblas"
    /// Apple's Accelerate framework, on Apple platforms.
    case accelerate = "accelerate"
  }

  /// The backend this build uses for `gemm`. Reading it first (it is read by every `gemm`
  /// call) also gives OpenBLAS `threadCount` threads, so `DENDRITE_THREADS` and
  /// `--threads` hold for it too.
  static let gemmBackend: GEMMBackend = {
    #if OpenBLAS && canImport(COpenBLAS)
    openblas_set_num_threads(Int32(clamping: threadCount))
    return .openBLAS
    #elseif canImport(Accelerate)
    return .accelerate
    #else
    return .builtIn
    #endif
  }()

  /// Computes `gemm` (same arguments, same meaning) with the system BLAS and returns true,
  /// or returns false, changing nothing, when the built-in kernels must do it: in the
  /// default build, for the trivial cases (an empty C, k == 0 or alpha == 0, where
  /// C = beta·C and A and B are not read), and when an operand does not fit its array or
  /// a size exceeds the BLAS's integers (the built-in path then stops with a precondition).
  ///
  /// CBLAS with `CblasRowMajor` takes exactly `gemm`'s convention: op(A) is A [m×k] or,
  /// transposed, A stored [k×m], with leading dimension lda (and likewise B and C), so the
  /// arguments pass through unchanged. With beta == 0, OpenBLAS and Accelerate overwrite C
  /// without reading it (NaN in C does not propagate); `BLASBackendTests` checks this.
  static func blasGEMM(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                       alpha: Float, a: [Float], lda: Int, b: [Float], ldb: Int,
                       beta: Float, c: inout [Float], ldc: Int) -> Bool {
    #if (OpenBLAS && canImport(COpenBLAS)) || canImport(Accelerate)
    guard gemmBackend != .builtIn, m > 0, n > 0, k > 0, alpha != 0,
          fits(a.count, rows: transposeA ? k : m, cols: transposeA ? m : k, ld: lda),
          fits(b.count, rows: transposeB ? n : k, cols: transposeB ? k : n, ld: ldb),
          fits(c.count, rows: m, cols: n, ld: ldc),
          let bm = BLASInt(exactly: m), let bn = BLASInt(exactly: n), let bk = BLASInt(exactly: k),
          let blda = BLASInt(exactly: lda), let bldb = BLASInt(exactly: ldb),
          let bldc = BLASInt(exactly: ldc)
    else { return false }
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                      transposeB ? CblasTrans : CblasNoTrans, bm, bn, bk, alpha,
                      pa.baseAddress, blda, pb.baseAddress, bldb, beta, pc.baseAddress, bldc)
        }
      }
    }
    return true
    #else
    return false
    #endif
  }

  /// Whether a row-major `rows`×`cols` matrix (both > 0) with leading dimension `ld` fits
  /// in `count` elements.
  private static func fits(_ count: Int, rows: Int, cols: Int, ld: Int) -> Bool {
    guard ld >= cols else { return false }
    let (span, overflow) = (rows - 1).multipliedReportingOverflow(by: ld)
    return !overflow && span <= count - cols
  }
}
