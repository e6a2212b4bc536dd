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

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

unsigned long long dendrite_now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

int dendrite_keep_freed_memory(void) {
#if defined(__GLIBC__)
  return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
#else
  return 0;
#endif
}

// Per-thread scratch: one block per thread, found through a pthread key (whose
// destructor frees it at thread exit), so GEMM's packing buffers are allocated once
// per thread instead of once per call.
typedef struct {
  size_t capacity;  // floats
  float *data;
} scratch_t;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p) {
  scratch_t *s = p;
  free(s->data);
  free(s);
}

static void scratch_make_key(void) { pthread_key_create(&scratch_key, scratch_free); }

float *dendrite_thread_scratch(size_t floats) {
  pthread_once(&scratch_once, scratch_make_key);
  scratch_t *s = pthread_getspecific(scratch_key);
  if (s && s->capacity >= floats) return s->data;
  if (!s) {
    s = calloc(1, sizeof *s);
    if (!s) return NULL;
    pthread_setspecific(scratch_key, s);
  }
  free(s->data);
  s->data = NULL;
  s->capacity = 0;
  // Grow geometrically so a sequence of slightly larger products does not reallocate
  // each time; round to whole 64-byte lines.
  size_t want = floats + floats / 4;
  want = (want + 15) / 16 * 16;
  void *p = NULL;
  if (posix_memalign(&p, 64, want * sizeof(float)) != 0) return NULL;
  s->data = p;
  s->capacity = want;
  return s->data;
}

#if defined(__x86_64__)

#include <immintrin.h>

int dendrite_sgemm_isa(void) {
  // __builtin_cpu_supports also checks that the OS saves the wide registers.
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return 2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
  return 0;
}

// Asks for the C tile's cache lines (rows × cols floats, row stride ldc) at the start
// of a micro-kernel, so that they arrive while the k loop runs instead of stalling the
// final loads and stores. When C is larger than L2 (1024×1024 is 4 MiB) every tile's
// lines come from L3 or memory; without the prefetch each tile would wait for them
// after its k loop.
__attribute__((always_inline))
static inline void prefetch_tile(const float *c, ptrdiff_t ldc, int rows, int cols) {
  for (int i = 0; i < rows; i++) {
    const float *row = c + i * ldc;
    for (int j = 0; j < cols; j += 16) _mm_prefetch((const char *)(row + j), _MM_HINT_T0);
    _mm_prefetch((const char *)(row + cols - 1), _MM_HINT_T0);
  }
}

#define MR2 DENDRITE_AVX2_MR

__attribute__((target("avx2,fma")))
void dendrite_sgemm_avx2(ptrdiff_t kc, const float *a, const float *b,
                         float *c, ptrdiff_t ldc, float alpha, float beta) {
  __m256 acc[MR2][2];
  prefetch_tile(c, ldc, MR2, DENDRITE_AVX2_NR);
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

// 8 rows × 8 steps of src (row stride rs, steps contiguous) -> 8 steps of 8 values at
// dst (step stride R): the classic unpack / shuffle / permute2f128 transpose.
__attribute__((target("avx2,fma"), always_inline))
static inline void transpose8x8(const float *src, ptrdiff_t rs, float *dst, ptrdiff_t R) {
  __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + rs);
  __m256 r2 = _mm256_loadu_ps(src + 2 * rs), r3 = _mm256_loadu_ps(src + 3 * rs);
  __m256 r4 = _mm256_loadu_ps(src + 4 * rs), r5 = _mm256_loadu_ps(src + 5 * rs);
  __m256 r6 = _mm256_loadu_ps(src + 6 * rs), r7 = _mm256_loadu_ps(src + 7 * rs);
  __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
  __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
  __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  __m256 u0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
  __m256 u1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
  __m256 u2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
  __m256 u3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
  __m256 u4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));
  __m256 u5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
  __m256 u6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
  __m256 u7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
  _mm256_storeu_ps(dst + 0 * R, _mm256_permute2f128_ps(u0, u4, 0x20));
  _mm256_storeu_ps(dst + 1 * R, _mm256_permute2f128_ps(u1, u5, 0x20));
  _mm256_storeu_ps(dst + 2 * R, _mm256_permute2f128_ps(u2, u6, 0x20));
  _mm256_storeu_ps(dst + 3 * R, _mm256_permute2f128_ps(u3, u7, 0x20));
  _mm256_storeu_ps(dst + 4 * R, _mm256_permute2f128_ps(u0, u4, 0x31));
  _mm256_storeu_ps(dst + 5 * R, _mm256_permute2f128_ps(u1, u5, 0x31));
  _mm256_storeu_ps(dst + 6 * R, _mm256_permute2f128_ps(u2, u6, 0x31));
  _mm256_storeu_ps(dst + 7 * R, _mm256_permute2f128_ps(u3, u7, 0x31));
}

