// The pointwise parts of a dense layer's forward and backward pass, fused into single
// passes over a batch's rows: bias + activation after the GEMM, the activation's
// derivative before the backward GEMMs, and the bias gradient (or SGD step) as column
// sums. ``Trainer`` runs these on buffers it reuses.
// `enum Kernels` is declared in Kernels.swift.

extension Kernels {
  /// The elementwise activations whose value and derivative these kernels compute
  /// inline (the others go through the tensor ops and the tape).
  enum PointwiseActivation: Equatable, Sendable {
    /// f(z) = z.
    case linear
    /// f(z) = max(0, z), f′(z) = 1 for z > 0 else 0.
    case relu
    /// f(z) = z for z > 0 else α·z, f′(z) = 1 for z > 0 else α.
    case leakyRelu(Float)
    /// f(z) = σ(z), f′ = σ(z)(1 − σ(z)) = a(1 − a).
    case sigmoid
    /// f(z) = tanh z, f′ = 1 − a².
    case tanh
  }

  /// z[r, j] += bias[j] for every row, then a = f(z) (for `.linear`, `a` is not written:
  /// the caller reads z). z and a are `rows × cols`, row-major.
  static func addBiasAndActivate(
    _ z: inout [Float], bias: [Float], rows: Int, cols: Int,
    activation: PointwiseActivation, into a: inout [Float]
  ) {
    precondition(bias.count == cols, "bias has \(bias.count) elements for \(cols) columns")
    precondition(z.count >= rows * cols && (activation == .linear || a.count >= rows * cols),
                 "buffers too small for \(rows) × \(cols)")
    z.withUnsafeMutableBufferPointer { zb in
      bias.withUnsafeBufferPointer { bb in
        let zp = zb.baseAddress!, bp = bb.baseAddress!
        if activation == .linear {
          for r in 0..<rows {
            let row = zp + r * cols
            var j = 0
            while j + 8 <= cols {
              store8(load8(row + j) + load8(bp + j), row + j)
              j += 8
            }
            while j < cols {
              row[j] += bp[j]
              j += 1
            }
          }
          return
        }
        a.withUnsafeMutableBufferPointer { ab in
          let ap = ab.baseAddress!
          for r in 0..<rows {
            let zr = zp + r * cols, ar = ap + r * cols
            switch activation {
            case .linear: break
            case .relu:
              var j = 0
              while j + 8 <= cols {
                let v = load8(zr + j) + load8(bp + j)
                store8(v, zr + j)
                store8(v.replacing(with: 0, where: v .<= 0), ar + j)
                j += 8
              }
              while j < cols {
                let v = zr[j] + bp[j]
                zr[j] = v
                ar[j] = v > 0 ? v : 0
                j += 1
              }
            case .leakyRelu(let alpha):
              for j in 0..<cols {
                let v = zr[j] + bp[j]
                zr[j] = v
                ar[j] = v > 0 ? v : alpha * v
              }
            case .sigmoid:
              var j = 0
              while j + 8 <= cols {
                let v = load8(zr + j) + load8(bp + j)
                store8(v, zr + j)
                store8(sigmoid8(v), ar + j)
                j += 8
              }
              while j < cols {
                let v = zr[j] + bp[j]
                zr[j] = v
                ar[j] = ScalarMath.sigmoid(v)
                j += 1
              }
            case .tanh:
              for j in 0..<cols {
                let v = zr[j] + bp[j]
                zr[j] = v
                ar[j] = ScalarMath.tanh(v)
              }
            }
          }
        }
      }
    }
  }

  /// delta ⊙= f′(z), the chain rule through the activation: the gradient with respect to
  /// the activation's output becomes the gradient with respect to its input. f′ is read
  /// from z (ReLU-like) or from a = f(z) (sigmoid, tanh). `.linear` leaves delta alone.
  static func multiplyByActivationDerivative(
    _ delta: inout [Float], z: [Float], a: [Float], count: Int, activation: PointwiseActivation
  ) {
    if activation == .linear { return }
    precondition(delta.count >= count && z.count >= count && a.count >= count, "buffers too small for \(count)")
    delta.withUnsafeMutableBufferPointer { db in
      z.withUnsafeBufferPointer { zb in
        a.withUnsafeBufferPointer { ab in
          let d = db.baseAddress!, zp = zb.baseAddress!, ap = ab.baseAddress!
          // Eight lanes at a time, then the tail; the selects compile to branch-free masks.
          let vectorEnd = count / 8 * 8
          switch activation {
          case .linear: break
          case .relu:
            for i in stride(from: 0, to: vectorEnd, by: 8) {
              store8(load8(d + i).replacing(with: 0, where: load8(zp + i) .<= 0), d + i)
            }
            for i in vectorEnd..<count { d[i] = zp[i] > 0 ? d[i] : 0 }
          case .leakyRelu(let alpha):
            for i in stride(from: 0, to: vectorEnd, by: 8) {
              let v = load8(d + i)
              store8(v.replacing(with: alpha * v, where: load8(zp + i) .<= 0), d + i)
            }
            for i in vectorEnd..<count { d[i] = zp[i] > 0 ? d[i] : alpha * d[i] }
          case .sigmoid:
            for i in stride(from: 0, to: vectorEnd, by: 8) {
              let y = load8(ap + i)
              store8(load8(d + i) * (y * (1 - y)), d + i)
            }
            for i in vectorEnd..<count { d[i] *= ap[i] * (1 - ap[i]) }
          case .tanh:
            for i in stride(from: 0, to: vectorEnd, by: 8) {
              let y = load8(ap + i)
              store8(load8(d + i) * (1 - y * y), d + i)
            }
            for i in vectorEnd..<count { d[i] *= 1 - ap[i] * ap[i] }
          }
        }
      }
    }
  }

