// Single-precision GEMM in portable Swift (SSE2 on the default x86-64 target):
// cache-blocked, packed panels, a 6×8 register-tiled SIMD micro-kernel.
// `enum Kernels` is declared in Kernels.swift.

extension Kernels {
  // MARK: Blocking parameters
  //
  // Goto/BLIS loop nest (sizes in elements):
  //
  //   for jc in 0..<n step NC                 B column panel
  //     for pc in 0..<k step KC               rank-KC update (first one applies beta)
  //       pack op(B)[pc..+KC, jc..+NC]        -> packedB, NR-wide micro-panels
  //       for ic in 0..<m step MC             A row block (the loop to split across threads)
  //         pack op(A)[ic..+MC, pc..+KC]      -> packedA, MR-tall micro-panels
  //         for jr in 0..<NC step NR          B micro-panel, stays in L1
  //           for ir in 0..<MC step MR        A micro-panel, streamed from L2
  //             micro-kernel: C[MR×NR] = alpha·Ã·B̃ + beta·C
  //
  // Blocks are balanced (k = 784 runs as 4 × 196, not 3 × 256 + 16), so the limits
  // below are maxima. Without FMA the x86-64 SSE2 micro-kernel is bound by its
  // 12 mulps + 12 addps per step of k, not by memory, so the sizes are not critical:
  // KC 192…512 and MC 48…240 measured within noise of each other.

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
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative dimension")
    checkOperand(a.count, rows: transposeA ? k : m, cols: transposeA ? m : k, ld: lda, "A")
    checkOperand(b.count, rows: transposeB ? n : k, cols: transposeB ? k : n, ld: ldb, "B")
    checkOperand(c.count, rows: m, cols: n, ld: ldc, "C")
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
          blocked(m: m, n: n, k: k, alpha: alpha, a: opA, b: opB, beta: beta, c: pc, ldc: ldc)
        }
      }
    }
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

  private static func blocked(m: Int, n: Int, k: Int, alpha: Float, a: Strided, b: Strided,
                              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    let kcb = balanced(k, gemmKC, 1), mcb = balanced(m, gemmMC, gemmMR), ncb = balanced(n, gemmNC, gemmNR)
    // One 64-byte-aligned allocation per call: [packedA | packedB | edge tile], each
    // section a multiple of 16 floats so the SIMD loads from packed data are aligned.
    let aFloats = roundUp(4 * mcb * kcb, 16), bFloats = roundUp(kcb * ncb, 16)
    let total = aFloats + bFloats + gemmMR * gemmNR
    let raw = UnsafeMutableRawPointer.allocate(byteCount: total * 4, alignment: 64)
    defer { raw.deallocate() }
    let packedA = raw.bindMemory(to: Float.self, capacity: total)
    let packedB = packedA + aFloats
    let edge = packedB + bFloats

    for jc in stride(from: 0, to: n, by: ncb) {
      let nc = min(ncb, n - jc)
      for pc in stride(from: 0, to: k, by: kcb) {
        let kc = min(kcb, k - pc)
        // Only the first rank-KC update applies the caller's beta; later ones accumulate.
        let betaBlock: Float = pc == 0 ? beta : 1
        packB(b, p0: pc, j0: jc, kc: kc, nc: nc, into: packedB)
        // To parallelise, split this loop: packedB is shared read-only, and each
        // thread needs its own packedA and edge tile; the C blocks are disjoint.
        for ic in stride(from: 0, to: m, by: mcb) {
          let mc = min(mcb, m - ic)
          packA(a, i0: ic, p0: pc, mc: mc, kc: kc, into: packedA)
          macroKernel(mc: mc, nc: nc, kc: kc, packedA: packedA, packedB: packedB,
                      c: c + ic * ldc + jc, ldc: ldc, alpha: alpha, beta: betaBlock, edge: edge)
        }
      }
    }
  }

  /// C[mc×nc] = alpha · Ã·B̃ + beta · C for one packed A block and the packed B panel.
  private static func macroKernel(mc: Int, nc: Int, kc: Int,
                                  packedA: UnsafeMutablePointer<Float>, packedB: UnsafeMutablePointer<Float>,
                                  c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float,
                                  edge: UnsafeMutablePointer<Float>) {
    let mr = gemmMR, nr = gemmNR
    for jr in stride(from: 0, to: nc, by: nr) {
      let bPanel = packedB + jr * kc
      for ir in stride(from: 0, to: mc, by: mr) {
        microKernel(kc: kc, a: packedA + 4 * ir * kc, b: bPanel, c: c + ir * ldc + jr, ldc: ldc,
                    rows: min(mr, mc - ir), cols: min(nr, nc - jr), alpha: alpha, beta: beta, edge: edge)
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
  /// columns of MR values, each value splatted to a SIMD4 (so the micro-kernel loads
  /// it ready to multiply, without a shuffle); rows past mc are zero.
  private static func packA(_ a: Strided, i0: Int, p0: Int, mc: Int, kc: Int,
                            into dst: UnsafeMutablePointer<Float>) {
    let mr = gemmMR
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
  private static func packB(_ b: Strided, p0: Int, j0: Int, kc: Int, nc: Int,
                            into dst: UnsafeMutablePointer<Float>) {
    let nr = gemmNR
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
    for i in 0..<rows {
      let src = edge + i * gemmNR, dst = c + i * ldc
      for j in 0..<cols {
        dst[j] = beta == 0 ? src[j] : dst[j] * beta + src[j]
      }
    }
  }
}
