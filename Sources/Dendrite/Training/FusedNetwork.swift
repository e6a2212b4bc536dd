/// A ``Sequential`` stack of dense layers as the fused kernels run it: the forward pass,
/// the loss with its output gradient, and the backward pass, on per-layer buffers that are
/// allocated for the largest batch seen and then reused. ``TrainingStep`` (behind
/// ``Trainer`` and `fit`) uses it for the models ``plan(for:)`` accepts; others go through
/// the tape.
final class FusedNetwork {
  let layers: [DenseStep]
  /// A softmax or log-softmax the model applies after its last dense layer: the kernels
  /// compute the logits, and the tape differentiates the head and the loss together.
  let outputHead: Activation?

  /// The one place that decides how a model trains: the fused form of `model` and
  /// ``TrainingPath/fused``, or nil and ``TrainingPath/tape(reason:)`` saying which layer
  /// the fused kernels do not handle: a model that is not a ``Sequential``, dropout with a
  /// positive rate, a non-elementwise activation (other than a softmax or log-softmax
  /// output, which runs as a head on the tape), an activation layer that would follow
  /// another activation, or a custom layer.
  static func plan(for model: any Layer) -> (network: FusedNetwork?, path: TrainingPath) {
    guard let sequential = model as? Sequential else {
      return (nil, .tape(reason: "\(type(of: model)) is not a Sequential"))
    }
    var steps: [DenseStep] = []
    var head: Activation?
    for (index, layer) in sequential.layers.enumerated() {
      let name = "layer \(index) (\(layerSummary(layer)))"
      if let head, !((layer as? Dropout)?.rate == 0) {
        return (nil, .tape(reason: "\(name) follows the \(head.name) output"))
      }
      switch layer {
      case let dense as Dense where dense.activation.isOutputHead:
        steps.append(DenseStep(dense, activation: .linear))
        head = dense.activation
      case let activationLayer as ActivationLayer where activationLayer.activation.isOutputHead:
        guard let previous = steps.last, previous.activation == .linear else {
          return (nil, .tape(reason: "\(name) does not directly follow a linear Dense layer"))
        }
        head = activationLayer.activation
      case let dense as Dense:
        guard let activation = dense.activation.pointwise else {
          return (nil, .tape(reason: "\(name): \(dense.activation.name) is not one of the fused activations"))
        }
        steps.append(DenseStep(dense, activation: activation))
      case let activationLayer as ActivationLayer:
        guard let activation = activationLayer.activation.pointwise else {
          return (nil, .tape(reason: "\(name): \(activationLayer.activation.name) is not one of the fused activations"))
        }
        if activation == .linear { continue }
        // Fold into the dense layer before it, when that one is linear.
        guard let previous = steps.last, previous.activation == .linear else {
          return (nil, .tape(reason: "\(name) does not directly follow a linear Dense layer"))
        }
        previous.activation = activation
      case let dropout as Dropout where dropout.rate == 0:
        continue
      case is Dropout:
        return (nil, .tape(reason: "\(name) draws random masks"))
      case is Sequential:
        return (nil, .tape(reason: "\(name) is a nested Sequential"))
      case is Conv2D, is MaxPool2D, is AveragePool2D, is Flatten, is Unflatten, is BatchNorm, is LayerNorm, is Residual:
        return (nil, .tape(reason: "\(name) has no fused kernel"))
      default:
        return (nil, .tape(reason: "\(name) is a custom layer"))
      }
    }
    if steps.isEmpty { return (nil, .tape(reason: "the model has no Dense layer")) }
    return (FusedNetwork(steps, outputHead: head), .fused)
  }

  private init(_ layers: [DenseStep], outputHead: Activation?) {
    self.layers = layers
    self.outputHead = outputHead
  }


  /// Takes the parameters of `model`'s dense layers (the model this network was made from,
  /// after an optimizer changed them). Arrays are shared, not copied.
  func load(_ model: Sequential) {
    var index = 0
    for case let dense as Dense in model.layers {
      precondition(
        index < layers.count && dense.weight.shape == [layers[index].outputSize, layers[index].inputSize],
        "the model's dense layer \(index) has weights \(dense.weight.shape), unlike the network it was fused from")
      layers[index].weight = dense.weight.scalars
      layers[index].bias = dense.bias.scalars
      index += 1
    }
  }