  /// out[j] = alpha · Σ_r x[r, j] + beta · out[j] (beta == 0 ignores out's contents): the
  /// bias gradient Σ_batch δ, or with alpha = −η and beta = 1 the SGD step on the bias.
  static func columnSums(
    _ x: [Float], rows: Int, cols: Int, alpha: Float, beta: Float, into out: inout [Float]
  ) {
    precondition(x.count >= rows * cols && out.count >= cols, "buffers too small for \(rows) × \(cols)")
    x.withUnsafeBufferPointer { xb in
      out.withUnsafeMutableBufferPointer { ob in
        let xp = xb.baseAddress!, op = ob.baseAddress!
        // Sum the rows in order into a scratch row on the stack: each row is read once,
        // contiguously, and the sum of every column runs in the same order as `sum(alongAxis: 0)`.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: cols) { sums in
          let s = sums.baseAddress!
          s.initialize(repeating: 0, count: cols)
          for r in 0..<rows {
            let row = xp + r * cols
            for j in 0..<cols { s[j] += row[j] }
          }
          for j in 0..<cols { op[j] = beta == 0 ? alpha * s[j] : alpha * s[j] + beta * op[j] }
        }
      }
    }
  }
}

extension Kernels {
  /// Copies `row` into each of the first `rows` rows of `out` (row length `row.count`).
  static func broadcastRows(_ row: [Float], rows: Int, into out: inout [Float]) {
    let cols = row.count
    precondition(out.count >= rows * cols, "buffer too small for \(rows) × \(cols)")
    guard cols > 0 else { return }
    row.withUnsafeBufferPointer { rb in
      out.withUnsafeMutableBufferPointer { ob in
        for r in 0..<rows { (ob.baseAddress! + r * cols).update(from: rb.baseAddress!, count: cols) }
      }
    }
  }
}

/// Eight floats from `p` (any alignment).
@inline(__always) private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always) private func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores eight floats at `p` (any alignment).
@inline(__always) private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// σ(z) = 1/(1 + e⁻ᶻ) in eight lanes: 0 below z = −88.3 (where e⁻ᶻ is +∞; the exact
/// value is under 5·10⁻³⁹), 1 for large z.
@inline(__always) private func sigmoid8(_ z: SIMD8<Float>) -> SIMD8<Float> {
  1 / (1 + exp8(-z))
}

/// eˣ in eight lanes, to about 1 ulp (Cephes's expf): x = n·ln 2 + r with |r| ≤ ln 2 / 2
/// (ln 2 split in two parts so n·ln 2 is exact), eʳ by a degree-7 polynomial, and 2ⁿ built
/// in the exponent bits. Above 88.3 the result is +∞ (eˣ is within 30% of overflowing);
/// below −87.3 it is e^−87.3 ≈ 1.2·10⁻³⁸ rather than a subnormal.
/// The libm call per element it replaces kept a sigmoid layer from vectorising (a
/// 784-256-128-10 sigmoid MLP step spent a third of its time in expf).
@inline(__always) private func exp8(_ input: SIMD8<Float>) -> SIMD8<Float> {
  var x = input.replacing(with: -87.3, where: input .< -87.3)
  x.replace(with: 88.3, where: x .> 88.3)
  // n = round(x·log₂e) by adding 1.5·2²³: the sum's low mantissa bits are n itself,
  // which also gives 2ⁿ's exponent bits without a float-to-int conversion.
  let magic: Float = 12_582_912
  let shifted = x * 1.442_695_040_888_963_4 + magic
  let n = shifted - magic
  let r = x - n * 0.693_359_375 + n * 2.121_944_40e-4
  var p = SIMD8<Float>(repeating: 1.987_569_150_0e-4)
  p = p * r + 1.398_199_950_7e-3
  p = p * r + 8.333_451_907_3e-3
  p = p * r + 4.166_579_589_4e-2
  p = p * r + 1.666_666_545_9e-1
  p = p * r + 5.000_000_120_1e-1
  p = p * r * r + r + 1
  let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
  return (p * unsafeBitCast(exponent, to: SIMD8<Float>.self)).replacing(with: .infinity, where: input .> 88.3)
}
