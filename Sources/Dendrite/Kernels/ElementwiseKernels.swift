extension Kernels {
  /// `f` applied to every element.
  @inline(__always)
  static func map(_ x: [Float], _ f: (Float) -> Float) -> [Float] {
    [Float](unsafeUninitializedCapacity: x.count) { out, initialized in
      x.withUnsafeBufferPointer { x in
        for i in 0..<x.count { out[i] = f(x[i]) }
      }
      initialized = x.count
    }
  }

  /// `f` applied pairwise to two arrays of the same length.
  @inline(__always)
  static func map(_ a: [Float], _ b: [Float], _ f: (Float, Float) -> Float) -> [Float] {
    precondition(a.count == b.count, "elementwise kernel on \(a.count) and \(b.count) elements")
    return [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          for i in 0..<a.count { out[i] = f(a[i], b[i]) }
        }
      }
      initialized = a.count
    }
  }

  /// `f` applied elementwise to three arrays of the same length.
  @inline(__always)
  static func map(
    _ a: [Float], _ b: [Float], _ c: [Float], _ f: (Float, Float, Float) -> Float
  ) -> [Float] {
    precondition(a.count == b.count && b.count == c.count, "elementwise kernel on unequal lengths")
    return [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          c.withUnsafeBufferPointer { c in
            for i in 0..<a.count { out[i] = f(a[i], b[i], c[i]) }
          }
        }
      }
      initialized = a.count
    }
  }

  /// `f` applied pairwise under NumPy broadcasting: `a` and `b` are read with strides that
  /// are 0 along the axes they are broadcast on. All shapes have the rank of `shape`.
  static func broadcastMap(
    _ a: [Float], strides aStrides: [Int], _ b: [Float], strides bStrides: [Int],
    shape: [Int], _ f: (Float, Float) -> Float
  ) -> [Float] {
    let count = shape.reduce(1, *)
    guard count > 0 else { return [] }
    let rank = shape.count
    let inner = shape[rank - 1]
    let aInner = aStrides[rank - 1]
    let bInner = bStrides[rank - 1]
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          var index = [Int](repeating: 0, count: rank)
          var aOffset = 0
          var bOffset = 0
          var o = 0
          while o < count {
            for j in 0..<inner { out[o + j] = f(a[aOffset + j * aInner], b[bOffset + j * bInner]) }
            o += inner
            // Advance the odometer over the outer axes.
            var axis = rank - 2
            while axis >= 0 {
              index[axis] += 1
              aOffset += aStrides[axis]
              bOffset += bStrides[axis]
              if index[axis] < shape[axis] { break }
              aOffset -= aStrides[axis] * shape[axis]
              bOffset -= bStrides[axis] * shape[axis]
              index[axis] = 0
              axis -= 1
            }
          }
        }
      }
      initialized = count
    }
  }
}