  /// The parameters as tensors, in the model's `parameterValues` order.
  var parameterValues: [Tensor] {
    layers.flatMap { layer in
      [Tensor(shape: [layer.outputSize, layer.inputSize], scalars: layer.weight),
       Tensor(shape: [layer.outputSize], scalars: layer.bias)]
    }
  }

  /// The gradients of the last ``backward(inputs:batch:foldedLearningRate:)`` without a
  /// folded rate, in `parameterValues` order (sharing the buffers until the next step).
  var gradientValues: [Tensor] {
    layers.flatMap { layer in
      [Tensor(shape: [layer.outputSize, layer.inputSize], scalars: layer.weightGradient),
       Tensor(shape: [layer.outputSize], scalars: layer.biasGradient)]
    }
  }

  /// The last forward pass's outputs, `[batch, outputs]` (a copy).
  func outputs(batch: Int) -> Tensor {
    let logits = logits(batch: batch)
    return outputHead?.apply(logits) ?? logits
  }

  /// The last dense layer's output, before any ``outputHead`` (a copy).
  private func logits(batch: Int) -> Tensor {
    let last = layers[layers.count - 1]
    return Tensor(shape: [batch, last.outputSize], scalars: Array(last.output[0..<(batch * last.outputSize)]))
  }

  /// One step's forward pass, loss and backward pass (with plain SGD folded in when
  /// `foldedLearningRate` is given), and the NaN guard's finding: `diverged` when the loss
  /// or a gradient is not finite, with the position (in `parameterValues` order) of the
  /// first parameter whose gradient is not. A folded step checks the loss before going
  /// back (it updates as it goes) and the biases after: every δ passes through some bias's
  /// column sum, so a non-finite gradient shows in a bias.
  func pass(
    inputs: Tensor, labels: Dataset.Labels, loss: Loss, foldedLearningRate: Float?, wantsOutputs: Bool
  ) -> (loss: Float, outputs: Tensor?, diverged: Bool, nonFiniteParameter: Int?) {
    let batch = inputs.shape[0]
    forward(inputs.scalars, batch: batch)
    let value = lossAndOutputGradient(loss, labels: labels, batch: batch)
    if foldedLearningRate != nil && !value.isFinite { return (value, nil, true, nil) }
    let outputs = wantsOutputs ? self.outputs(batch: batch) : nil
    backward(inputs: inputs.scalars, batch: batch, foldedLearningRate: foldedLearningRate)
    for (index, layer) in layers.enumerated() {
      if foldedLearningRate == nil && !allFinite(layer.weightGradient) { return (value, outputs, true, 2 * index) }
      if !allFinite(foldedLearningRate == nil ? layer.biasGradient : layer.bias) {
        return (value, outputs, true, 2 * index + 1)
      }
    }
    return (value, outputs, !value.isFinite, nil)
  }

  /// z_l = a_(l−1)·W_lᵀ + b_l, a_l = f(z_l) for every layer, from `inputs` `[batch, in]`.
  func forward(_ inputs: [Float], batch: Int) {
    for index in layers.indices {
      let layer = layers[index]
      layer.reserve(batch: batch)
      let input = index == 0 ? inputs : layers[index - 1].output
      Kernels.gemm(
        transposeA: false, transposeB: true, m: batch, n: layer.outputSize, k: layer.inputSize, alpha: 1,
        a: input, lda: layer.inputSize, b: layer.weight, ldb: layer.inputSize, beta: 0,
        c: &layer.z, ldc: layer.outputSize)
      Kernels.addBiasAndActivate(
        &layer.z, bias: layer.bias, rows: batch, cols: layer.outputSize, activation: layer.activation,
        into: &layer.a)
    }
  }

