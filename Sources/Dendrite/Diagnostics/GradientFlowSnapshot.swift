/// How gradients flow through a network's layers for one batch: the figures behind
/// the study's vanishing and exploding gradients.
///
/// Backpropagation multiplies the output error by one factor per layer,
///
///     δ^(l) = (W^(l+1)ᵀ·δ^(l+1)) ⊙ f′(z^(l))
///
/// so with sigmoid units (f′ ≤ 1/4) the error shrinks layer by layer towards the input,
/// and with large weights it can grow instead. A snapshot records, per layer with
/// parameters (input side first), the norm of the weight and bias gradients and, for dense
/// layers, of that error δ = ∂J/∂z and how many units sit where f′ is nearly zero.
///
///     let snapshot = GradientFlowSnapshot.measure(model: model, features: x, labels: .classes(y, classCount: 10),
///                                                 loss: .softmaxCrossEntropy)
///     snapshot.firstToLastWeightGradientRatio   // ≪ 1 for a deep sigmoid stack
public struct GradientFlowSnapshot: Sendable, Equatable {
  /// One layer's figures.
  public struct LayerFigures: Sendable, Equatable {
    /// The parameter name of the layer's weight (`0.weight`, …).
    public var name: String
    /// The layer's activation.
    public var activation: Activation
    /// ‖∂J/∂W‖, the Frobenius norm of the weight gradient.
    public var weightGradientNorm: Float
    /// ‖∂J/∂b‖.
    public var biasGradientNorm: Float
    /// ‖δ‖ = ‖∂J/∂z‖ over the batch: the backpropagated error arriving at this layer; NaN
    /// for a layer that is not ``Dense``, whose z is not known.
    public var errorNorm: Float
    /// The share of (sample, unit) pairs where the activation's derivative is below 0.01:
    /// κ′(z) for sigmoid, 1 − tanh²(z) for tanh; nil for other activations.
    public var saturatedShare: Float?
    /// The share of units that output 0 for every sample of the batch (ReLU only).
    public var deadShare: Float?
  }

  /// The layers with parameters, in parameter order (input side first for a ``Sequential``).
  public var layers: [LayerFigures]
  /// The batch loss.
  public var loss: Float

  /// The first dense layer's weight-gradient norm over the last one's: how much of the
  /// output layer's gradient reaches the input side (≪ 1: vanishing; ≫ 1: exploding).
  public var firstToLastWeightGradientRatio: Float {
    guard let first = layers.first, let last = layers.last, last.weightGradientNorm > 0 else { return .nan }
    return first.weightGradientNorm / last.weightGradientNorm
  }

  /// Whether any figure is NaN or infinite (a non-dense layer's NaN ‖δ‖ aside: a dense
  /// layer's NaN δ shows in its weight gradient too).
  public var hasNonFiniteValues: Bool {
    !loss.isFinite || layers.contains { !$0.weightGradientNorm.isFinite || $0.errorNorm.isInfinite }
  }

  /// Measures one batch on the model as it runs, on the tape and in inference mode (no
  /// dropout), so the loss is the model's own loss on the batch.
  ///
  /// Every dense layer reports its figures, wherever it sits (a ``Sequential``, nested, or
  /// a custom model's property): δ is the gradient arriving at its pre-activation z, with
  /// the activation applied inline or by an ``ActivationLayer`` right after it (the same
  /// figures either way). Every other layer with parameters reports the norm of its first
  /// parameter's gradient (its "weight") and of its second (its "bias"), without δ or
  /// activation shares.
  ///
  /// - Parameters:
  ///   - model: any model.
  ///   - features: a batch `[B, D]`.
  ///   - labels: its labels.
  ///   - loss: the loss differentiated; `objective` replaces its formula as in `fit`.
  ///   - objective: outputs and labels in, the batch loss out; nil uses `loss`'s formula.
  public static func measure(
    model: any Layer, features: Tensor, labels: Dataset.Labels, loss: Loss,
    objective: ((_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor)? = nil
  ) -> GradientFlowSnapshot {
    let inspector = ForwardInspector(.probe)
    let names = model.parameterNames
    let (value, gradients) = ForwardInspector.$current.withValue(inspector) {
      valueWithGradient(at: model.parameterValues) { leaves in
        var copy = model
        copy.parameterValues = leaves
        var context = ForwardContext.inference
        let outputs = copy.forward(features, context: &context)
        return objective?(outputs, labels) ?? loss.compute(outputs: outputs, labels: labels)
      }
    }
    // Dense layers by the position of their weight among the parameters.
    var dense: [Int: ForwardInspector.DenseRecord] = [:]
    for record in inspector.denseRecords {
      if let leaf = record.weightLeaf, dense[leaf] == nil { dense[leaf] = record }
    }
    var layers: [LayerFigures] = []
    for group in parameterGroups(names) {
      let weight = group[0]
      let bias = group.count > 1 ? group[1] : nil
      let record = dense[weight]
      layers.append(
        LayerFigures(
          name: names[weight],
          activation: record?.activation ?? .linear,
          weightGradientNorm: norm(gradients[weight]),
          biasGradientNorm: bias.map { norm(gradients[$0]) } ?? 0,
          errorNorm: record.map { norm($0.delta ?? Tensor.zeros(shape: $0.z.shape)) } ?? .nan,
          saturatedShare: record.flatMap { saturatedShare($0.activation, $0.a) },
          deadShare: record.flatMap { $0.activation == .relu ? deadShare($0.a) : nil }))
    }
    return GradientFlowSnapshot(layers: layers, loss: value.scalar)
  }

  /// The parameters grouped by layer: consecutive names that share everything before their
  /// last `.` (`0.weight`, `0.bias` | `2.weight`, `2.bias`), as positions in `names`.
  static func parameterGroups(_ names: [String]) -> [[Int]] {
    var groups: [[Int]] = []
    var lastPrefix: Substring?
    for (index, name) in names.enumerated() {
      let prefix = name.lastIndex(of: ".").map { name[..<$0] } ?? ""
      if let lastPrefix, lastPrefix == prefix, !groups.isEmpty {
        groups[groups.count - 1].append(index)
      } else {
        groups.append([index])
      }
      lastPrefix = prefix
    }
    return groups
  }

  /// ‖t‖₂ over all elements, accumulated in Double.
  static func norm(_ t: Tensor) -> Float {
    Float(t.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
  }

  private static func saturatedShare(_ activation: Activation, _ a: Tensor) -> Float? {
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
