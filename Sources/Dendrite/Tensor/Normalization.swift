// Batch and layer normalisation, each one tape op with a closed-form pullback (as
// ``linear(_:weight:bias:)`` is), rather than a chain of reductions and broadcasts: one
// entry per call, statistics accumulated in Double, and a backward pass that needs no
// intermediate tensors beyond the normalised input x̂.

/// The batch statistics of one ``batchNormalization(_:weight:bias:epsilon:)`` call, per channel.
public struct BatchStatistics: Sendable {
  /// The batch mean μ_B, `[C]`.
  public let mean: Tensor
  /// The biased batch variance σ²_B = (1/M)·Σ(x − μ_B)², `[C]` (what normalises the batch).
  public let variance: Tensor
  /// The unbiased batch variance (1/(M − 1))·Σ(x − μ_B)², `[C]` (what PyTorch folds into
  /// `running_var`); equal to `variance` when M = 1.
  public let unbiasedVariance: Tensor
  /// M, the number of values per channel: N for `[N, C]`, N·H·W for `[N, C, H, W]`.
  public let count: Int
}

/// The shape of a batch-norm input: N, C and S, the product of the axes after the channel axis.
private func batchNormLayout(_ x: Tensor, weight: Tensor, bias: Tensor, op: String) -> (n: Int, c: Int, s: Int) {
  precondition(
    x.rank >= 2 && weight.shape == [x.shape[1]] && bias.shape == [x.shape[1]],
    "\(op) needs x [N, C] or [N, C, H, W] and weight, bias [C], got \(x.shape), \(weight.shape) and \(bias.shape)")
  return (x.shape[0], x.shape[1], x.shape.dropFirst(2).reduce(1, *))
}

/// Batch normalisation in training mode (PyTorch's `BatchNorm1d`/`BatchNorm2d` with
/// `training=True`): every channel is normalised with the statistics of the batch itself.
///
/// The channel axis is axis 1; the statistics run over every other axis, so over N for
/// `[N, C]` and over N, H and W for `[N, C, H, W]` (M values per channel):
///
///     μ_B = (1/M)·Σ x          σ²_B = (1/M)·Σ (x − μ_B)²   (biased)
///     x̂ = (x − μ_B)/√(σ²_B + ε)
///     y = γ·x̂ + β
///
/// The pullback, per channel, with g = ∂J/∂y:
///
///     ∂J/∂β = Σ g      ∂J/∂γ = Σ g·x̂
///     ∂J/∂x = γ/(M·√(σ²_B + ε)) · (M·g − Σ g − x̂·Σ g·x̂)
///
/// The batch statistics come back without derivative, for a layer's running averages:
///
///     let x = Tensor([[1, 2], [3, 6]])
///     let (y, stats) = batchNormalization(x, weight: Tensor([1, 1]), bias: Tensor([0, 0]))
///     // y ≈ [[-1, -1], [1, 1]], stats.mean = [2, 4], stats.variance = [1, 4]
///
/// - Precondition: x has rank ≥ 2 and `weight`, `bias` are `[C]` with C = x.shape[1].
public func batchNormalization(
  _ x: Tensor, weight: Tensor, bias: Tensor, epsilon: Float = 1e-5
) -> (output: Tensor, statistics: BatchStatistics) {
  let (n, c, s) = batchNormLayout(x, weight: weight, bias: bias, op: "batchNormalization")
  let m = n * s
  precondition(m > 0, "batchNormalization needs at least one value per channel, got x \(x.shape)")
  let xs = x.scalars, gamma = weight.scalars, beta = bias.scalars
  var mean = [Float](repeating: 0, count: c), variance = mean, unbiased = mean, inverse = mean
  for channel in 0..<c {
    var sum = 0.0
    for batch in 0..<n {
      let base = (batch * c + channel) * s
      for i in base..<(base + s) { sum += Double(xs[i]) }
    }
    let mu = sum / Double(m)
    var squares = 0.0
    for batch in 0..<n {
      let base = (batch * c + channel) * s
      for i in base..<(base + s) {
        let d = Double(xs[i]) - mu
        squares += d * d
      }
    }
    mean[channel] = Float(mu)
    variance[channel] = Float(squares / Double(m))
    unbiased[channel] = Float(m > 1 ? squares / Double(m - 1) : squares / Double(m))
    inverse[channel] = Float(1 / (squares / Double(m) + Double(epsilon)).squareRoot())
  }
  var normalized = Kernels.outputArray(count: xs.count)
  var y = Kernels.outputArray(count: xs.count)
  for batch in 0..<n {
    for channel in 0..<c {
      let base = (batch * c + channel) * s
      let (mu, inv, g, b) = (mean[channel], inverse[channel], gamma[channel], beta[channel])
      for i in base..<(base + s) {
        let h = (xs[i] - mu) * inv
        normalized[i] = h
        y[i] = g * h + b
      }
    }
  }
  let statistics = BatchStatistics(
    mean: Tensor(shape: [c], scalars: mean), variance: Tensor(shape: [c], scalars: variance),
    unbiasedVariance: Tensor(shape: [c], scalars: unbiased), count: m)
  let output = Tensor.recording(Tensor(shape: x.shape, scalars: y), from: x, weight, bias) { upstream, needed in
    let gs = upstream.scalars
    var sumG = [Double](repeating: 0, count: c), sumGH = sumG
    for batch in 0..<n {
      for channel in 0..<c {
        let base = (batch * c + channel) * s
        var a = 0.0, b = 0.0
        for i in base..<(base + s) {
          a += Double(gs[i])
          b += Double(gs[i]) * Double(normalized[i])
        }
        sumG[channel] += a
        sumGH[channel] += b
      }
    }
    var dx: Tensor?
    if needed[0] {
      var scalars = Kernels.outputArray(count: gs.count)
      let count = Float(m)
      for batch in 0..<n {
        for channel in 0..<c {
          let base = (batch * c + channel) * s
          let scale = gamma[channel] * inverse[channel] / count
          let (sg, sgh) = (Float(sumG[channel]), Float(sumGH[channel]))
          for i in base..<(base + s) { scalars[i] = scale * (count * gs[i] - sg - normalized[i] * sgh) }
        }
      }
      dx = Tensor(shape: x.shape, scalars: scalars)
    }
    let dGamma = needed[1] ? Tensor(shape: [c], scalars: sumGH.map { Float($0) }) : nil
    let dBeta = needed[2] ? Tensor(shape: [c], scalars: sumG.map { Float($0) }) : nil
    return (dx, dGamma, dBeta)
  }
  return (output, statistics)
}