// 4 rows × 8 steps, as two 4×4 SSE transposes.
__attribute__((target("avx2,fma"), always_inline))
static inline void transpose4x8(const float *src, ptrdiff_t rs, float *dst, ptrdiff_t R) {
  for (int h = 0; h < 8; h += 4) {
    __m128 r0 = _mm_loadu_ps(src + h), r1 = _mm_loadu_ps(src + rs + h);
    __m128 r2 = _mm_loadu_ps(src + 2 * rs + h), r3 = _mm_loadu_ps(src + 3 * rs + h);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(dst + (h + 0) * R, r0);
    _mm_storeu_ps(dst + (h + 1) * R, r1);
    _mm_storeu_ps(dst + (h + 2) * R, r2);
    _mm_storeu_ps(dst + (h + 3) * R, r3);
  }
}

__attribute__((target("avx2,fma")))
void dendrite_pack_avx2(const float *src, ptrdiff_t rs, ptrdiff_t cs, ptrdiff_t rows,
                        ptrdiff_t kc, ptrdiff_t R, float *dst) {
  if (cs == 1 && rs != 1) {
    // Each row's steps are contiguous: transpose blocks of 8 steps in registers.
    ptrdiff_t p = 0;
    for (; p + 8 <= kc; p += 8) {
      ptrdiff_t i = 0;
      for (; i + 8 <= rows; i += 8) transpose8x8(src + i * rs + p, rs, dst + p * R + i, R);
      for (; i + 4 <= rows; i += 4) transpose4x8(src + i * rs + p, rs, dst + p * R + i, R);
      for (; i < rows; i++)
        for (int q = 0; q < 8; q++) dst[(p + q) * R + i] = src[i * rs + p + q];
    }
    for (; p < kc; p++)
      for (ptrdiff_t i = 0; i < rows; i++) dst[p * R + i] = src[i * rs + p];
  } else {
    // The values of one step are rs apart (contiguous when rs == 1): a copy per step.
    for (ptrdiff_t p = 0; p < kc; p++) {
      const float *restrict s = src + p * cs;
      float *restrict d = dst + p * R;
      if (rs == 1) {
        for (ptrdiff_t i = 0; i < rows; i++) d[i] = s[i];
      } else {
        for (ptrdiff_t i = 0; i < rows; i++) d[i] = s[i * rs];
      }
    }
  }
  if (rows < R)
    for (ptrdiff_t p = 0; p < kc; p++)
      for (ptrdiff_t i = rows; i < R; i++) dst[p * R + i] = 0;
}

// Packs whole rows of `cols` contiguous values (untransposed B, transposed A) into
// ceil(cols/R) consecutive R-wide panels of kc steps: step p of panel q is
// src[p*cs + q*R ...]. Reading each source row once from left to right keeps the reads
// sequential; packing panel by panel instead would read 128 bytes per 1 KiB row
// stride, which the hardware prefetchers handle poorly.
__attribute__((target("avx2,fma"), always_inline))
static inline void pack_rows_r(const int R, const float *src, ptrdiff_t cs, ptrdiff_t cols,
                               ptrdiff_t kc, float *dst) {
  const ptrdiff_t full = cols / R, rest = cols - full * R;
  for (ptrdiff_t p = 0; p < kc; p++) {
    const float *s = src + p * cs;
    float *d = dst + p * R;
    // memcpy of a constant size: vector moves (a plain loop stays scalar, since
    // the compiler cannot rule out that d and s overlap).
    for (ptrdiff_t q = 0; q < full; q++, s += R, d += R * kc) __builtin_memcpy(d, s, R * sizeof(float));
    if (rest) {
      for (ptrdiff_t i = 0; i < rest; i++) d[i] = s[i];
      for (ptrdiff_t i = rest; i < R; i++) d[i] = 0;
    }
  }
}

