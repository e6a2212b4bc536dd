// SGEMM micro-kernels, see include/DendriteKernels.h for the packed layout.
//
// Register tiles (accumulators stay in registers for the whole kc loop):
//   AVX2:    6 rows × 16 columns = 12 YMM accumulators + 2 B vectors + 1 broadcast (of 16)
//   AVX-512: 12 rows × 32 columns = 24 ZMM accumulators + 2 B vectors + broadcasts (of 32)
// Every step of k loads one row of B (NR floats), broadcasts MR values of A and
// issues MR·NR/W independent FMAs, enough to keep both FMA ports busy.
// The loops over rows have constant trip counts, so the compiler unrolls them and
// keeps the accumulator arrays in registers.

#include "DendriteKernels.h"

#if defined(__x86_64__)

#include <immintrin.h>

int dendrite_sgemm_isa(void) {
  // __builtin_cpu_supports also checks that the OS saves the wide registers.
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return 2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
  return 0;
}

#define MR2 DENDRITE_AVX2_MR

__attribute__((target("avx2,fma")))
void dendrite_sgemm_avx2(ptrdiff_t kc, const float *a, const float *b,
                         float *c, ptrdiff_t ldc, float alpha, float beta) {
  __m256 acc[MR2][2];
  for (int i = 0; i < MR2; i++) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  for (ptrdiff_t p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    for (int i = 0; i < MR2; i++) {
      const __m256 x = _mm256_broadcast_ss(a + i);
      acc[i][0] = _mm256_fmadd_ps(x, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(x, b1, acc[i][1]);
    }
    a += MR2;
    b += DENDRITE_AVX2_NR;
  }
  const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  for (int i = 0; i < MR2; i++) {
    float *row = c + i * ldc;
    for (int h = 0; h < 2; h++) {
      __m256 v = _mm256_mul_ps(acc[i][h], va);
      if (beta != 0) v = _mm256_fmadd_ps(_mm256_loadu_ps(row + 8 * h), vb, v);
      _mm256_storeu_ps(row + 8 * h, v);
    }
  }
}

#define MR5 DENDRITE_AVX512_MR

__attribute__((target("avx512f")))
void dendrite_sgemm_avx512(ptrdiff_t kc, const float *a, const float *b,
                           float *c, ptrdiff_t ldc, float alpha, float beta) {
  __m512 acc[MR5][2];
  for (int i = 0; i < MR5; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (ptrdiff_t p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
    for (int i = 0; i < MR5; i++) {
      const __m512 x = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(x, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(x, b1, acc[i][1]);
    }
    a += MR5;
    b += DENDRITE_AVX512_NR;
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  for (int i = 0; i < MR5; i++) {
    float *row = c + i * ldc;
    for (int h = 0; h < 2; h++) {
      __m512 v = _mm512_mul_ps(acc[i][h], va);
      if (beta != 0) v = _mm512_fmadd_ps(_mm512_loadu_ps(row + 16 * h), vb, v);
      _mm512_storeu_ps(row + 16 * h, v);
    }
  }
}

#else  // not x86-64: the Swift kernel is used (FMA and NEON are baseline on arm64)

int dendrite_sgemm_isa(void) { return 0; }

void dendrite_sgemm_avx2(ptrdiff_t kc, const float *a, const float *b,
                         float *c, ptrdiff_t ldc, float alpha, float beta) {
  __builtin_trap();
}

void dendrite_sgemm_avx512(ptrdiff_t kc, const float *a, const float *b,
                           float *c, ptrdiff_t ldc, float alpha, float beta) {
  __builtin_trap();
}

#endif
