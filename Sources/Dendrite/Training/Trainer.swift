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

  /// The model as it was given; its parameters are stale while `network` holds them.
  private var template: Sequential
  private let network: FusedNetwork?
  private let parameterNames: [String]
  private var context: ForwardContext
  /// Features in and units out of the first and last dense layers, for checking batches.
  private let inputSize: Int?, outputSize: Int?

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
    self.network = FusedNetwork(model)
    let dense = model.layers.compactMap { $0 as? Dense }
    self.inputSize = dense.first?.inputSize
    self.outputSize = dense.last?.outputSize
    self.isFused = network != nil
  }

  /// The model with the parameters trained so far.
  public var model: Sequential {
    guard let network else { return template }
    var model = template
    model.parameterValues = network.parameterValues
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
    guard let network else { return generalStep(inputs: inputs, labels: labels) }
    // Plain SGD folds into the gradient GEMMs; other optimizers get the gradients.
    let foldedRate = (optimizer as? SGD).flatMap { $0.momentum == 0 && $0.weightDecay == 0 ? $0.learningRate : nil }
    let lossValue = network.step(inputs: inputs, labels: labels, loss: loss, foldedLearningRate: foldedRate)
    optimizer.state.startStep()
    if foldedRate == nil {
      // The optimizer's own update of each parameter, as `update(_:along:)` does, on
      // tensors that take the network's buffers and give them back: the built-in
      // optimizers update them in place, so the step allocates no tensor storage.
      for (index, layer) in network.layers.enumerated() {
        update(&layer.weight, shape: layer.weightShape, gradient: layer.weightGradient, named: parameterNames[2 * index])
        update(&layer.bias, shape: layer.biasShape, gradient: layer.biasGradient, named: parameterNames[2 * index + 1])
      }
    }
    return lossValue
  }

  /// One parameter's optimizer update, on a tensor that holds the buffer's only reference
  /// while the optimizer runs.
  private func update(_ buffer: inout [Float], shape: [Int], gradient: [Float], named name: String) {
    var parameter = Tensor(shape: shape, scalars: buffer)
    buffer = []
    optimizer.update(&parameter, named: name, gradient: Tensor(shape: shape, scalars: gradient))
    precondition(
      parameter.shape == shape,
      "\(optimizer.name) changed the shape of \(name) from \(shape) to \(parameter.shape)")
    buffer = parameter.takeScalars()
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
    if let inputSize, inputs.shape[1] != inputSize {
      throw TrainingError.dataMismatch(
        "the batch has \(inputs.shape[1]) features but the model's first layer takes \(inputSize)")
    }
    switch labels {
    case .classes(let classes, let classCount):
      guard classes.count == inputs.shape[0] else {
        throw TrainingError.dataMismatch("\(classes.count) labels for a batch of \(inputs.shape[0]) rows")
      }
      if let bad = classes.first(where: { $0 < 0 || $0 >= classCount }) {
        throw TrainingError.dataMismatch("class index \(bad) is outside 0..<\(classCount)")
      }
      if let outputSize, loss == .softmaxCrossEntropy, outputSize != classCount {
        throw TrainingError.dataMismatch(
          "the labels have \(classCount) classes but the model's output layer has \(outputSize) units")
      }
    case .targets(let targets):
      guard targets.rank == 2, targets.shape[0] == inputs.shape[0] else {
        throw TrainingError.dataMismatch("targets of shape \(targets.shape) for a batch of \(inputs.shape[0]) rows")
      }
      if let outputSize, targets.shape[1] != outputSize {
        throw TrainingError.dataMismatch(
          "the targets have \(targets.shape[1]) columns but the model's output layer has \(outputSize) units")
      }
    }
  }
}
