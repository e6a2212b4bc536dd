/// The geometry of a 2-D convolution or pooling window over NCHW data: what im2col, col2im
/// and the pooling loops need to walk the windows.
struct ConvolutionGeometry: Sendable, Equatable {
  /// Batch, channels, input height and width.
  let batch: Int, channels: Int, height: Int, width: Int
  /// Kernel height and width, stride and zero padding (the same on both axes).
  let kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int

  /// Output height, (H + 2p − KH)/s + 1.
  var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
  /// Output width, (W + 2p − KW)/s + 1.
  var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
  /// Output positions per image, OH·OW.
  var positions: Int { outputHeight * outputWidth }
  /// Elements of one window over all channels, C·KH·KW: a row of the im2col matrix.
  var patchSize: Int { channels * kernelHeight * kernelWidth }
  /// Elements of one input plane, H·W.
  var planeSize: Int { height * width }

  /// The output columns `ow` whose input column `ow·s − p + kw` lies inside the image, as
  /// a range: the columns before it and after it read padding.
  func validColumns(kernelColumn kw: Int) -> Range<Int> {
    // ow·s − p + kw ≥ 0  ⇔  ow ≥ ⌈(p − kw)/s⌉;   ow·s − p + kw ≤ W − 1  ⇔  ow ≤ ⌊(W − 1 + p − kw)/s⌋.
    let low = max(0, (padding - kw + stride - 1) / stride)
    let highNumerator = width - 1 + padding - kw
    let high = highNumerator < 0 ? -1 : min(outputWidth - 1, highNumerator / stride)
    return low <= high ? low..<(high + 1) : 0..<0
  }
}

extension Kernels {
  /// The im2col matrix of `x` (`[N, C, H, W]`), channels first: one row per window element
  /// `(c, kh, kw)` and one column per output position `(n, oh, ow)`, zeros where the window
  /// hangs over the padding. Shape `[C·KH·KW, N·OH·OW]`, so that a convolution is the one
  /// product `W · cols` with W reshaped to `[O, C·KH·KW]`, and each row is filled by runs
  /// of OW elements (contiguous in x at stride 1). The (image, channel) planes are split
  /// across the kernel threads; each writes its own columns of its own rows.
  static func im2col(_ x: [Float], _ g: ConvolutionGeometry) -> [Float] {
    let (oh, ow, positions) = (g.outputHeight, g.outputWidth, g.positions)
    let columns = g.batch * positions
    precondition(x.count == g.batch * g.channels * g.planeSize, "im2col: \(x.count) elements for \(g)")
    var cols = outputArray(count: g.patchSize * columns)
    x.withUnsafeBufferPointer { x in
      cols.withUnsafeMutableBufferPointer { cols in
        guard let source = x.baseAddress, let target = cols.baseAddress else { return }
        let valid = (0..<g.kernelWidth).map { g.validColumns(kernelColumn: $0) }
        parallelPlanes(g, work: g.patchSize * columns) { n, c in
          let plane = source + (n * g.channels + c) * g.planeSize
          for kh in 0..<g.kernelHeight {
            for kw in 0..<g.kernelWidth {
              let row = target + ((c * g.kernelHeight + kh) * g.kernelWidth + kw) * columns + n * positions
              let inside = valid[kw]
              for y in 0..<oh {
                let out = row + y * ow
                let iy = y * g.stride - g.padding + kh
                guard iy >= 0 && iy < g.height, !inside.isEmpty else {
                  out.update(repeating: 0, count: ow)
                  continue
                }
                out.update(repeating: 0, count: inside.lowerBound)
                let line = plane + iy * g.width - g.padding + kw
                if g.stride == 1 {
                  (out + inside.lowerBound).update(from: line + inside.lowerBound, count: inside.count)
                } else {
                  for o in inside { out[o] = line[o * g.stride] }
                }
                (out + inside.upperBound).update(repeating: 0, count: ow - inside.upperBound)
              }
            }
          }
        }
      }
    }
    return cols
  }

