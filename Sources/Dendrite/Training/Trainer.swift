/// One training step at a time, compiled for a ``Sequential`` model: Keras's
/// `train_on_batch`, or PyTorch's `zero_grad(); loss.backward(); optimizer.step()`.
///
/// For a stack of ``Dense`` layers with ReLU, leaky ReLU, sigmoid, tanh or linear
/// activations (as `Dense` activations or ``ActivationLayer``s), the step skips the tape
/// and runs as fused kernels on buffers that are allocated once and reused, so a warm
/// step allocates no tensor storage:
///
///     forward   z_l = a_(l−1)·W_lᵀ + b_l  (GEMM, then bias + activation in one pass),  a_l = f(z_l)
///     loss      δ_L = ∂J/∂z_L in the same loop as J (softmax cross-entropy: (a − y)/B; MSE: 2(o − t)/N)
///     backward  δ_l = (δ_(l+1)·W_(l+1)) ⊙ f′(z_l),   ∂J/∂W_l = δ_lᵀ·a_(l−1),   ∂J/∂b_l = Σ_batch δ_l
///     update    plain SGD folds into the gradient GEMM: W_l ← W_l − η·δ_lᵀ·a_(l−1) (alpha −η, beta 1)
///
/// Other optimizers get the gradients and update through ``Optimizer/update(_:named:gradient:)``;
/// other losses (sigmoid cross-entropy, binary cross-entropy, …) take their output gradient
/// from the tape. Any other model (dropout, softmax layers, custom layers) runs the general
/// path, `valueWithGradients` then `optimizer.update`, with the same results; ``isFused``
/// says which path a trainer takes. Both compute the same gradients up to float rounding
/// (the tests compare them).
///
///     let trainer = Trainer(model: model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.01))
///     for (x, classes) in batches {
///       let loss = try trainer.step(inputs: x, labels: .classes(classes, classCount: 10))
///     }
///     model = trainer.model
public final class Trainer<Opt: Optimizer> {
  /// The optimizer; change its learning rate between steps as a schedule would.
  public var optimizer: Opt
  /// The loss minimised.
  public let loss: Loss
  /// Whether steps run as fused kernels (true) or on the tape (false).
  public let isFused: Bool

  /// The model as it was given; its parameters are stale while `layers` holds them.
  private var template: Sequential
  private let layers: [DenseStep]
  private let parameterNames: [String]
  private var context: ForwardContext

  /// Prepares a trainer for `model`.
  ///
  /// - Parameters:
  ///   - model: the network; the trainer keeps its own copy (read it back with ``model``).
  ///   - loss: the loss, which must suit the output layer (``Loss``).
  ///   - optimizer: updates the parameters after every step.
  ///   - seed: seeds dropout masks on the general path.
  public init(model: Sequential, loss: Loss, optimizer: Opt, seed: UInt64 = 42) {
    self.optimizer = optimizer
    self.loss = loss
    self.template = model
    self.parameterNames = model.parameterNames
    self.context = ForwardContext(isTraining: true, seed: seed)
    let plan = DenseStep.plan(for: model)
    self.layers = plan ?? []
    self.isFused = plan != nil
  }

  /// The model with the parameters trained so far.
  public var model: Sequential {
    guard isFused else { return template }
    var model = template
    model.parameterValues = layers.flatMap { layer in
      [Tensor(shape: [layer.outputSize, layer.inputSize], scalars: layer.weight),
       Tensor(shape: [layer.outputSize], scalars: layer.bias)]
    }
    return model
  }

  /// Runs one step on a batch and returns the batch's loss (computed before the update).
  ///
  /// - Parameters:
  ///   - inputs: `[batch, features]`.
  ///   - labels: class indices, or targets `[batch, outputs]`, as ``Loss/compute(outputs:labels:reduction:)`` takes them.
  /// - Throws: ``TrainingError/dataMismatch(_:)`` when the inputs or labels do not fit the model.
  @discardableResult
  public func step(inputs: Tensor, labels: Dataset.Labels) throws -> Float {
    try check(inputs: inputs, labels: labels)
    guard isFused else { return generalStep(inputs: inputs, labels: labels) }
    let batch = inputs.shape[0]
    forward(inputs.scalars, batch: batch)
    let lossValue = outputGradient(batch: batch, labels: labels)
    backwardAndUpdate(inputs.scalars, batch: batch)
    return lossValue
  }

  // MARK: The fused step