/// Batch normalisation in inference mode: every channel is normalised with given
/// statistics (a layer's running averages) rather than the batch's.
///
///     y = γ·(x − mean)/√(variance + ε) + β
///
/// `mean` and `variance` are constants here; with g = ∂J/∂y and x̂ = (x − mean)/√(variance + ε):
///
///     ∂J/∂x = g·γ/√(variance + ε)      ∂J/∂γ = Σ g·x̂      ∂J/∂β = Σ g
///
///     let y = batchNormalization(
///       Tensor([[1, 2]]), weight: Tensor([1, 1]), bias: Tensor([0, 0]),
///       mean: Tensor([0, 0]), variance: Tensor([1, 4]), epsilon: 0)   // [[1, 1]]
///
/// - Precondition: x has rank ≥ 2 and `weight`, `bias`, `mean`, `variance` are `[C]` with C = x.shape[1].
public func batchNormalization(
  _ x: Tensor, weight: Tensor, bias: Tensor, mean: Tensor, variance: Tensor, epsilon: Float = 1e-5
) -> Tensor {
  let (n, c, s) = batchNormLayout(x, weight: weight, bias: bias, op: "batchNormalization")
  precondition(
    mean.shape == [c] && variance.shape == [c],
    "batchNormalization needs mean and variance [\(c)] for x \(x.shape), got \(mean.shape) and \(variance.shape)")
  let xs = x.scalars, gamma = weight.scalars, beta = bias.scalars, mu = mean.scalars
  let inverse = variance.scalars.map { 1 / ($0 + epsilon).squareRoot() }
  var y = Kernels.outputArray(count: xs.count)
  for batch in 0..<n {
    for channel in 0..<c {
      let base = (batch * c + channel) * s
      let scale = gamma[channel] * inverse[channel]
      let shift = beta[channel] - scale * mu[channel]
      for i in base..<(base + s) { y[i] = scale * xs[i] + shift }
    }
  }
  return Tensor.recording(Tensor(shape: x.shape, scalars: y), from: x, weight, bias) { upstream, needed in
    let gs = upstream.scalars
    var dx: Tensor?
    if needed[0] {
      var scalars = Kernels.outputArray(count: gs.count)
      for batch in 0..<n {
        for channel in 0..<c {
          let base = (batch * c + channel) * s
          let scale = gamma[channel] * inverse[channel]
          for i in base..<(base + s) { scalars[i] = scale * gs[i] }
        }
      }
      dx = Tensor(shape: x.shape, scalars: scalars)
    }
    guard needed[1] || needed[2] else { return (dx, nil, nil) }
    var sumG = [Double](repeating: 0, count: c), sumGH = sumG
    for batch in 0..<n {
      for channel in 0..<c {
        let base = (batch * c + channel) * s
        for i in base..<(base + s) {
          let h = (xs[i] - mu[channel]) * inverse[channel]
          sumG[channel] += Double(gs[i])
          sumGH[channel] += Double(gs[i] * h)
        }
      }
    }
    return (
      dx, needed[1] ? Tensor(shape: [c], scalars: sumGH.map { Float($0) }) : nil,
      needed[2] ? Tensor(shape: [c], scalars: sumG.map { Float($0) }) : nil
    )
  }
}