  /// The adjoint of ``im2col(_:_:)``: adds every entry of `cols` (`[C·KH·KW, N·OH·OW]`) back
  /// onto the input element it was copied from (padding entries are dropped), giving
  /// `[N, C, H, W]`. Each (image, channel) plane gathers only from its own rows and columns,
  /// so the planes are split across the kernel threads without two writing one element.
  static func col2im(_ cols: [Float], _ g: ConvolutionGeometry) -> [Float] {
    let (oh, ow, positions) = (g.outputHeight, g.outputWidth, g.positions)
    let columns = g.batch * positions
    precondition(cols.count == g.patchSize * columns, "col2im: \(cols.count) elements for \(g)")
    var x = outputArray(count: g.batch * g.channels * g.planeSize)
    cols.withUnsafeBufferPointer { cols in
      x.withUnsafeMutableBufferPointer { x in
        guard let source = cols.baseAddress, let target = x.baseAddress else { return }
        let valid = (0..<g.kernelWidth).map { g.validColumns(kernelColumn: $0) }
        parallelPlanes(g, work: g.patchSize * columns) { n, c in
          let plane = target + (n * g.channels + c) * g.planeSize
          plane.update(repeating: 0, count: g.planeSize)
          for kh in 0..<g.kernelHeight {
            for kw in 0..<g.kernelWidth {
              let row = source + ((c * g.kernelHeight + kh) * g.kernelWidth + kw) * columns + n * positions
              let inside = valid[kw]
              for y in 0..<oh {
                let iy = y * g.stride - g.padding + kh
                guard iy >= 0 && iy < g.height else { continue }
                let input = row + y * ow
                let line = plane + iy * g.width - g.padding + kw
                if g.stride == 1 {
                  for o in inside { line[o] += input[o] }
                } else {
                  for o in inside { line[o * g.stride] += input[o] }
                }
              }
            }
          }
        }
      }
    }
    return x
  }

  /// Swaps the first two axes of `[outer, inner, block]` data, giving `[inner, outer, block]`
  /// (blocks of `block` contiguous elements move whole), and on the way adds `outerBias[o]`
  /// to the elements of outer index o, when given, then takes max(0, ·) when `rectifying`;
  /// or keeps only the elements where `positive` (laid out as `a`) is above 0, zeroing the
  /// rest. A convolution's `[O, N, P]` product becomes NCHW `[N, O, P]` with its bias (and
  /// ReLU) this way, and NCHW gradients become `[O, N, P]` (masked by ReLU's output) for the
  /// backward products.
  static func swapLeadingAxes(
    _ a: [Float], outer: Int, inner: Int, block: Int, addingOuterBias outerBias: [Float]? = nil,
    rectifying: Bool = false, keepingWherePositive positive: [Float]? = nil
  ) -> [Float] {
    precondition(a.count == outer * inner * block, "swapLeadingAxes: \(a.count) elements for \(outer)×\(inner)×\(block)")
    precondition(outerBias == nil || outerBias?.count == outer, "swapLeadingAxes: a bias per outer index")
    precondition(positive == nil || positive?.count == a.count, "swapLeadingAxes: a mask element per element")
    var out = outputArray(count: a.count)
    let mask = positive ?? []
    a.withUnsafeBufferPointer { a in
      mask.withUnsafeBufferPointer { mask in
        out.withUnsafeMutableBufferPointer { out in
          guard let source = a.baseAddress, let target = out.baseAddress else { return }
          // An empty array may still have a base address: the mask is there only when given.
          let keep = positive == nil ? nil : mask.baseAddress
          let bias = outerBias
          parallelTasks(inner, work: a.count) { i in
            for o in 0..<outer {
              let offset = (o * inner + i) * block
              let (from, to) = (source + offset, target + (i * outer + o) * block)
              if let keep {
                keepWherePositive(from, mask: keep + offset, into: to, count: block)
              } else {
                addBias(bias?[o] ?? 0, rectifying: rectifying, from, into: to, count: block)
              }
            }
          }
        }
      }
    }
    return out
  }

