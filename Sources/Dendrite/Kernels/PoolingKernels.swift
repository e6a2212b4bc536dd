extension Kernels {
  /// Max pooling of NCHW `x` over the windows of `g` (no padding): the output `[N, C, OH, OW]`
  /// and, for each output element, the offset of its window's first maximum inside its
  /// input plane (row-major order decides ties), for the backward pass. Planes are split
  /// across the kernel threads.
  static func maxPool(_ x: [Float], _ g: ConvolutionGeometry) -> (values: [Float], argmax: [Int32]) {
    let (oh, ow, planeSize) = (g.outputHeight, g.outputWidth, g.planeSize)
    let planes = g.batch * g.channels
    precondition(x.count == planes * planeSize, "maxPool: \(x.count) elements for \(g)")
    precondition(planeSize <= Int(Int32.max), "maxPool: a plane of \(planeSize) elements is too large")
    var values = outputArray(count: planes * oh * ow)
    var argmax = [Int32](repeating: 0, count: values.count)
    x.withUnsafeBufferPointer { x in
      values.withUnsafeMutableBufferPointer { values in
        argmax.withUnsafeMutableBufferPointer { argmax in
          guard let source = x.baseAddress, let target = values.baseAddress, let where_ = argmax.baseAddress else { return }
          parallelTasks(planes, work: x.count) { plane in
            let input = source + plane * planeSize
            let output = target + plane * oh * ow
            let index = where_ + plane * oh * ow
            if g.kernelHeight == 2 && g.kernelWidth == 2 && g.stride == 2 {
              for i in 0..<oh { maxPool2x2Row(input + 2 * i * g.width, end: source + x.count, width: g.width, outputs: ow, firstOffset: Int32(2 * i * g.width), into: output + i * ow, argmax: index + i * ow) }
              return
            }
            for i in 0..<oh {
              for j in 0..<ow {
                var best = (i * g.stride) * g.width + j * g.stride
                var maximum = input[best]
                for a in 0..<g.kernelHeight {
                  let row = (i * g.stride + a) * g.width + j * g.stride
                  for b in 0..<g.kernelWidth where input[row + b] > maximum {
                    best = row + b
                    maximum = input[best]
                  }
                }
                output[i * ow + j] = maximum
                index[i * ow + j] = Int32(best)
              }
            }
          }
        }
      }
    }
    return (values, argmax)
  }

  /// The adjoint of ``maxPool(_:_:)``: each output gradient added to the input element its
  /// window took the maximum from, giving `[N, C, H, W]` (zero elsewhere).
  static func maxPoolBackward(_ gradient: [Float], argmax: [Int32], _ g: ConvolutionGeometry) -> [Float] {
    let (outputsPerPlane, planeSize) = (g.positions, g.planeSize)
    let planes = g.batch * g.channels
    precondition(
      gradient.count == planes * outputsPerPlane && argmax.count == gradient.count,
      "maxPoolBackward: \(gradient.count) gradients and \(argmax.count) positions for \(g)")
    var dx = [Float](repeating: 0, count: planes * planeSize)
    gradient.withUnsafeBufferPointer { gradient in
      argmax.withUnsafeBufferPointer { argmax in
        dx.withUnsafeMutableBufferPointer { dx in
          guard let source = gradient.baseAddress, let index = argmax.baseAddress, let target = dx.baseAddress else { return }
          parallelTasks(planes, work: dx.count) { plane in
            let output = target + plane * planeSize
            for o in (plane * outputsPerPlane)..<((plane + 1) * outputsPerPlane) { output[Int(index[o])] += source[o] }
          }
        }
      }
    }
    return dx
  }

  /// Average pooling of NCHW `x` over the windows of `g` (no padding), `[N, C, OH, OW]`.
  static func averagePool(_ x: [Float], _ g: ConvolutionGeometry) -> [Float] {
    let (oh, ow, planeSize) = (g.outputHeight, g.outputWidth, g.planeSize)
    let planes = g.batch * g.channels
    precondition(x.count == planes * planeSize, "averagePool: \(x.count) elements for \(g)")
    let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
    var values = outputArray(count: planes * oh * ow)
    x.withUnsafeBufferPointer { x in
      values.withUnsafeMutableBufferPointer { values in
        guard let source = x.baseAddress, let target = values.baseAddress else { return }
        parallelTasks(planes, work: x.count) { plane in
          let input = source + plane * planeSize
          let output = target + plane * oh * ow
          for i in 0..<oh {
            for j in 0..<ow {
              var sum: Float = 0
              for a in 0..<g.kernelHeight {
                let row = (i * g.stride + a) * g.width + j * g.stride
                for b in 0..<g.kernelWidth { sum += input[row + b] }
              }
              output[i * ow + j] = sum * scale
            }
          }
        }
      }
    }
    return values
  }

  /// The adjoint of ``averagePool(_:_:)``: each output gradient, divided by the window's
  /// size, added to every input element of its window, giving `[N, C, H, W]`.
  static func averagePoolBackward(_ gradient: [Float], _ g: ConvolutionGeometry) -> [Float] {
    let (oh, ow, planeSize) = (g.outputHeight, g.outputWidth, g.planeSize)
    let planes = g.batch * g.channels
    precondition(gradient.count == planes * oh * ow, "averagePoolBackward: \(gradient.count) gradients for \(g)")
    let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
    var dx = [Float](repeating: 0, count: planes * planeSize)
    gradient.withUnsafeBufferPointer { gradient in
      dx.withUnsafeMutableBufferPointer { dx in
        guard let source = gradient.baseAddress, let target = dx.baseAddress else { return }
        parallelTasks(planes, work: dx.count) { plane in
          let input = source + plane * oh * ow
          let output = target + plane * planeSize
          for i in 0..<oh {
            for j in 0..<ow {
              let share = input[i * ow + j] * scale
              for a in 0..<g.kernelHeight {
                let row = (i * g.stride + a) * g.width + j * g.stride
                for b in 0..<g.kernelWidth { output[row + b] += share }
              }
            }
          }
        }
      }
    }
    return dx
  }

  /// One output row of a 2×2, stride-2 max pool: the windows on input rows `top` and
  /// `top + width`, 8 windows at a time without a branch (which element wins is a coin toss
  /// that a branch would mispredict), the first maximum in row-major order on ties. `end`
  /// is the end of the input, which no load may pass.
  @inline(__always)
  private static func maxPool2x2Row(
    _ top: UnsafePointer<Float>, end: UnsafePointer<Float>, width: Int, outputs: Int, firstOffset: Int32,
    into output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>
  ) {
    let bottom = top + width
    var j = 0
    while j < outputs {
      let count = Swift.min(8, outputs - j)
      guard bottom + 2 * j + 16 <= end else {
        // The very end of the input, where a 16-float load would read past it: one window
        // at a time.
        for j in j..<outputs {
          var best = 2 * j
          for k in [2 * j + 1, width + 2 * j, width + 2 * j + 1] where top[k] > top[best] { best = k }
          output[j] = top[best]
          argmax[j] = firstOffset + Int32(best)
        }
        return
      }
      // 16 floats of each row hold 8 windows; past the row's last window they belong to the
      // next rows (or the next plane), which only lanes that are not stored see.
      let upper = UnsafeRawPointer(top + 2 * j).loadUnaligned(as: SIMD16<Float>.self)
      let lower = UnsafeRawPointer(bottom + 2 * j).loadUnaligned(as: SIMD16<Float>.self)
      let column = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14) &+ Int32(2 * j) &+ firstOffset
      var best = upper.evenHalf
      var index = column
      func consider(_ candidate: SIMD8<Float>, _ offset: SIMD8<Int32>) {
        let better = candidate .> best
        best.replace(with: candidate, where: better)
        index.replace(with: offset, where: better)
      }
      consider(upper.oddHalf, column &+ 1)
      consider(lower.evenHalf, column &+ Int32(width))
      consider(lower.oddHalf, column &+ Int32(width + 1))
      if count == 8 {
        UnsafeMutableRawPointer(output + j).storeBytes(of: best, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(argmax + j).storeBytes(of: index, as: SIMD8<Int32>.self)
      } else {
        for lane in 0..<count {
          output[j + lane] = best[lane]
          argmax[j + lane] = index[lane]
        }
      }
      j += count
    }
  }
}
