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

extension ComputeSettings {
  /// Asks the C allocator to keep memory that is freed for the next allocations instead of
  /// handing it back to the system after every training step (glibc on Linux: arrays up
  /// to 32 MiB come from the heap and the heap is trimmed only above 1 GiB free; elsewhere
  /// nothing changes). A convolutional network allocates and frees several megabytes of
  /// im2col matrices per step; returned to the system each time, every step would fault
  /// those pages in again, a fifth of a small CNN's step time. Process-wide, so a library
  /// leaves the choice to its program: `dendrite` calls it at start.
  ///
  ///     ComputeSettings.keepFreedMemoryForReuse()   // once, before training
  ///
  /// - Returns: whether the allocator took the setting (false where there is none).
  @discardableResult
  public static func keepFreedMemoryForReuse() -> Bool { Kernels.keepFreedMemoryForReuse() }
}