  /// to[e] = from[e] + bias, or max(0, from[e] + bias) when rectifying, 16 lanes at a time
  /// (branch-free: ReLU's sign is a coin toss that a branch would mispredict).
  @inline(__always)
  static func addBias(
    _ bias: Float, rectifying: Bool, _ from: UnsafePointer<Float>, into to: UnsafeMutablePointer<Float>, count: Int
  ) {
    typealias Lanes = SIMD16<Float>
    let (b, zero) = (Lanes(repeating: bias), Lanes())
    var e = 0
    while e + Lanes.scalarCount <= count {
      var v = UnsafeRawPointer(from + e).loadUnaligned(as: Lanes.self) + b
      if rectifying { v.replace(with: zero, where: v .< zero) }
      UnsafeMutableRawPointer(to + e).storeBytes(of: v, as: Lanes.self)
      e += Lanes.scalarCount
    }
    for e in e..<count { to[e] = rectifying ? Swift.max(0, from[e] + bias) : from[e] + bias }
  }

  /// to[e] = from[e] where mask[e] > 0, else 0 (ReLU's pullback given its output), 16 lanes
  /// at a time.
  @inline(__always)
  static func keepWherePositive(
    _ from: UnsafePointer<Float>, mask: UnsafePointer<Float>, into to: UnsafeMutablePointer<Float>, count: Int
  ) {
    typealias Lanes = SIMD16<Float>
    let zero = Lanes()
    var e = 0
    while e + Lanes.scalarCount <= count {
      var v = UnsafeRawPointer(from + e).loadUnaligned(as: Lanes.self)
      v.replace(with: zero, where: UnsafeRawPointer(mask + e).loadUnaligned(as: Lanes.self) .<= zero)
      UnsafeMutableRawPointer(to + e).storeBytes(of: v, as: Lanes.self)
      e += Lanes.scalarCount
    }
    for e in e..<count { to[e] = mask[e] > 0 ? from[e] : 0 }
  }

  /// The sum of each row of a row-major `[rows, columns]` matrix (16 lanes, then the lanes
  /// added: a fixed order for a given size).
  static func rowSums(_ a: [Float], rows: Int, columns: Int) -> [Float] {
    precondition(a.count == rows * columns, "rowSums: \(a.count) elements for \(rows)×\(columns)")
    typealias Lanes = SIMD16<Float>
    return a.withUnsafeBufferPointer { a in
      guard let base = a.baseAddress else { return [Float](repeating: 0, count: rows) }
      return (0..<rows).map { r in
        let row = base + r * columns
        var lanes = Lanes()
        var c = 0
        while c + Lanes.scalarCount <= columns {
          lanes += UnsafeRawPointer(row + c).loadUnaligned(as: Lanes.self)
          c += Lanes.scalarCount
        }
        var sum = lanes.sum()
        while c < columns {
          sum += row[c]
          c += 1
        }
        return sum
      }
    }
  }

  /// Work (elements touched) below which the convolution and pooling loops stay on the
  /// calling thread: waking a worker costs more than it saves.
  static let planeParallelWork = 1 << 15

  /// Runs `body(n, c)` for every (image, channel) plane of `g`, split across the kernel
  /// threads when `work` is large enough.
  static func parallelPlanes(_ g: ConvolutionGeometry, work: Int, _ body: @escaping (_ image: Int, _ channel: Int) -> Void) {
    let channels = g.channels
    parallelTasks(g.batch * channels, work: work) { plane in body(plane / channels, plane % channels) }
  }

  /// Runs `body(task)` for task in 0..<tasks, on the kernel threads when `work` is at least
  /// ``planeParallelWork``; the tasks must write disjoint memory.
  static func parallelTasks(_ tasks: Int, work: Int, _ body: @escaping (_ task: Int) -> Void) {
    let threads = min(threadCount, tasks)
    guard threads > 1, work >= planeParallelWork else {
      for task in 0..<tasks { body(task) }
      return
    }
    // Contiguous chunks, a few per thread, so a late thread still finds work.
    let chunks = min(tasks, threads * 4)
    workerPool.run(tasks: chunks, participants: threads) { _, chunk in
      for task in (chunk * tasks / chunks)..<((chunk + 1) * tasks / chunks) { body(task) }
    }
  }
}
