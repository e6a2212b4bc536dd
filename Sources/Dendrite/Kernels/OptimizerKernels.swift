import CDendriteKernels

// The optimizers' per-element updates, as pointer loops over whole parameters.
//
// Adam, the default of `dendrite train` and the most used, also has a sixteen-lane
// AVX-512 kernel in the C target (chosen at run time, like the GEMM kernels) and splits
// large parameters across the threads.
//
// They run over pointers because array subscripts would pay a bounds check and a
// copy-on-write uniqueness check per element and per array, and the kernels with a square
// root run eight lanes at a time (`SIMD8<Float>`: vector sqrtps/divps, two SSE registers
// on the default x86-64 target, one AVX register where the compiler may use it) rather
// than one square root and one division at a time. Every kernel keeps its optimizer's
// arithmetic exactly — the same IEEE operations in the same order, which are correctly
// rounded lane by lane — so results are bit-identical to the scalar formula.

/// Eight lanes loaded from / stored to `pointer` (no alignment needed).
private typealias Lanes = SIMD8<Float>

@inline(__always) private func load(_ pointer: UnsafePointer<Float>) -> Lanes {
  UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
}

@inline(__always) private func load(_ pointer: UnsafeMutablePointer<Float>) -> Lanes {
  UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
}

@inline(__always) private func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
}

extension Kernels {
  /// Adam (with L2 `l2`, or 0): for every element,
  ///
  ///     g ← g + l2·w;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
  ///     w ← w − stepSize · m / (√v / rootCorrection2 + ε)
  ///
  /// where stepSize = η/(1 − β₁ᵗ) and rootCorrection2 = √(1 − β₂ᵗ).
  static func adamUpdate(
    _ w: inout [Float], gradient g: [Float], m: inout [Float], v: inout [Float],
    beta1: Float, beta2: Float, epsilon: Float, l2: Float, stepSize: Float, rootCorrection2: Float,
    wideKernel: Bool = gemmKernel == .avx512, threads: Int = threadCount
  ) {
    precondition(g.count == w.count && m.count == w.count && v.count == w.count, "adamUpdate: lengths differ")
    let count = w.count
    w.withUnsafeMutableBufferPointer { w in
      m.withUnsafeMutableBufferPointer { m in
        v.withUnsafeMutableBufferPointer { v in
          g.withUnsafeBufferPointer { g in
            guard let wp = w.baseAddress, let mp = m.baseAddress, let vp = v.baseAddress, let gp = g.baseAddress
            else { return }
            // Elements start..<end: sixteen lanes in C where AVX-512 is there, then eight
            // lanes, then one at a time — the same operations in the same order at each width.
            let part = { (start: Int, end: Int) in
              var i = start
              if wideKernel {
                i += dendrite_adam_avx512(
                  end - start, wp + start, gp + start, mp + start, vp + start, beta1, beta2, epsilon, l2, stepSize,
                  rootCorrection2)
              }
              let (b1, c1, b2, c2) = (Lanes(repeating: beta1), Lanes(repeating: 1 - beta1),
                                      Lanes(repeating: beta2), Lanes(repeating: 1 - beta2))
              let (decay, size, root, eps) = (Lanes(repeating: l2), Lanes(repeating: stepSize),
                                              Lanes(repeating: rootCorrection2), Lanes(repeating: epsilon))
              while i + Lanes.scalarCount <= end {
                let wi = load(wp + i)
                let gi = l2 == 0 ? load(gp + i) : load(gp + i) + decay * wi
                let mi = b1 * load(mp + i) + c1 * gi
                let vi = b2 * load(vp + i) + c2 * gi * gi
                store(mi, mp + i)
                store(vi, vp + i)
                store(wi - size * (mi / (vi.squareRoot() / root + eps)), wp + i)
                i += Lanes.scalarCount
              }
              for i in i..<end {
                let gi = l2 == 0 ? gp[i] : gp[i] + l2 * wp[i]
                mp[i] = beta1 * mp[i] + (1 - beta1) * gi
                vp[i] = beta2 * vp[i] + (1 - beta2) * gi * gi
                wp[i] -= stepSize * (mp[i] / (vp[i].squareRoot() / rootCorrection2 + epsilon))
              }
            }
            // A large parameter is split across the threads in blocks of whole 16-lane
            // groups (each element is still computed exactly once, the same way): the
            // update streams four arrays through memory, and two cores fetch faster than one.
            let parts = count >= optimizerParallelCount ? Swift.max(1, Swift.min(threads, count / optimizerParallelCount)) : 1
            if parts == 1 {
              part(0, count)
            } else {
              let block = (count / parts + 15) / 16 * 16
              workerPool.run(tasks: parts, participants: parts) { _, task in
                part(Swift.min(count, task * block), Swift.min(count, (task + 1) * block))
              }
            }
          }
        }
      }
    }
  }

