// The pointwise parts of a dense layer's forward and backward pass, fused into single
// passes over a batch's rows: bias + activation after the GEMM, the activation's
// derivative before the backward GEMMs, and the bias gradient (or SGD step) as column
// sums. ``Trainer`` runs these on buffers it reuses.
// `enum Kernels` is declared in Kernels.swift.

extension Kernels {
  /// The elementwise activations whose value and derivative these kernels compute
  /// inline (the others go through the tensor ops and the tape), each with the formulas of
  /// its tape op.
  enum PointwiseActivation: Equatable, Sendable {
    /// The identity, f(z) = z.
    case linear
    /// ``relu(_:)``: ``ReLUFormula``.
    case relu
    /// ``leakyRelu(_:alpha:)`` with slope α: ``LeakyReLUFormula``.
    case leakyRelu(Float)
    /// ``sigmoid(_:)``: ``SigmoidFormula``.
    case sigmoid
    /// ``tanh(_:)``: ``TanhFormula``.
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
          switch activation {
          case .linear: break
          case .relu: addBiasAndApply(ReLUFormula(), z: zp, bias: bp, into: ap, rows: rows, cols: cols)
          case .leakyRelu(let alpha):
            addBiasAndApply(LeakyReLUFormula(alpha: alpha), z: zp, bias: bp, into: ap, rows: rows, cols: cols)
          case .sigmoid: addBiasAndApply(SigmoidFormula(), z: zp, bias: bp, into: ap, rows: rows, cols: cols)
          case .tanh: addBiasAndApply(TanhFormula(), z: zp, bias: bp, into: ap, rows: rows, cols: cols)
          }
        }
      }
    }
  }

  /// delta ⊙= f′(z), the chain rule through the activation: the gradient with respect to
  /// the activation's output becomes the gradient with respect to its input, by the
  /// formula's ``PointwiseFormula/inputGradient(_:input:output:)``, which gets both z and
  /// a = f(z) and reads the one it needs. `.linear` leaves delta alone.
  static func multiplyByActivationDerivative(
    _ delta: inout [Float], z: [Float], a: [Float], count: Int, activation: PointwiseActivation
  ) {
    if activation == .linear { return }
    precondition(delta.count >= count && z.count >= count && a.count >= count, "buffers too small for \(count)")
    delta.withUnsafeMutableBufferPointer { db in
      z.withUnsafeBufferPointer { zb in
        a.withUnsafeBufferPointer { ab in
          let d = db.baseAddress!, zp = zb.baseAddress!, ap = ab.baseAddress!
          switch activation {
          case .linear: break
          case .relu: multiplyByDerivative(ReLUFormula(), delta: d, z: zp, a: ap, count: count)
          case .leakyRelu(let alpha):
            multiplyByDerivative(LeakyReLUFormula(alpha: alpha), delta: d, z: zp, a: ap, count: count)
          case .sigmoid: multiplyByDerivative(SigmoidFormula(), delta: d, z: zp, a: ap, count: count)
          case .tanh: multiplyByDerivative(TanhFormula(), delta: d, z: zp, a: ap, count: count)
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

/// z[r, j] += bias[j], then a[r, j] = f(z[r, j]), over `rows × cols`: the eight-lane
/// formula over each row's blocks of eight, the scalar one over its tail. Inlined into
/// each case of `addBiasAndActivate`, so every formula gets its own specialised loop.
@inline(__always) private func addBiasAndApply(
  _ formula: some VectorisedPointwiseFormula, z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
  into a: UnsafeMutablePointer<Float>, rows: Int, cols: Int
) {
  for r in 0..<rows {
    let zr = z + r * cols, ar = a + r * cols
    var j = 0
    while j + 8 <= cols {
      let v = load8(zr + j) + load8(bias + j)
      store8(v, zr + j)
      store8(formula.value(v), ar + j)
      j += 8
    }
    addBiasAndApply(formula, z: zr, bias: bias, into: ar, columns: j..<cols)
  }
}

/// The same with the scalar formula over whole rows, for a formula without an eight-lane
/// value (the compiler vectorises what it can).
@inline(__always) private func addBiasAndApply(
  _ formula: some PointwiseFormula, z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
  into a: UnsafeMutablePointer<Float>, rows: Int, cols: Int
) {
  for r in 0..<rows {
    addBiasAndApply(formula, z: z + r * cols, bias: bias, into: a + r * cols, columns: 0..<cols)
  }
}

/// z[j] += bias[j], a[j] = f(z[j]) for the columns `columns` of one row.
@inline(__always) private func addBiasAndApply(
  _ formula: some PointwiseFormula, z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
  into a: UnsafeMutablePointer<Float>, columns: Range<Int>
) {
  for j in columns {
    let v = z[j] + bias[j]
    z[j] = v
    a[j] = formula.value(v)
  }
}

/// delta[i] ← delta[i]·f′(z[i]) (given z[i] and a[i] = f(z[i])) for i < count: eight lanes
/// at a time, then the tail. Inlined into each case of `multiplyByActivationDerivative`.
@inline(__always) private func multiplyByDerivative(
  _ formula: some PointwiseFormula, delta d: UnsafeMutablePointer<Float>, z: UnsafePointer<Float>,
  a: UnsafePointer<Float>, count: Int
) {
  let vectorEnd = count / 8 * 8
  for i in stride(from: 0, to: vectorEnd, by: 8) {
    store8(formula.inputGradient(load8(d + i), input: load8(z + i), output: load8(a + i)), d + i)
  }
  for i in vectorEnd..<count { d[i] = formula.inputGradient(d[i], input: z[i], output: a[i]) }
}
