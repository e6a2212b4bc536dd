// Single-precision GEMM: cache-blocked, packed panels, register-tiled micro-kernels.
// On x86-64 the micro-kernel is chosen at run time: AVX-512F (12×32 tile) or AVX2+FMA
// (6×16) from the CDendriteKernels C target, else the portable Swift 6×8 SIMD4 kernel
// (SSE2 on the default x86-64 target; the only kernel on other architectures, where
// FMA and NEON are baseline). The packing and loop nest below are shared.
// `enum Kernels` is declared in Kernels.swift.

import CDendriteKernels

extension Kernels {
  // MARK: Kernel selection

  /// The micro-kernels, in increasing order of speed.
  enum GEMMKernel: Int, Comparable, CaseIterable, Sendable {
    /// Portable Swift, 6×8 tile of `SIMD4<Float>`.
    case swift
    /// C with AVX2 + FMA, 6×16 tile (x86-64).
    case avx2
    /// C with AVX-512F, 12×32 tile (x86-64).
    case avx512

    static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
  }

  /// The fastest micro-kernel this CPU and OS support, detected once.
  static let gemmKernel: GEMMKernel = {
    switch dendrite_sgemm_isa() {
    case 2: .avx512
    case 1: .avx2
    default: .swift
    }
  }()

  /// Register tile and cache blocking of one micro-kernel (sizes in elements).
  private struct Blocking {
    /// Rows × columns of the register tile.
    let mr: Int, nr: Int
    /// Maximum depth of a rank-KC update, rows of the packed A block, columns of the B panel.
    let kc: Int, mc: Int, nc: Int
    /// Copies of each A value in the packed panel: the Swift kernel loads A values
    /// pre-splatted to `SIMD4` (4); the C kernels broadcast them from memory (1).
    let splat: Int
  }

  private static func blocking(_ kernel: GEMMKernel) -> Blocking {
    switch kernel {
    case .swift: Blocking(mr: gemmMR, nr: gemmNR, kc: gemmKC, mc: gemmMC, nc: gemmNC, splat: 4)
    // KC·NR·4 B = 16 KiB (AVX2) / 32 KiB (AVX-512) micro-panel of B stays in the 48 KiB L1;
    // the MC×KC block of A (144 / 192 KiB) in L2.
    case .avx2: Blocking(mr: Int(DENDRITE_AVX2_MR), nr: Int(DENDRITE_AVX2_NR), kc: 256, mc: 144, nc: gemmNC, splat: 1)
    case .avx512: Blocking(mr: Int(DENDRITE_AVX512_MR), nr: Int(DENDRITE_AVX512_NR), kc: 256, mc: 192, nc: gemmNC, splat: 1)
    }
  }

  // MARK: Blocking parameters
  //
  // With several threads, C is first split into one block of whole rows or whole
  // columns per thread (`partition`), and each thread runs this Goto/BLIS loop nest on
  // its block alone (sizes in elements):
  //
  //   for jc in 0..<n step NC                 B column panel
  //     for pc in 0..<k step KC               rank-KC update (first one applies beta)
  //       pack op(B)[pc..+KC, jc..+NC]        -> packedB, NR-wide micro-panels
  //       for ic in 0..<m step MC             A row block
  //         pack op(A)[ic..+MC, pc..+KC]      -> packedA, MR-tall micro-panels
  //         for jr in 0..<NC step NR          B micro-panel, stays in L1
  //           for ir in 0..<MC step MR        A micro-panel, streamed from L2
  //             micro-kernel: C[MR×NR] = alpha·Ã·B̃ + beta·C
  //
  // Blocks are balanced (k = 784 runs as 4 × 196, not 3 × 256 + 16), so the limits
  // are maxima. The constants below are the Swift kernel's; `blocking(_:)` gives the
  // C kernels'. Without FMA the x86-64 SSE2 micro-kernel is bound by its 12 mulps +
  // 12 addps per step of k, not by memory, so the sizes are not critical: any KC in
  // 192…512 and MC in 48…240 does about as well.