  /// The mean loss of the last forward pass, with ∂J/∂(output) written into the last
  /// layer's delta buffer: fused kernels for softmax cross-entropy on class indices and
  /// MSE on targets, the tape (on the loss alone) for the others.
  func lossAndOutputGradient(_ loss: Loss, labels: Dataset.Labels, batch: Int) -> Float {
    let last = layers[layers.count - 1]
    let count = batch * last.outputSize
    if let outputHead {
      let (value, gradient) = valueWithGradient(at: logits(batch: batch)) {
        loss.compute(outputs: outputHead.apply($0), labels: labels)
      }
      last.delta.replaceSubrange(0..<count, with: gradient.scalars)
      return value.scalar
    }
    switch (loss, labels) {
    case (.softmaxCrossEntropy, .classes(let classes, _)):
      return Kernels.softmaxCrossEntropyWithGradient(
        logits: last.output, rows: batch, columns: last.outputSize, classIndices: classes, delta: &last.delta)
    case (.meanSquaredError, .targets(let targets)):
      return Kernels.meanSquaredErrorWithGradient(
        outputs: last.output, targets: targets.scalars, count: count, delta: &last.delta)
    default:
      let (value, gradient) = valueWithGradient(at: outputs(batch: batch)) { loss.compute(outputs: $0, labels: labels) }
      last.delta.replaceSubrange(0..<count, with: gradient.scalars)
      return value.scalar
    }
  }

  /// Backpropagates the output gradient through every layer. Without `foldedLearningRate`
  /// it writes ∂J/∂W and ∂J/∂b into the gradient buffers; with it, it applies the plain
  /// SGD step W ← W − η·∂J/∂W, b ← b − η·∂J/∂b inside the gradient GEMM and column sums,
  /// after the layer's weights have carried δ to the layer below.
  func backward(inputs: [Float], batch: Int, foldedLearningRate: Float?) {
    for index in layers.indices.reversed() {
      let layer = layers[index]
      let (n, k) = (layer.inputSize, layer.outputSize)
      Kernels.multiplyByActivationDerivative(
        &layer.delta, z: layer.z, a: layer.a, count: batch * k, activation: layer.activation)
      let input = index == 0 ? inputs : layers[index - 1].output
      if index > 0 {
        let below = layers[index - 1]
        Kernels.gemm(
          transposeA: false, transposeB: false, m: batch, n: n, k: k, alpha: 1,
          a: layer.delta, lda: k, b: layer.weight, ldb: n, beta: 0, c: &below.delta, ldc: n)
      }
      if let rate = foldedLearningRate {
        Kernels.gemm(
          transposeA: true, transposeB: false, m: k, n: n, k: batch, alpha: -rate,
          a: layer.delta, lda: k, b: input, ldb: n, beta: 1, c: &layer.weight, ldc: n)
        Kernels.columnSums(layer.delta, rows: batch, cols: k, alpha: -rate, beta: 1, into: &layer.bias)
      } else {
        layer.reserveGradients()
        Kernels.gemm(
          transposeA: true, transposeB: false, m: k, n: n, k: batch, alpha: 1,
          a: layer.delta, lda: k, b: input, ldb: n, beta: 0, c: &layer.weightGradient, ldc: n)
        Kernels.columnSums(layer.delta, rows: batch, cols: k, alpha: 1, beta: 0, into: &layer.biasGradient)
      }
    }
  }
}

extension Activation {
  /// Whether the fused path runs this activation as an output head on the tape (softmax,
  /// log-softmax: each output depends on the whole row).
  var isOutputHead: Bool { self == .softmax || self == .logSoftmax }

  /// The kernel form of an activation the fused step computes inline, or nil.
  var pointwise: Kernels.PointwiseActivation? {
    switch self {
    case .linear: .linear
    case .relu: .relu
    case .leakyRelu: .leakyRelu(0.2)
    case .sigmoid: .sigmoid
    case .tanh: .tanh
    default: nil
    }
  }
}

/// Whether every value is finite (a plain loop: a key-path closure costs more per element).
private func allFinite(_ values: [Float]) -> Bool {
  for value in values where !value.isFinite { return false }
  return true
}