  /// Parameters with at least this many elements have their optimizer update split across
  /// threads (Adam on 2¹⁶ floats streams ~1 MiB through four arrays, ~100 µs on one core).
  static let optimizerParallelCount = 1 << 16

  /// RMSProp (Keras): s ← ρs + (1 − ρ)g²;  w ← w − η·g/√(s + ε).
  static func rmsPropUpdate(
    _ w: inout [Float], gradient g: [Float], meanSquare s: inout [Float], rho: Float, epsilon: Float,
    learningRate: Float
  ) {
    precondition(g.count == w.count && s.count == w.count, "rmsPropUpdate: lengths differ")
    w.withUnsafeMutableBufferPointer { w in
      s.withUnsafeMutableBufferPointer { s in
        g.withUnsafeBufferPointer { g in
          guard let wp = w.baseAddress, let sp = s.baseAddress, let gp = g.baseAddress else { return }
          let (r, c, eps, eta) = (Lanes(repeating: rho), Lanes(repeating: 1 - rho), Lanes(repeating: epsilon),
                                  Lanes(repeating: learningRate))
          var i = 0
          while i + Lanes.scalarCount <= w.count {
            let gi = load(gp + i)
            let si = r * load(sp + i) + c * (gi * gi)
            store(si, sp + i)
            store(load(wp + i) - eta * gi / (si + eps).squareRoot(), wp + i)
            i += Lanes.scalarCount
          }
          for i in i..<w.count {
            s[i] = rho * s[i] + (1 - rho) * (g[i] * g[i])
            w[i] -= learningRate * g[i] / (s[i] + epsilon).squareRoot()
          }
        }
      }
    }
  }

  /// Adagrad: s ← s + g²;  w ← w − η·g/(√s + ε).
  static func adagradUpdate(
    _ w: inout [Float], gradient g: [Float], accumulator s: inout [Float], epsilon: Float, learningRate: Float
  ) {
    precondition(g.count == w.count && s.count == w.count, "adagradUpdate: lengths differ")
    w.withUnsafeMutableBufferPointer { w in
      s.withUnsafeMutableBufferPointer { s in
        g.withUnsafeBufferPointer { g in
          guard let wp = w.baseAddress, let sp = s.baseAddress, let gp = g.baseAddress else { return }
          let (eps, eta) = (Lanes(repeating: epsilon), Lanes(repeating: learningRate))
          var i = 0
          while i + Lanes.scalarCount <= w.count {
            let gi = load(gp + i)
            let si = load(sp + i) + gi * gi
            store(si, sp + i)
            store(load(wp + i) - eta * (gi / (si.squareRoot() + eps)), wp + i)
            i += Lanes.scalarCount
          }
          for i in i..<w.count {
            s[i] += g[i] * g[i]
            w[i] -= learningRate * (g[i] / (s[i].squareRoot() + epsilon))
          }
        }
      }
    }
  }

  /// SGD with weight decay λ and, when `velocity` is given, momentum μ (PyTorch):
  ///
  ///     d ← g + λw;  v ← μv + d;  w ← w − η·(nesterov ? d + μv : v)      (momentum)
  ///     w ← w − η·d                                                        (plain)
  static func sgdUpdate(
    _ w: inout [Float], gradient g: [Float], velocity: inout [Float]?, learningRate eta: Float,
    momentum mu: Float, nesterov: Bool, weightDecay lambda: Float
  ) {
    precondition(g.count == w.count && (velocity?.count ?? w.count) == w.count, "sgdUpdate: lengths differ")
    w.withUnsafeMutableBufferPointer { w in
      g.withUnsafeBufferPointer { g in
        guard var v = velocity else {
          for i in 0..<w.count {
            let d = lambda == 0 ? g[i] : g[i] + lambda * w[i]
            w[i] -= eta * d
          }
          return
        }
        velocity = nil  // so that `v` is the array's only reference and updates in place
        v.withUnsafeMutableBufferPointer { v in
          for i in 0..<w.count {
            let d = lambda == 0 ? g[i] : g[i] + lambda * w[i]
            v[i] = mu * v[i] + d
            w[i] -= eta * (nesterov ? d + mu * v[i] : v[i])
          }
        }
        velocity = v
      }
    }
  }
}
