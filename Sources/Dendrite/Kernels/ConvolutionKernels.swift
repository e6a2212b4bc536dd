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
}

extension Kernels {
  /// The im2col matrix of `x` (`[N, C, H, W]`): one row per output position
  /// `(n, oh, ow)` and one column per window element `(c, kh, kw)`, zeros where the
  /// window hangs over the padding. Shape `[N·OH·OW, C·KH·KW]`, so that a convolution is
  /// `cols · Wᵀ` with W reshaped to `[O, C·KH·KW]`.
  static func im2col(_ x: [Float], _ g: ConvolutionGeometry) -> [Float] {
    let (oh, ow, k) = (g.outputHeight, g.outputWidth, g.patchSize)
    let rows = g.batch * oh * ow
    precondition(x.count == g.batch * g.channels * g.height * g.width, "im2col: \(x.count) elements for \(g)")
    var cols = [Float](repeating: 0, count: rows * k)
    x.withUnsafeBufferPointer { x in
      cols.withUnsafeMutableBufferPointer { cols in
        for n in 0..<g.batch {
          for y in 0..<oh {
            for xo in 0..<ow {
              let row = ((n * oh + y) * ow + xo) * k
              for c in 0..<g.channels {
                let plane = (n * g.channels + c) * g.height
                for kh in 0..<g.kernelHeight {
                  let iy = y * g.stride - g.padding + kh
                  guard iy >= 0 && iy < g.height else { continue }
                  let source = (plane + iy) * g.width
                  let target = row + (c * g.kernelHeight + kh) * g.kernelWidth
                  let ix0 = xo * g.stride - g.padding
                  for kw in 0..<g.kernelWidth {
                    let ix = ix0 + kw
                    if ix >= 0 && ix < g.width { cols[target + kw] = x[source + ix] }
                  }
                }
              }
            }
          }
        }
      }
    }
    return cols
  }

  /// The adjoint of ``im2col(_:_:)``: adds every entry of `cols` (`[N·OH·OW, C·KH·KW]`)
  /// back onto the input element it was copied from (padding entries are dropped), giving
  /// `[N, C, H, W]`.
  static func col2im(_ cols: [Float], _ g: ConvolutionGeometry) -> [Float] {
    let (oh, ow, k) = (g.outputHeight, g.outputWidth, g.patchSize)
    precondition(cols.count == g.batch * oh * ow * k, "col2im: \(cols.count) elements for \(g)")
    var x = [Float](repeating: 0, count: g.batch * g.channels * g.height * g.width)
    cols.withUnsafeBufferPointer { cols in
      x.withUnsafeMutableBufferPointer { x in
        for n in 0..<g.batch {
          for y in 0..<oh {
            for xo in 0..<ow {
              let row = ((n * oh + y) * ow + xo) * k
              for c in 0..<g.channels {
                let plane = (n * g.channels + c) * g.height
                for kh in 0..<g.kernelHeight {
                  let iy = y * g.stride - g.padding + kh
                  guard iy >= 0 && iy < g.height else { continue }
                  let target = (plane + iy) * g.width
                  let source = row + (c * g.kernelHeight + kh) * g.kernelWidth
                  let ix0 = xo * g.stride - g.padding
                  for kw in 0..<g.kernelWidth {
                    let ix = ix0 + kw
                    if ix >= 0 && ix < g.width { x[target + ix] += cols[source + kw] }
                  }
                }
              }
            }
          }
        }
      }
    }
    return x
  }

  /// Swaps the last two axes of `[batches, rows, columns]` data, giving `[batches, columns, rows]`,
  /// and adds `columnBias[c]` (one per column) to every element of column c on the way, when given.
  static func transposeBatches(
    _ a: [Float], batches: Int, rows: Int, columns: Int, addingColumnBias columnBias: [Float]? = nil
  ) -> [Float] {
    precondition(a.count == batches * rows * columns, "transposeBatches: \(a.count) elements for \(batches)×\(rows)×\(columns)")
    precondition(columnBias == nil || columnBias?.count == columns, "transposeBatches: a bias per column")
    let bias = columnBias ?? [Float](repeating: 0, count: columns)
    return [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
      a.withUnsafeBufferPointer { a in
        bias.withUnsafeBufferPointer { bias in
          for b in 0..<batches {
            let base = b * rows * columns
            for r in 0..<rows {
              for c in 0..<columns { out[base + c * rows + r] = a[base + r * columns + c] + bias[c] }
            }
          }
        }
      }
      initialized = a.count
    }
  }
}
