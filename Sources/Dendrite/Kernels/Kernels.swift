import CDendriteKernels

/// The numerical kernels: the only place in Dendrite that touches unsafe pointers.
///
/// Everything above this layer works on `[Float]` and shapes; the kernels take arrays and
/// sizes and return arrays, so a faster backend (SIMD, threads, BLAS) can replace one entry
/// point at a time without changing any caller.
enum Kernels {}

extension Kernels {
  /// See ``ComputeSettings/keepFreedMemoryForReuse()``.
  static func keepFreedMemoryForReuse() -> Bool { dendrite_keep_freed_memory() == 1 }
}

extension Kernels {
  /// An array of `count` floats whose contents are unspecified, for an output that a
  /// kernel overwrites completely before anything reads it (a GEMM with beta = 0): it
  /// skips the zero-fill, and with it a pass over memory the other threads would then
  /// have to fetch from this core's cache.
  static func outputArray(count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
  }
}