  /// Rows of the register tile. Each row keeps NR = 8 accumulators in two
  /// `SIMD4<Float>` (XMM) registers, so 6 rows use 12 of the 16 XMM registers;
  /// the other four hold the B row (two), the A value and a product temporary.
  @inline(__always) private static var gemmMR: Int { 6 }
  /// Columns of the register tile: one packed B row, two `SIMD4<Float>` loads.
  @inline(__always) private static var gemmNR: Int { 8 }
  /// Depth of a rank-KC update. The KC×NR micro-panel of B (8 KiB) stays in L1
  /// while the micro-kernel sweeps all MC/MR micro-panels of A past it.
  @inline(__always) private static var gemmKC: Int { 256 }
  /// Rows of the packed A block, a multiple of MR. A is packed with every value
  /// splatted to a `SIMD4` (16 bytes), so the block is MC·KC·16 B = 480 KiB: it
  /// stays in L2 (1-2 MiB) and is reused for every NR-wide micro-panel of B.
  @inline(__always) private static var gemmMC: Int { 120 }
  /// Columns of the packed B panel, a multiple of NR: KC·NC·4 B = 4 MiB at most,
  /// for L3. The library's layer shapes have n ≤ NC, so B is packed once per KC block.
  @inline(__always) private static var gemmNC: Int { 4096 }

