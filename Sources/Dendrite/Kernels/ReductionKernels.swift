extension Kernels {
  /// The kind of reduction along an axis.
  enum ReductionKind { case sum, max }

  /// Reduces `x`, viewed as `[outer, length, inner]`, along its middle axis, giving
  /// `[outer, inner]`. Sums accumulate in eight lanes when `inner == 1` (the row case) so
  /// rounding error grows slowly.
  static func reduce(
    _ x: [Float], outer: Int, length: Int, inner: Int, kind: ReductionKind
  ) -> [Float] {
    precondition(x.count == outer * length * inner, "reduce: \(x.count) elements for [\(outer), \(length), \(inner)]")
    precondition(length > 0 || kind == .sum, "max over an empty axis")
    return [Float](unsafeUninitializedCapacity: outer * inner) { out, initialized in
      x.withUnsafeBufferPointer { x in
        for o in 0..<outer {
          let base = o * length * inner
          if inner == 1 {
            out[o] = kind == .sum ? rowSum(x, base, length) : rowMax(x, base, length)
            continue
          }
          if length == 0 {
            for i in 0..<inner { out[o * inner + i] = 0 }
            continue
          }
          for i in 0..<inner { out[o * inner + i] = x[base + i] }
          for l in 1..<length {
            let row = base + l * inner
            for i in 0..<inner {
              let v = x[row + i]
              switch kind {
              case .sum: out[o * inner + i] += v
              case .max: out[o * inner + i] = Swift.max(out[o * inner + i], v)
              }
            }
          }
        }
      }
      initialized = outer * inner
    }
  }

  /// The sum of `length` contiguous elements starting at `start`: blocks of 256 summed in
  /// eight Float lanes, the block sums added in Double, so error does not grow with length.
  @inline(__always)
  private static func rowSum(_ x: UnsafeBufferPointer<Float>, _ start: Int, _ length: Int) -> Float {
    var total: Double = 0
    var blockStart = start
    let end = start + length
    while blockStart < end {
      let blockEnd = Swift.min(blockStart + 256, end)
      var lanes = SIMD8<Float>(repeating: 0)
      var i = blockStart
      while i + 8 <= blockEnd {
        var chunk = SIMD8<Float>()
        for l in 0..<8 { chunk[l] = x[i + l] }
        lanes += chunk
        i += 8
      }
      var blockTotal = lanes.sum()
      while i < blockEnd {
        blockTotal += x[i]
        i += 1
      }
      total += Double(blockTotal)
      blockStart = blockEnd
    }
    return Float(total)
  }

  /// The largest of `length` contiguous elements starting at `start` (NaN if any is NaN).
  @inline(__always)
  private static func rowMax(_ x: UnsafeBufferPointer<Float>, _ start: Int, _ length: Int) -> Float {
    var best = x[start]
    for i in start..<(start + length) {
      let v = x[i]
      if v > best || v.isNaN { best = v }
      if best.isNaN { break }
    }
    return best
  }
}
