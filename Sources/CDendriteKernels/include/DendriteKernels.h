// SGEMM micro-kernels for Dendrite's GEMM (Sources/Dendrite/Kernels/GEMM.swift).
//
// The Swift code packs the operands and runs the loop nest; these functions only
// compute one register tile, for the instruction sets the default x86-64 Swift
// target does not use (it emits SSE2). Each is compiled for its own ISA with a
// per-function target attribute and must only be called when
// dendrite_sgemm_isa() reports that ISA.
//
// Packed layout, for a tile of MR rows and NR columns:
//   a: kc steps of MR floats (column p of the A micro-panel), contiguous
//   b: kc steps of NR floats (row p of the B micro-panel), contiguous
// The kernel stores C[i][j] = alpha * sum_p a[p*MR+i] * b[p*NR+j] + beta * C[i][j]
// for the full MR×NR tile at c (row stride ldc); beta == 0 never reads C.

#ifndef DENDRITE_KERNELS_H
#define DENDRITE_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The widest micro-kernel this CPU (and OS) supports:
/// 0 = none (use the Swift kernel), 1 = AVX2 + FMA, 2 = AVX-512F.
int dendrite_sgemm_isa(void);

/// Tile sizes of the kernels below.
enum {
  DENDRITE_AVX2_MR = 6, DENDRITE_AVX2_NR = 16,
  DENDRITE_AVX512_MR = 12, DENDRITE_AVX512_NR = 32,
};

/// 6×16 tile with AVX2 + FMA (requires dendrite_sgemm_isa() >= 1).
void dendrite_sgemm_avx2(ptrdiff_t kc, const float *_Nonnull a, const float *_Nonnull b,
                         float *_Nonnull c, ptrdiff_t ldc, float alpha, float beta);

/// 12×32 tile with AVX-512F (requires dendrite_sgemm_isa() >= 2).
void dendrite_sgemm_avx512(ptrdiff_t kc, const float *_Nonnull a, const float *_Nonnull b,
                           float *_Nonnull c, ptrdiff_t ldc, float alpha, float beta);

/// A partial tile of the AVX-512 kernel: rows <= 12 rows and cols <= 32 columns of C,
/// rounding exactly like the full tile (requires dendrite_sgemm_isa() >= 2).
void dendrite_sgemm_avx512_edge(ptrdiff_t kc, const float *_Nonnull a, const float *_Nonnull b,
                                float *_Nonnull c, ptrdiff_t ldc, float alpha, float beta,
                                ptrdiff_t rows, ptrdiff_t cols);

/// Packs a kc-step micro-panel of R values per step (requires dendrite_sgemm_isa() >= 1):
/// dst[p*R + i] = src[i*rs + p*cs] for i < rows, 0 for rows <= i < R, p < kc.
/// rows <= R. With cs == 1 (the values of one step are strided, e.g. row-major A) it
/// transposes 8×8 / 4×4 blocks in registers instead of scattering single floats.
void dendrite_pack_avx2(const float *_Nonnull src, ptrdiff_t rs, ptrdiff_t cs, ptrdiff_t rows,
                        ptrdiff_t kc, ptrdiff_t R, float *_Nonnull dst);

/// Packs ceil(cols/R) consecutive panels from rows of contiguous values (requires
/// dendrite_sgemm_isa() >= 1): dst[q*R*kc + p*R + i] = src[p*cs + q*R + i] for
/// q*R + i < cols, 0 past cols, p < kc.
void dendrite_pack_rows_avx2(const float *_Nonnull src, ptrdiff_t cs, ptrdiff_t cols, ptrdiff_t kc,
                             ptrdiff_t R, float *_Nonnull dst);

/// Adam's update (Sources/Dendrite/Kernels/OptimizerKernels.swift) on the first
/// ⌊n/16⌋·16 elements with AVX-512F, sixteen lanes at a time, with exactly the scalar
/// formula's operations in its order (no fused multiply-add), so every element rounds as
/// the Swift loop would; returns how many elements it updated (requires
/// dendrite_sgemm_isa() >= 2):
///   g' = l2 == 0 ? g : g + l2·w;  m = β₁m + (1 − β₁)g';  v = β₂v + (1 − β₂)g'g'
///   w = w − stepSize·(m / (√v / rootCorrection2 + ε))
ptrdiff_t dendrite_adam_avx512(ptrdiff_t n, float *_Nonnull w, const float *_Nonnull g, float *_Nonnull m,
                               float *_Nonnull v, float beta1, float beta2, float epsilon, float l2,
                               float stepSize, float rootCorrection2);

/// Scratch memory of the calling thread, 64-byte aligned, at least `floats` floats:
/// kept and reused by later calls on the same thread (grown when too small), freed
/// when the thread exits. Contents are undefined. NULL only if allocation fails.
float *_Nullable dendrite_thread_scratch(size_t floats);

// MARK: Helpers for the worker pool (Sources/Dendrite/Kernels/ThreadPool.swift):
// atomics on a ptrdiff_t (Swift Int) without the Synchronization module, whose Atomic
// needs macOS 15 while the package supports macOS 14.

static inline ptrdiff_t dendrite_atomic_load(const ptrdiff_t *_Nonnull p) {
  return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void dendrite_atomic_store(ptrdiff_t *_Nonnull p, ptrdiff_t v) {
  __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
/// Adds v and returns the old value (acquire-release).
static inline ptrdiff_t dendrite_atomic_fetch_add(ptrdiff_t *_Nonnull p, ptrdiff_t v) {
  return __atomic_fetch_add(p, v, __ATOMIC_ACQ_REL);
}
/// A spin-wait hint (x86 PAUSE, arm64 YIELD).
static inline void dendrite_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}
/// Monotonic clock in nanoseconds.
unsigned long long dendrite_now_ns(void);

/// Makes glibc's malloc keep freed memory for reuse: blocks up to 32 MiB from the heap,
/// and the heap trimmed only when over 1 GiB of it is free. Returns 1 when set, 0 where
/// there is no such setting (not glibc).
int dendrite_keep_freed_memory(void);

#ifdef __cplusplus
}
#endif

#endif
