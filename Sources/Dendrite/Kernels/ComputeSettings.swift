/// How the kernels run, as read at the first use.
///
///     ComputeSettings.threadCount   // 2 on a 2-core machine; DENDRITE_THREADS=1 forces 1
///     ComputeSettings.gemmKernel    // "avx512", "avx2" or "swift"
///     ComputeSettings.gemmBackend   // "built-in", "openblas" or "accelerate"
public enum ComputeSettings {
  /// Threads the kernels use: the `DENDRITE_THREADS` environment variable (read once, at
  /// the first kernel call), else every active core. Results are bit-identical for a
  /// given thread count and kernel.
  public static var threadCount: Int { Kernels.threadCount }

  /// The GEMM micro-kernel chosen for this CPU at run time; the built-in backend uses it.
  public static var gemmKernel: String { "\(Kernels.gemmKernel)" }

  /// The library that computes matrix products, fixed by the build: `"openblas"` with the
  /// `OpenBLAS` package trait on Linux, `"accelerate"` on Apple platforms, else
  /// `"built-in"` (the kernels named by `gemmKernel`).
  public static var gemmBackend: String { Kernels.gemmBackend.rawValue }
}
