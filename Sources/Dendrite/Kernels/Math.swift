#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Scalar math shared by the kernels and the elementwise ops: the C library's functions
/// under names that do not collide with the tensor-valued ones.
enum ScalarMath {
  @inline(__always) static func exp(_ x: Float) -> Float { expf(x) }
  @inline(__always) static func log(_ x: Float) -> Float { logf(x) }
  @inline(__always) static func log1p(_ x: Float) -> Float { log1pf(x) }
  @inline(__always) static func tanh(_ x: Float) -> Float { tanhf(x) }
  @inline(__always) static func erfc(_ x: Float) -> Float { erfcf(x) }
}
