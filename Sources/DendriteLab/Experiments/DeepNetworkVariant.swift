import Dendrite

/// The deep ReLU networks of the `deep-cures` experiment, 32 units wide, He normal weights
/// and zero biases on every dense layer (the output included) as the lab's conventions say,
/// except where a variant says otherwise:
///
/// - **plain**: `depth` × (Dense → ReLU), then Dense 32 → 10;
/// - **batch norm**: `depth` × (Dense → BatchNorm → ReLU), then Dense 32 → 10;
/// - **residual, He throughout**: Dense 64 → 32 → ReLU (the input projection), `depth`/2
///   post-activation blocks ReLU(x + Dense(ReLU(Dense(x)))), then Dense 32 → 10. Each block
///   adds a branch as large as its input, so the signal grows about √2-fold per block;
/// - **residual**: the same, with the last dense layer of each branch starting at zero
///   (weights and biases), so that every block starts as the identity (Goyal et al. 2017's
///   zero-initialised last layer of a branch; Fixup and SkipInit rest on the same idea);
/// - **residual + batch norm**: the He-initialised blocks with BatchNorm after each of
///   their dense layers, ReLU(x + BN(Dense(ReLU(BN(Dense(x)))))), and after the projection.
///
/// The residual networks have one hidden layer more than the plain ones (the projection
/// plus `depth` layers in blocks of two), so they are never the shallower.
enum DeepNetworkVariant: String, CaseIterable {
  case plain
  case batchNorm = "batch-norm"
  case residualHeInit = "residual-he-init"
  case residual
  case both = "batch-norm-and-residual"

  /// The name in tables, legends and results keys.
  var name: String { rawValue }

  /// A label for prose and legends.
  var label: String {
    switch self {
    case .plain: "plain (He init)"
    case .batchNorm: "batch norm"
    case .residualHeInit: "residual (He throughout)"
    case .residual: "residual"
    case .both: "residual + batch norm"
    }
  }

  /// The hidden layers of 32 ReLU units the network of `depth` has.
  func hiddenLayers(depth: Int) -> Int {
    switch self {
    case .plain, .batchNorm: depth
    case .residualHeInit, .residual, .both: 1 + 2 * (depth / 2)
    }
  }

  /// The network for `depth` (even for the residual variants), `inputs` features in,
  /// `outputs` logits out, initialised from `seed`.
  func network(depth: Int, inputs: Int, outputs: Int, seed: UInt64 = LabConventions.trainingSeed) -> Sequential {
    let width = 32
    let normalised = self == .batchNorm || self == .both
    /// Dense → (BatchNorm) → ReLU, or without the ReLU.
    func unit(_ inputSize: Int, relu: Bool = true) -> [any Layer] {
      let zero = !relu && self == .residual
      var layers: [any Layer] = [
        Dense(inputSize: inputSize, outputSize: width, activation: normalised ? .linear : (relu ? .relu : .linear),
              weightInitializer: zero ? .zeros : .heNormal, biasInitializer: .zeros)
      ]
      if normalised { layers.append(BatchNorm(featureCount: width)) }
      if normalised && relu { layers.append(ActivationLayer(.relu)) }
      return layers
    }
    var layers: [any Layer] = []
    switch self {
    case .plain, .batchNorm:
      for index in 0..<depth { layers += unit(index == 0 ? inputs : width) }
    case .residualHeInit, .residual, .both:
      layers += unit(inputs)
      for _ in 0..<(depth / 2) {
        layers.append(Residual(layers: unit(width) + unit(width, relu: false)))
        layers.append(ActivationLayer(.relu))
      }
    }
    layers.append(Dense(inputSize: width, outputSize: outputs, weightInitializer: .heNormal))
    var model = Sequential(layers: layers)
    var generator = RandomGenerator(seed: seed)
    model.initializeParameters(using: &generator)
    return model
  }
}