__attribute__((target("avx2,fma")))
void dendrite_pack_rows_avx2(const float *src, ptrdiff_t cs, ptrdiff_t cols, ptrdiff_t kc, ptrdiff_t R,
                             float *dst) {
  switch (R) {
    case 32: pack_rows_r(32, src, cs, cols, kc, dst); break;
    case 16: pack_rows_r(16, src, cs, cols, kc, dst); break;
    case 12: pack_rows_r(12, src, cs, cols, kc, dst); break;
    case 6: pack_rows_r(6, src, cs, cols, kc, dst); break;
    default:
      for (ptrdiff_t q = 0; q * R < cols; q++) {
        const ptrdiff_t n = cols - q * R < R ? cols - q * R : R;
        dendrite_pack_avx2(src + q * R, 1, cs, n, kc, R, dst + q * R * kc);
      }
  }
}

#define MR5 DENDRITE_AVX512_MR

// The twelve rows' 2 × 16 accumulators are named registers (ROW12 expands a statement
// once per row) rather than an array: with an array, clang zeroes it with a memset on
// the stack and spills it around the k loop.
#define ROW12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

__attribute__((target("avx512f")))
void dendrite_sgemm_avx512(ptrdiff_t kc, const float *a, const float *b,
                           float *c, ptrdiff_t ldc, float alpha, float beta) {
  _Static_assert(MR5 == 12, "ROW12 spells out 12 rows");
  prefetch_tile(c, ldc, MR5, DENDRITE_AVX512_NR);
#define ZERO(i) __m512 c##i##0 = _mm512_setzero_ps(), c##i##1 = _mm512_setzero_ps();
  ROW12(ZERO)
#undef ZERO
  for (ptrdiff_t p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
#define FMA(i)                                        \
    {                                                 \
      const __m512 x = _mm512_set1_ps(a[i]);          \
      c##i##0 = _mm512_fmadd_ps(x, b0, c##i##0);      \
      c##i##1 = _mm512_fmadd_ps(x, b1, c##i##1);      \
    }
    ROW12(FMA)
#undef FMA
    a += MR5;
    b += DENDRITE_AVX512_NR;
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  if (beta != 0) {
#define STORE(i)                                                                              \
    _mm512_storeu_ps(c + i * ldc, _mm512_fmadd_ps(_mm512_loadu_ps(c + i * ldc), vb,           \
                                                  _mm512_mul_ps(c##i##0, va)));               \
    _mm512_storeu_ps(c + i * ldc + 16, _mm512_fmadd_ps(_mm512_loadu_ps(c + i * ldc + 16), vb, \
                                                       _mm512_mul_ps(c##i##1, va)));
    ROW12(STORE)
#undef STORE
  } else {
#define STORE(i)                                                    \
    _mm512_storeu_ps(c + i * ldc, _mm512_mul_ps(c##i##0, va));      \
    _mm512_storeu_ps(c + i * ldc + 16, _mm512_mul_ps(c##i##1, va));
    ROW12(STORE)
#undef STORE
  }
}

// Edge tiles (rows < MR or cols < NR) of the AVX-512 kernel: the same arithmetic as
// dendrite_sgemm_avx512 (so a value of C rounds identically wherever the tile edges
// fall, and results do not depend on how C is split across threads), on only the
// rows and 16-column vectors that exist, with masked loads and stores of C. ROWS and
// NV are constants after inlining, so the loops unroll as in the full kernel. Computing
// the full 12×32 tile into a buffer and merging it would waste the FMAs of the missing
// rows and columns (most of them for n = 10, one 32-wide panel) and add a scalar merge.
__attribute__((target("avx512f"), always_inline))
static inline void edge512(const int ROWS, const int NV, ptrdiff_t kc, const float *a, const float *b,
                           float *c, ptrdiff_t ldc, float alpha, float beta, __mmask16 m0, __mmask16 m1) {
  __m512 acc[MR5][2];
  prefetch_tile(c, ldc, ROWS, NV * 16);
  for (int i = 0; i < ROWS; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (ptrdiff_t p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_loadu_ps(b);
    const __m512 b1 = NV > 1 ? _mm512_loadu_ps(b + 16) : b0;
    for (int i = 0; i < ROWS; i++) {
      const __m512 x = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(x, b0, acc[i][0]);
      if (NV > 1) acc[i][1] = _mm512_fmadd_ps(x, b1, acc[i][1]);
    }
    a += MR5;
    b += DENDRITE_AVX512_NR;
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  for (int i = 0; i < ROWS; i++) {
    float *row = c + i * ldc;
    for (int h = 0; h < NV; h++) {
      const __mmask16 m = h == 0 ? m0 : m1;
      __m512 v = _mm512_mul_ps(acc[i][h], va);
      if (beta != 0) v = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, row + 16 * h), vb, v);
      _mm512_mask_storeu_ps(row + 16 * h, m, v);
    }
  }
}

#define EDGE_CASE(R)                                                          \
  case R:                                                                     \
    if (nv == 1) edge512(R, 1, kc, a, b, c, ldc, alpha, beta, m0, m1);        \
    else edge512(R, 2, kc, a, b, c, ldc, alpha, beta, m0, m1);                \
    break;

__attribute__((target("avx512f")))
void dendrite_sgemm_avx512_edge(ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc,
                                float alpha, float beta, ptrdiff_t rows, ptrdiff_t cols) {
  const int nv = cols > 16 ? 2 : 1;
  const __mmask16 m0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
  const __mmask16 m1 = cols >= 32 ? 0xFFFF : cols > 16 ? (__mmask16)((1u << (cols - 16)) - 1) : 0;
  switch (rows) {
    EDGE_CASE(1) EDGE_CASE(2) EDGE_CASE(3) EDGE_CASE(4) EDGE_CASE(5) EDGE_CASE(6)
    EDGE_CASE(7) EDGE_CASE(8) EDGE_CASE(9) EDGE_CASE(10) EDGE_CASE(11) EDGE_CASE(12)
    default: break;
  }
}

__attribute__((target("avx512f")))
ptrdiff_t dendrite_adam_avx512(ptrdiff_t n, float *w, const float *g, float *m, float *v, float beta1,
                               float beta2, float epsilon, float l2, float stepSize, float rootCorrection2) {
#pragma clang fp contract(off)
  const __m512 b1 = _mm512_set1_ps(beta1), c1 = _mm512_set1_ps(1 - beta1);
  const __m512 b2 = _mm512_set1_ps(beta2), c2 = _mm512_set1_ps(1 - beta2);
  const __m512 decay = _mm512_set1_ps(l2), size = _mm512_set1_ps(stepSize);
  const __m512 root = _mm512_set1_ps(rootCorrection2), eps = _mm512_set1_ps(epsilon);
  ptrdiff_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 wi = _mm512_loadu_ps(w + i);
    __m512 gi = _mm512_loadu_ps(g + i);
    if (l2 != 0) gi = _mm512_add_ps(gi, _mm512_mul_ps(decay, wi));
    const __m512 mi = _mm512_add_ps(_mm512_mul_ps(b1, _mm512_loadu_ps(m + i)), _mm512_mul_ps(c1, gi));
    const __m512 vi = _mm512_add_ps(_mm512_mul_ps(b2, _mm512_loadu_ps(v + i)), _mm512_mul_ps(_mm512_mul_ps(c2, gi), gi));
    _mm512_storeu_ps(m + i, mi);
    _mm512_storeu_ps(v + i, vi);
    const __m512 denominator = _mm512_add_ps(_mm512_div_ps(_mm512_sqrt_ps(vi), root), eps);
    _mm512_storeu_ps(w + i, _mm512_sub_ps(wi, _mm512_mul_ps(size, _mm512_div_ps(mi, denominator))));
  }
  return i;
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

void dendrite_pack_avx2(const float *src, ptrdiff_t rs, ptrdiff_t cs, ptrdiff_t rows,
                        ptrdiff_t kc, ptrdiff_t R, float *dst) {
  __builtin_trap();
}

void dendrite_sgemm_avx512_edge(ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc,
                                float alpha, float beta, ptrdiff_t rows, ptrdiff_t cols) {
  __builtin_trap();
}

void dendrite_pack_rows_avx2(const float *src, ptrdiff_t cs, ptrdiff_t cols, ptrdiff_t kc, ptrdiff_t R,
                             float *dst) {
  __builtin_trap();
}

ptrdiff_t dendrite_adam_avx512(ptrdiff_t n, float *w, const float *g, float *m, float *v, float beta1,
                               float beta2, float epsilon, float l2, float stepSize, float rootCorrection2) {
  return 0;  // the Swift loop does it all
}

#endif
