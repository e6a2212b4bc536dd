/// How gradients flow through a network's dense layers for one batch: the figures behind
/// the study's vanishing and exploding gradients.
///
/// Backpropagation multiplies the output error by one factor per layer,
///
///     δ^(l) = (W^(l+1)ᵀ·δ^(l+1)) ⊙ f′(z^(l))
///
/// so with sigmoid units (f′ ≤ 1/4) the error shrinks layer by layer towards the input,
/// and with large weights it can grow instead. A snapshot records, per dense layer (input
/// side first), the norm of that error δ = ∂J/∂z, of the weight and bias gradients, and how
/// many units sit where f′ is nearly zero.
///
///     let snapshot = GradientFlowSnapshot.measure(model: model, features: x, labels: .classes(y, classCount: 10),
///                                                 loss: .softmaxCrossEntropy)
///     snapshot.firstToLastWeightGradientRatio   // ≪ 1 for a deep sigmoid stack
public struct GradientFlowSnapshot: Sendable, Equatable {
  /// One dense layer's figures.
  public struct LayerFigures: Sendable, Equatable {
    /// The parameter name of the layer's weight (`0.weight`, …).
    public var name: String
    /// The layer's activation.
    public var activation: Activation
    /// ‖∂J/∂W‖, the Frobenius norm of the weight gradient.
    public var weightGradientNorm: Float
    /// ‖∂J/∂b‖.
    public var biasGradientNorm: Float
    /// ‖δ‖ = ‖∂J/∂z‖ over the batch: the backpropagated error arriving at this layer.
    public var errorNorm: Float
    /// The share of (sample, unit) pairs where the activation's derivative is below 0.01:
    /// κ′(z) for sigmoid, 1 − tanh²(z) for tanh; nil for other activations.
    public var saturatedShare: Float?
    /// The share of units that output 0 for every sample of the batch (ReLU only).
    public var deadShare: Float?
  }

  /// The dense layers, input side first.
  public var layers: [LayerFigures]
  /// The batch loss.
  public var loss: Float

  /// The first dense layer's weight-gradient norm over the last one's: how much of the
  /// output layer's gradient reaches the input side (≪ 1: vanishing; ≫ 1: exploding).
  public var firstToLastWeightGradientRatio: Float {
    guard let first = layers.first, let last = layers.last, last.weightGradientNorm > 0 else { return .nan }
    return first.weightGradientNorm / last.weightGradientNorm
  }

  /// Whether any figure is NaN or infinite.
  public var hasNonFiniteValues: Bool {
    !loss.isFinite || layers.contains { !$0.weightGradientNorm.isFinite || !$0.errorNorm.isFinite }
  }

  /// Measures one batch.
  ///
  /// - Precondition: the model is a flat stack of ``Dense`` layers (dropout and activation
  ///   layers are skipped: the snapshot is taken in inference mode).
  public static func measure(
    model: Sequential, features: Tensor, labels: Dataset.Labels, loss: Loss,
    objective: ((_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor)? = nil
  ) -> GradientFlowSnapshot {
    let dense = model.layers.compactMap { $0 as? Dense }
    precondition(!dense.isEmpty, "GradientFlowSnapshot needs dense layers")
    let parameterNames = model.parameterNames.filter { $0.hasSuffix(".weight") }
    // Differentiate with respect to the weights, the biases and a zero offset added to
    // each pre-activation z: the offset's gradient is δ = ∂J/∂z.
    let offsets = dense.map { Tensor.zeros(shape: [features.shape[0], $0.outputSize]) }
    var preActivations: [Tensor] = []
    var outputs: [Tensor] = []
    let (value, gradients) = valueWithGradient(at: dense.flatMap { [$0.weight, $0.bias] } + offsets) { p in
      var x = features
      preActivations = []
      outputs = []
      for (index, layer) in dense.enumerated() {
        let z = matmul(x, p[2 * index], transposeB: true) + p[2 * index + 1] + p[2 * dense.count + index]
        preActivations.append(z.withoutDerivative())
        x = layer.activation.apply(z)
        outputs.append(x.withoutDerivative())
      }
      return objective?(x, labels) ?? loss.compute(outputs: x, labels: labels)
    }
    let layers = dense.enumerated().map { index, layer in
      LayerFigures(
        name: index < parameterNames.count ? parameterNames[index] : "\(index).weight",
        activation: layer.activation,
        weightGradientNorm: norm(gradients[2 * index]),
        biasGradientNorm: norm(gradients[2 * index + 1]),
        errorNorm: norm(gradients[2 * dense.count + index]),
        saturatedShare: saturatedShare(layer.activation, preActivations[index], outputs[index]),
        deadShare: layer.activation == .relu ? deadShare(outputs[index]) : nil)
    }
    return GradientFlowSnapshot(layers: layers, loss: value.scalar)
  }

  /// ‖t‖₂ over all elements, accumulated in Double.
  static func norm(_ t: Tensor) -> Float {
    Float(t.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
  }

  private static func saturatedShare(_ activation: Activation, _ z: Tensor, _ a: Tensor) -> Float? {
    let derivatives: [Float]
    switch activation {
    case .sigmoid: derivatives = a.scalars.map { $0 * (1 - $0) }
    case .tanh: derivatives = a.scalars.map { 1 - $0 * $0 }
    default: return nil
    }
    guard !derivatives.isEmpty else { return nil }
    return Float(derivatives.filter { $0 < 0.01 }.count) / Float(derivatives.count)
  }

  private static func deadShare(_ a: Tensor) -> Float {
    let (rows, units) = (a.shape[0], a.shape[1])
    guard units > 0 else { return 0 }
    var dead = 0
    for unit in 0..<units where (0..<rows).allSatisfy({ a.scalars[$0 * units + unit] <= 0 }) { dead += 1 }
    return Float(dead) / Float(units)
  }
}