  private func forward(_ inputs: [Float], batch: Int) {
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

  /// J, and ∂J/∂(last layer's output) written into its delta buffer.
  private func outputGradient(batch: Int, labels: Dataset.Labels) -> Float {
    let last = layers[layers.count - 1]
    let count = batch * last.outputSize
    switch (loss, labels) {
    case (.softmaxCrossEntropy, .classes(let classes, _)):
      return Kernels.softmaxCrossEntropyWithGradient(
        logits: last.output, rows: batch, columns: last.outputSize, classIndices: classes, delta: &last.delta)
    case (.meanSquaredError, .targets(let targets)):
      return Kernels.meanSquaredErrorWithGradient(
        outputs: last.output, targets: targets.scalars, count: count, delta: &last.delta)
    default:
      // Losses without a fused kernel: the tape differentiates the loss alone.
      let outputs = Tensor(shape: [batch, last.outputSize], scalars: Array(last.output[0..<count]))
      let (value, gradient) = valueWithGradient(at: outputs) { loss.compute(outputs: $0, labels: labels) }
      last.delta.replaceSubrange(0..<count, with: gradient.scalars)
      return value.scalar
    }
  }

  private func backwardAndUpdate(_ inputs: [Float], batch: Int) {
    // Plain SGD folds into the gradient GEMMs; anything else gets the gradients.
    let sgd = optimizer as? SGD
    let foldedRate: Float? = sgd.flatMap { $0.momentum == 0 && $0.weightDecay == 0 ? $0.learningRate : nil }
    if foldedRate != nil { optimizer.beginStep() }
    for index in layers.indices.reversed() {
      let layer = layers[index]
      let (n, k) = (layer.inputSize, layer.outputSize)
      Kernels.multiplyByActivationDerivative(
        &layer.delta, z: layer.z, a: layer.a, count: batch * k, activation: layer.activation)
      let input = index == 0 ? inputs : layers[index - 1].output
      if index > 0 {
        // δ for the layer below, with this layer's weights before their update.
        let below = layers[index - 1]
        Kernels.gemm(
          transposeA: false, transposeB: false, m: batch, n: n, k: k, alpha: 1,
          a: layer.delta, lda: k, b: layer.weight, ldb: n, beta: 0, c: &below.delta, ldc: n)
      }
      if let rate = foldedRate {
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
    if foldedRate == nil { updateWithOptimizer() }
  }

  /// The optimizer's own update, parameter by parameter, in the model's name order.
  private func updateWithOptimizer() {
    optimizer.beginStep()
    for (index, layer) in layers.enumerated() {
      var weight = Tensor(shape: [layer.outputSize, layer.inputSize], scalars: layer.weight)
      optimizer.update(
        &weight, named: parameterNames[2 * index],
        gradient: Tensor(shape: weight.shape, scalars: layer.weightGradient))
      layer.weight = weight.scalars
      var bias = Tensor(shape: [layer.outputSize], scalars: layer.bias)
      optimizer.update(
        &bias, named: parameterNames[2 * index + 1], gradient: Tensor(shape: bias.shape, scalars: layer.biasGradient))
      layer.bias = bias.scalars
    }
  }

  // MARK: The general step

  private func generalStep(inputs: Tensor, labels: Dataset.Labels) -> Float {
    let (value, gradients) = template.valueWithGradients { model in
      loss.compute(outputs: model.forward(inputs, context: &context), labels: labels)
    }
    optimizer.update(&template, along: gradients)
    return value.scalar
  }

  // MARK: Checks

  private func check(inputs: Tensor, labels: Dataset.Labels) throws {
    guard inputs.rank == 2, inputs.shape[0] > 0 else {
      throw TrainingError.dataMismatch("a training batch must be [batch, features] with at least one row, got \(inputs.shape)")
    }
    if let first = layers.first, inputs.shape[1] != first.inputSize {
      throw TrainingError.dataMismatch(
        "the batch has \(inputs.shape[1]) features but the model's first layer takes \(first.inputSize)")
    }
    switch labels {
    case .classes(let classes, let classCount):
      guard classes.count == inputs.shape[0] else {
        throw TrainingError.dataMismatch("\(classes.count) labels for a batch of \(inputs.shape[0]) rows")
      }
      if let bad = classes.first(where: { $0 < 0 || $0 >= classCount }) {
        throw TrainingError.dataMismatch("class index \(bad) is outside 0..<\(classCount)")
      }
      if let last = layers.last, loss == .softmaxCrossEntropy, last.outputSize != classCount {
        throw TrainingError.dataMismatch(
          "the labels have \(classCount) classes but the model's output layer has \(last.outputSize) units")
      }
    case .targets(let targets):
      guard targets.rank == 2, targets.shape[0] == inputs.shape[0] else {
        throw TrainingError.dataMismatch("targets of shape \(targets.shape) for a batch of \(inputs.shape[0]) rows")
      }
      if let last = layers.last, targets.shape[1] != last.outputSize {
        throw TrainingError.dataMismatch(
          "the targets have \(targets.shape[1]) columns but the model's output layer has \(last.outputSize) units")
      }
    }
  }
}
