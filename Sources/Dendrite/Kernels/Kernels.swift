/// The numerical kernels: the only place in Dendrite that touches unsafe pointers.
///
/// Everything above this layer works on `[Float]` and shapes; the kernels take arrays and
/// sizes and return arrays, so a faster backend (SIMD, threads, BLAS) can replace one entry
/// point at a time without changing any caller.
enum Kernels {}