  /// C[m×n] = alpha · op(A) · op(B) + beta · C, row-major.
  /// op(A) is A [m×k] (row-major, leading dimension lda) or, with transposeA, Aᵀ where A is stored [k×m].
  /// op(B) is B [k×n] or, with transposeB, Bᵀ where B is stored [n×k].
  /// beta == 0 ignores C's old contents (NaN included); k == 0 or alpha == 0 gives
  /// C = beta · C without reading A or B (as BLAS does). Elements of C past column n
  /// in each row (ldc > n) are left untouched.
  static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                   alpha: Float, a: [Float], lda: Int, b: [Float], ldb: Int,
                   beta: Float, c: inout [Float], ldc: Int) {
    if blasGEMM(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc) { return }  // BLASBackend.swift
    if isSmallProduct(m: m, n: n, k: k) {  // SmallGEMM.swift: too small to repay packing
      smallGEMM(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc)
      return
    }
    gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
         a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc, kernel: gemmKernel)
  }

  /// Products with at least this many multiply-adds (m·n·k) split C across
  /// `threadCount` threads; smaller ones run on the calling thread. At this size,
  /// handing half to a spinning worker costs a small fraction of the product, and if
  /// the worker is parked the caller claims both halves itself, so splitting never
  /// costs much more than running alone. Below it, the hand-off is no longer small
  /// against the product's own time. (The MLP's products are either ≥ 4.2M or ≤ 164K
  /// multiply-adds: the large ones split, the small ones run alone.)
  static let gemmParallelWork = 1_000_000

  /// `gemm` with a given micro-kernel, which this CPU must support (`kernel <= gemmKernel`),
  /// and at most `threads` threads; tests use it to check every kernel, the Swift
  /// fallback included. The result does not depend on the number of threads: each
  /// element of C is computed by one thread, over the same KC blocks of k (which do
  /// not depend on the split), and edge tiles round exactly like full ones.
  static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                   alpha: Float, a: [Float], lda: Int, b: [Float], ldb: Int,
                   beta: Float, c: inout [Float], ldc: Int, kernel: GEMMKernel,
                   threads: Int = threadCount) {
    precondition(kernel <= gemmKernel, "gemm: kernel \(kernel) is not supported on this CPU")
    checkOperands(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                  a: a.count, lda: lda, b: b.count, ldb: ldb, c: c.count, ldc: ldc)
    if m == 0 || n == 0 { return }

    c.withUnsafeMutableBufferPointer { cBuf in
      let pc = cBuf.baseAddress!
      if k == 0 || alpha == 0 {
        scale(pc, m: m, n: n, ldc: ldc, beta: beta)
        return
      }
      a.withUnsafeBufferPointer { aBuf in
        b.withUnsafeBufferPointer { bBuf in
          let opA = Strided(base: aBuf.baseAddress!, row: transposeA ? 1 : lda, col: transposeA ? lda : 1)
          let opB = Strided(base: bBuf.baseAddress!, row: transposeB ? 1 : ldb, col: transposeB ? ldb : 1)
          let work = m.multipliedReportingOverflow(by: n).partialValue.multipliedReportingOverflow(by: k)
          let parallel = work.overflow || work.partialValue >= gemmParallelWork
          blocked(m: m, n: n, k: k, alpha: alpha, a: opA, b: opB, beta: beta, c: pc, ldc: ldc,
                  kernel: kernel, threads: parallel ? max(1, threads) : 1)
        }
      }
    }
  }

  /// Checks the sizes of a product's operands (counts of A, B and C's elements), as every
  /// GEMM entry point does before it touches memory.
  static func checkOperands(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            a: Int, lda: Int, b: Int, ldb: Int, c: Int, ldc: Int) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative dimension")
    checkOperand(a, rows: transposeA ? k : m, cols: transposeA ? m : k, ld: lda, "A")
    checkOperand(b, rows: transposeB ? n : k, cols: transposeB ? k : n, ld: ldb, "B")
    checkOperand(c, rows: m, cols: n, ld: ldc, "C")
  }

  /// Checks that a row-major `rows`×`cols` matrix with leading dimension `ld` fits in `count` elements.
  private static func checkOperand(_ count: Int, rows: Int, cols: Int, ld: Int, _ name: StaticString) {
    precondition(ld >= max(1, cols), "gemm: leading dimension of \(name) is smaller than its rows")
    if rows > 0 && cols > 0 {
      precondition((rows - 1) * ld + cols <= count, "gemm: \(name) has too few elements")
    }
  }

  /// A read-only view of op(X): element (r, c) is at `base[r * row + c * col]`.
  private struct Strided {
    let base: UnsafePointer<Float>
    let row: Int
    let col: Int

    /// The view starting at row r / column c.
    func offset(rows r: Int) -> Strided { Strided(base: base + r * row, row: row, col: col) }
    func offset(cols c: Int) -> Strided { Strided(base: base + c * col, row: row, col: col) }
  }

  /// C = beta · C; C = 0 when beta == 0, whatever C held.
  private static func scale(_ c: UnsafeMutablePointer<Float>, m: Int, n: Int, ldc: Int, beta: Float) {
    if beta == 1 { return }
    for i in 0..<m {
      let row = c + i * ldc
      if beta == 0 {
        row.update(repeating: 0, count: n)
      } else {
        for j in 0..<n { row[j] *= beta }
      }
    }
  }

  // MARK: Loop nest

  /// Splits C into at most `threads` disjoint blocks and computes each completely (all
  /// its rank-KC updates) on one thread, with that thread's own packed copies of the
  /// A rows and B columns it needs: one pool job per call, no synchronisation between
  /// KC blocks. The operand both halves need is packed twice, which costs far less than
  /// synchronising the threads between KC blocks would: each synchronisation is a
  /// wake-up that takes a noticeable share of products as short as the MLP's.
  private static func blocked(m: Int, n: Int, k: Int, alpha: Float, a: Strided, b: Strided,
                              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, kernel: GEMMKernel,
                              threads: Int) {
    let blk = blocking(kernel)
    let split = partition(m: m, n: n, k: k, blk: blk, threads: threads)
    let part = { (block: Int) in
      let (i0, i1, j0, j1) = split.block(block, m: m, n: n)
      if i0 >= i1 || j0 >= j1 { return }
      blockOfC(m: i1 - i0, n: j1 - j0, k: k, alpha: alpha, a: a.offset(rows: i0), b: b.offset(cols: j0),
               beta: beta, c: c + i0 * ldc + j0, ldc: ldc, kernel: kernel, blk: blk)
    }
    if split.parts == 1 {
      part(0)
    } else {
      workerPool.run(tasks: split.parts, participants: split.parts) { _, block in part(block) }
    }
  }

  /// How C is split across threads: `parts` blocks of whole rows (`byRows`, `step`
  /// rows each) or whole columns (`step` columns each); the last may be smaller.
  private struct Split {
    var parts: Int, byRows: Bool, step: Int

    func block(_ i: Int, m: Int, n: Int) -> (Int, Int, Int, Int) {
      byRows ? (min(m, i * step), min(m, (i + 1) * step), 0, n)
             : (0, m, min(n, i * step), min(n, (i + 1) * step))
    }
  }

  /// Chooses row or column blocks (multiples of MR / NR) for `threads` threads by an
  /// estimate of the busiest thread's time: its register tiles (MR·NR·k FMAs each, 32
  /// per cycle with AVX-512) plus the values it packs (~4 per cycle), which include
  /// the whole shared operand. E.g. 128×784×256 (m×k×n) splits n (A, 128×784, is
  /// packed by both threads), 256×128×784 splits m.
  private static func partition(m: Int, n: Int, k: Int, blk: Blocking, threads: Int) -> Split {
    let mPanels = (m + blk.mr - 1) / blk.mr, nPanels = (n + blk.nr - 1) / blk.nr
    let threads = max(1, min(threads, max(mPanels, nPanels)))
    if threads == 1 { return Split(parts: 1, byRows: true, step: m) }
    func cost(rowsSplit: Bool) -> (Double, Split) {
      let panels = rowsSplit ? mPanels : nPanels
      let parts = min(threads, panels)
      let per = (panels + parts - 1) / parts
      let tiles = per * (rowsSplit ? nPanels : mPanels)
      let packed = rowsSplit ? (per * blk.mr + n) * k : (m + per * blk.nr) * k
      let t = Double(tiles * blk.mr * blk.nr) * Double(k) / 32 + Double(packed) / 4
      let split = Split(parts: (panels + per - 1) / per, byRows: rowsSplit, step: per * (rowsSplit ? blk.mr : blk.nr))
      return (t, split)
    }
    let (tm, sm) = cost(rowsSplit: true), (tn, sn) = cost(rowsSplit: false)
    return tn <= tm ? sn : sm
  }

  /// C[m×n] = alpha · op(A)·op(B) + beta · C on the calling thread: the Goto/BLIS loop
  /// nest, packing into this thread's cached scratch memory (no allocation per call
  /// once it has grown to the largest product's size).
  private static func blockOfC(m: Int, n: Int, k: Int, alpha: Float, a: Strided, b: Strided,
                               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, kernel: GEMMKernel,
                               blk: Blocking) {
    let kcb = balanced(k, blk.kc, 1), ncb = balanced(n, blk.nc, blk.nr), mcb = balanced(m, blk.mc, blk.mr)
    // [packedB | packedA | edge tile], each a multiple of 16 floats so that the SIMD
    // loads from packed data are aligned (the scratch block is 64-byte aligned).
    let aFloats = roundUp(blk.splat * mcb * kcb, 16), bFloats = roundUp(kcb * ncb, 16)
    let total = bFloats + aFloats + roundUp(blk.mr * blk.nr, 16)
    guard let scratch = dendrite_thread_scratch(total) else { fatalError("gemm: out of memory") }
    let packedB = scratch, packedA = scratch + bFloats, edge = packedA + aFloats

    for jc in stride(from: 0, to: n, by: ncb) {
      let nc = min(ncb, n - jc)
      for pc in stride(from: 0, to: k, by: kcb) {
        let kc = min(kcb, k - pc)
        // Only the first rank-KC update applies the caller's beta; later ones accumulate.
        let betaBlock: Float = pc == 0 ? beta : 1
        packB(b, p0: pc, j0: jc, kc: kc, nc: nc, nr: blk.nr, kernel: kernel, into: packedB)
        for ic in stride(from: 0, to: m, by: mcb) {
          let mc = min(mcb, m - ic)
          packA(a, i0: ic, p0: pc, mc: mc, kc: kc, mr: blk.mr, splat: blk.splat, kernel: kernel, into: packedA)
          macroKernel(kernel, blk, mc: mc, nc: nc, kc: kc, packedA: packedA, packedB: packedB,
                      c: c + ic * ldc + jc, ldc: ldc, alpha: alpha, beta: betaBlock, edge: edge)
        }
      }
    }
  }

  /// C[mc×nc] = alpha · Ã·B̃ + beta · C for one packed A block and the packed B panel.
  private static func macroKernel(_ kernel: GEMMKernel, _ blk: Blocking, mc: Int, nc: Int, kc: Int,
                                  packedA: UnsafeMutablePointer<Float>, packedB: UnsafeMutablePointer<Float>,
                                  c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float,
                                  edge: UnsafeMutablePointer<Float>) {
    let mr = blk.mr, nr = blk.nr
    for jr in stride(from: 0, to: nc, by: nr) {
      let bPanel = packedB + jr * kc
      for ir in stride(from: 0, to: mc, by: mr) {
        let aPanel = packedA + blk.splat * ir * kc, cTile = c + ir * ldc + jr
        let rows = min(mr, mc - ir), cols = min(nr, nc - jr)
        if kernel == .swift {
          microKernel(kc: kc, a: aPanel, b: bPanel, c: cTile, ldc: ldc,
                      rows: rows, cols: cols, alpha: alpha, beta: beta, edge: edge)
        } else if rows == mr && cols == nr {
          cKernel(kernel, kc: kc, a: aPanel, b: bPanel, c: cTile, ldc: ldc, alpha: alpha, beta: beta)
        } else if kernel == .avx512 {
          dendrite_sgemm_avx512_edge(kc, aPanel, bPanel, cTile, ldc, alpha, beta, rows, cols)
        } else {
          // Edge tile: compute the whole tile on the zero padding into `edge`, then
          // merge its valid part.
          cKernel(kernel, kc: kc, a: aPanel, b: bPanel, c: edge, ldc: nr, alpha: alpha, beta: 0)
          mergeEdge(edge, nr: nr, into: cTile, ldc: ldc, rows: rows, cols: cols, beta: beta, fused: true)
        }
      }
    }
  }

  /// One full tile with a C micro-kernel (see DendriteKernels.h).
  @inline(__always) private static func cKernel(_ kernel: GEMMKernel, kc: Int,
                                                a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
                                                c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    if kernel == .avx512 {
      dendrite_sgemm_avx512(kc, a, b, c, ldc, alpha, beta)
    } else {
      dendrite_sgemm_avx2(kc, a, b, c, ldc, alpha, beta)
    }
  }

  /// C[rows×cols] = tile + beta · C, where `tile` (row stride nr) already holds alpha·Ã·B̃;
  /// beta == 0 never reads C. `fused` rounds like the C kernels' full tiles (one FMA),
  /// otherwise like the Swift kernel's (multiply, then add), so edge and full tiles
  /// round alike and the result does not depend on where the row blocks split.
  private static func mergeEdge(_ tile: UnsafeMutablePointer<Float>, nr: Int, into c: UnsafeMutablePointer<Float>,
                                ldc: Int, rows: Int, cols: Int, beta: Float, fused: Bool) {
    for i in 0..<rows {
      let src = tile + i * nr, dst = c + i * ldc
      for j in 0..<cols {
        if beta == 0 {
          dst[j] = src[j]
        } else if fused {
          dst[j] = src[j].addingProduct(dst[j], beta)
        } else {
          dst[j] = dst[j] * beta + src[j]
        }
      }
    }
  }

  @inline(__always) private static func roundUp(_ x: Int, _ multiple: Int) -> Int {
    (x + multiple - 1) / multiple * multiple
  }

  /// The block size, at most `limit` and a multiple of `multiple`, that splits `extent`
  /// into the fewest and most even blocks.
  private static func balanced(_ extent: Int, _ limit: Int, _ multiple: Int) -> Int {
    let blocks = (extent + limit - 1) / limit
    return min(limit, roundUp((extent + blocks - 1) / blocks, multiple))
  }

  // MARK: Packing

  /// Packs op(A)[i0..<i0+mc, p0..<p0+kc] as MR-row micro-panels. A micro-panel holds kc
  /// columns of MR values; rows past mc are zero. The C kernels' panels come from the C
  /// packers; for the Swift kernel (splat 4) each value is splatted to a SIMD4, so the
  /// micro-kernel loads it ready to multiply.
  private static func packA(_ a: Strided, i0: Int, p0: Int, mc: Int, kc: Int, mr: Int, splat: Int,
                            kernel: GEMMKernel, into dst: UnsafeMutablePointer<Float>) {
    if kernel != .swift {
      if a.row == 1 {
        // Transposed A: each step's values are contiguous; copy them row by row.
        dendrite_pack_rows_avx2(a.base + i0 + p0 * a.col, a.col, mc, kc, mr, dst)
        return
      }
      // The C packer transposes 8×8 blocks in registers for row-major A: a scalar
      // scatter, one float per store with stride MR, would be a large share of a
      // product's time.
      for ir in stride(from: 0, to: mc, by: mr) {
        dendrite_pack_avx2(a.base + (i0 + ir) * a.row + p0 * a.col, a.row, a.col, min(mr, mc - ir), kc, mr,
                           dst + ir * kc)
      }
      return
    }
    precondition(splat == 4 && mr == gemmMR)
    var out = UnsafeMutableRawPointer(dst)
    @inline(__always) func put(_ x: Float, _ i: Int) {
      out.storeBytes(of: SIMD4(repeating: x), toByteOffset: 16 * i, as: SIMD4<Float>.self)
    }
    for ir in stride(from: 0, to: mc, by: mr) {
      let rows = min(mr, mc - ir)
      let src = a.base + (i0 + ir) * a.row + p0 * a.col
      if rows == mr && a.row == 1 {
        // Transposed A: the MR values of one column are contiguous.
        for p in 0..<kc {
          let s = src + p * a.col
          for i in 0..<mr { put(s[i], i) }
          out += 16 * mr
        }
      } else {
        for p in 0..<kc {
          let s = src + p * a.col
          for i in 0..<rows { put(s[i * a.row], i) }
          for i in rows..<mr { put(0, i) }
          out += 16 * mr
        }
      }
    }
  }

  /// Packs op(B)[p0..<p0+kc, j0..<j0+nc] as NR-column micro-panels: kc rows of
  /// NR consecutive floats each, columns past nc zero.
  private static func packB(_ b: Strided, p0: Int, j0: Int, kc: Int, nc: Int, nr: Int,
                            kernel: GEMMKernel, into dst: UnsafeMutablePointer<Float>) {
    if kernel != .swift {
      if b.col == 1 {
        // Untransposed B: copy each row of the panel once, left to right.
        dendrite_pack_rows_avx2(b.base + p0 * b.row + j0, b.row, nc, kc, nr, dst)
        return
      }
      // Transposed B is packed like row-major A (8×8 register transposes).
      for jr in stride(from: 0, to: nc, by: nr) {
        dendrite_pack_avx2(b.base + p0 * b.row + (j0 + jr) * b.col, b.col, b.row, min(nr, nc - jr), kc, nr,
                           dst + jr * kc)
      }
      return
    }
    precondition(nr == gemmNR)
    var out = dst
    for jr in stride(from: 0, to: nc, by: nr) {
      let cols = min(nr, nc - jr)
      let src = b.base + p0 * b.row + (j0 + jr) * b.col
      if cols == nr && b.col == 1 {
        // Untransposed B: one row of the micro-panel is 8 contiguous floats.
        for p in 0..<kc {
          let v = UnsafeRawPointer(src + p * b.row).loadUnaligned(as: SIMD8<Float>.self)
          UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD8<Float>.self)
          out += nr
        }
      } else {
        for p in 0..<kc {
          let s = src + p * b.row
          for j in 0..<cols { out[j] = s[j * b.col] }
          for j in cols..<nr { out[j] = 0 }
          out += nr
        }
      }
    }
  }

  // MARK: Micro-kernel

  /// C[rows×cols] = alpha · Ã·B̃ + beta · C for one MR×NR tile; Ã is a packed MR×kc
  /// micro-panel of A (splatted values), B̃ a packed kc×NR one. Edge tiles (rows < MR or
  /// cols < NR) compute the whole tile on the zero padding, spill it to `edge`, and
  /// store only the valid part. beta == 0 never reads C.
  private static func microKernel(kc: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
                                  c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int,
                                  alpha: Float, beta: Float, edge: UnsafeMutablePointer<Float>) {
    typealias H = SIMD4<Float>
    typealias V = SIMD8<Float>
    // Row r of the tile is (cRl, cRh): columns 0-3 and 4-7.
    var c0l = H(), c0h = H(), c1l = H(), c1h = H(), c2l = H(), c2h = H()
    var c3l = H(), c3h = H(), c4l = H(), c4h = H(), c5l = H(), c5h = H()
    var pa = UnsafeRawPointer(a), pb = UnsafeRawPointer(b)
    // Per step of k: 2 loads of B, 6 of A, 12 multiplies, 12 adds (a*b + c: without FMA,
    // `addingProduct` would be a libm call per lane). Aligned loads, no bounds checks.
    for _ in 0..<kc {
      let bl = pb.load(as: H.self), bh = pb.load(fromByteOffset: 16, as: H.self)
      var x = pa.load(as: H.self)
      c0l = x * bl + c0l; c0h = x * bh + c0h
      x = pa.load(fromByteOffset: 16, as: H.self)
      c1l = x * bl + c1l; c1h = x * bh + c1h
      x = pa.load(fromByteOffset: 32, as: H.self)
      c2l = x * bl + c2l; c2h = x * bh + c2h
      x = pa.load(fromByteOffset: 48, as: H.self)
      c3l = x * bl + c3l; c3h = x * bh + c3h
      x = pa.load(fromByteOffset: 64, as: H.self)
      c4l = x * bl + c4l; c4h = x * bh + c4h
      x = pa.load(fromByteOffset: 80, as: H.self)
      c5l = x * bl + c5l; c5h = x * bh + c5h
      pa += 96
      pb += 32
    }

    let full = rows == gemmMR && cols == gemmNR
    let out = full ? c : edge
    let ld = full ? ldc : gemmNR
    let readC = full && beta != 0
    @inline(__always) func store(_ lo: H, _ hi: H, _ row: Int) {
      let dst = UnsafeMutableRawPointer(out + row * ld)
      var v = V(lowHalf: lo, highHalf: hi) * alpha
      if readC { v = dst.loadUnaligned(as: V.self) * beta + v }
      dst.storeBytes(of: v, as: V.self)
    }
    store(c0l, c0h, 0); store(c1l, c1h, 1); store(c2l, c2h, 2)
    store(c3l, c3h, 3); store(c4l, c4h, 4); store(c5l, c5h, 5)
    if full { return }
    mergeEdge(edge, nr: gemmNR, into: c, ldc: ldc, rows: rows, cols: cols, beta: beta, fused: false)
  }
}
