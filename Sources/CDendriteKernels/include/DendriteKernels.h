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

#ifdef __cplusplus
}
#endif

#endif