/// Layer normalisation over the last axis (PyTorch's `LayerNorm(D)`): every row of D
/// features is normalised with its own mean and biased variance, then scaled and shifted
/// feature by feature; the same in training and inference.
///
///     μ = (1/D)·Σ_j x_j       σ² = (1/D)·Σ_j (x_j − μ)²
///     x̂ = (x − μ)/√(σ² + ε)
///     y = γ ⊙ x̂ + β                                   γ, β: [D]
///
/// The pullback, per row, with g = ∂J/∂y and h = g ⊙ γ:
///
///     ∂J/∂x = 1/(D·√(σ² + ε)) · (D·h − Σ_j h_j − x̂·Σ_j h_j·x̂_j)
///     ∂J/∂γ = Σ_rows g ⊙ x̂        ∂J/∂β = Σ_rows g
///
///     let y = layerNormalization(Tensor([[1, 3]]), weight: Tensor([1, 1]), bias: Tensor([0, 0]), epsilon: 0)
///     // [[-1, 1]]
///
/// - Precondition: x has rank ≥ 1 and `weight`, `bias` are `[D]` with D = x's last axis.
public func layerNormalization(_ x: Tensor, weight: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
  precondition(
    x.rank >= 1 && weight.shape == [x.shape[x.rank - 1]] && bias.shape == weight.shape,
    "layerNormalization needs weight and bias [D] for x [..., D], got x \(x.shape), weight \(weight.shape) and bias \(bias.shape)")
  let d = x.shape[x.rank - 1]
  let rows = d == 0 ? 0 : x.scalarCount / d
  let xs = x.scalars, gamma = weight.scalars, beta = bias.scalars
  var normalized = Kernels.outputArray(count: xs.count)
  var y = Kernels.outputArray(count: xs.count)
  var inverse = [Float](repeating: 0, count: rows)
  for row in 0..<rows {
    let base = row * d
    var sum = 0.0
    for i in base..<(base + d) { sum += Double(xs[i]) }
    let mu = sum / Double(d)
    var squares = 0.0
    for i in base..<(base + d) {
      let diff = Double(xs[i]) - mu
      squares += diff * diff
    }
    let inv = 1 / (squares / Double(d) + Double(epsilon)).squareRoot()
    inverse[row] = Float(inv)
    for j in 0..<d {
      let h = Float((Double(xs[base + j]) - mu) * inv)
      normalized[base + j] = h
      y[base + j] = gamma[j] * h + beta[j]
    }
  }
  return Tensor.recording(Tensor(shape: x.shape, scalars: y), from: x, weight, bias) { upstream, needed in
    let gs = upstream.scalars
    var dx: Tensor?
    if needed[0] {
      var scalars = Kernels.outputArray(count: gs.count)
      let count = Float(d)
      for row in 0..<rows {
        let base = row * d
        var sumH = 0.0, sumHX = 0.0
        for j in 0..<d {
          let h = Double(gs[base + j] * gamma[j])
          sumH += h
          sumHX += h * Double(normalized[base + j])
        }
        let scale = inverse[row] / count
        let (sh, shx) = (Float(sumH), Float(sumHX))
        for j in 0..<d {
          scalars[base + j] = scale * (count * gs[base + j] * gamma[j] - sh - normalized[base + j] * shx)
        }
      }
      dx = Tensor(shape: x.shape, scalars: scalars)
    }
    guard needed[1] || needed[2] else { return (dx, nil, nil) }
    var sumG = [Double](repeating: 0, count: d), sumGH = sumG
    for row in 0..<rows {
      let base = row * d
      for j in 0..<d {
        sumG[j] += Double(gs[base + j])
        sumGH[j] += Double(gs[base + j]) * Double(normalized[base + j])
      }
    }
    return (
      dx, needed[1] ? Tensor(shape: [d], scalars: sumGH.map { Float($0) }) : nil,
      needed[2] ? Tensor(shape: [d], scalars: sumG.map { Float($0) }) : nil
    )
  }
}
