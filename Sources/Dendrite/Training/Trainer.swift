/// One training step at a time, for any model: Keras's
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
/// path on the tape, with the same results; ``path`` says which path a trainer takes and
/// why. Both compute the same gradients up to float rounding (the tests compare them), and
/// both have the NaN guard and optional clipping. The first step checks, by a trial pass
/// of one row, that the batch's width runs through the model, and throws a
/// ``TrainingError`` naming the layer and both widths if it does not.
///
///     let trainer = Trainer(model: model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.01))
///     for (x, classes) in batches {
///       let loss = try trainer.step(inputs: x, labels: .classes(classes, classCount: 10))
///     }
///     model = trainer.model
public final class Trainer<Model: Layer, Opt: Optimizer> {
  /// The optimizer; change its learning rate between steps as a schedule would.
  public var optimizer: Opt
  /// Clip the global gradient norm to this value each step; nil for no clipping.
  public var clipGradientNorm: Float?
  /// The loss minimised.
  public var loss: Loss { engine.loss }
  /// Which engine runs the steps: the fused kernels, or the tape and why.
  public var path: TrainingPath { engine.path }
  /// Whether steps run as fused kernels (true) or on the tape (false).
  public var isFused: Bool { engine.path.isFused }

  private let engine: TrainingStep<Model>
  private var steps = 0
  /// The data-parallel group (more than one rank), and whether rank 0's parameters have
  /// been broadcast yet (at the first step).
  private let group: (any Communicator)?
  private var parametersShared = false
  /// The parameters' shapes, for unpacking the all-reduced gradients.
  private let parameterShapes: [[Int]]

  /// Prepares a trainer for `model`.
  ///
  /// - Parameters:
  ///   - model: the network, any ``Layer``; the trainer keeps its own copy (read it back
  ///     with ``model``).
  ///   - loss: the loss, which must suit the output layer (``Loss``).
  ///   - optimizer: updates the parameters after every step.
  ///   - clipGradientNorm: clip the global gradient norm to this value each step.
  ///   - seed: seeds dropout masks on the tape path.
  ///   - useFusedKernels: false runs every step on the tape (to compare, or to debug).
  ///   - communicator: with more than one rank, each ``step(inputs:labels:)`` is a
  ///     data-parallel step, as in `fit`: every rank passes the same global batch, trains on
  ///     its share, and one all-reduce averages the gradients (rank 0's parameters are
  ///     broadcast at the first step).
  public init(
    model: Model, loss: Loss, optimizer: Opt, clipGradientNorm: Float? = nil, seed: UInt64 = 42,
    useFusedKernels: Bool = true, communicator: (any Communicator)? = nil
  ) {
    self.group = communicator.flatMap { $0.size > 1 ? $0 : nil }
    self.parameterShapes = model.parameterValues.map(\.shape)
    self.optimizer = optimizer
    self.clipGradientNorm = clipGradientNorm
    self.engine = TrainingStep(model: model, loss: loss, seed: seed, useFusedKernels: useFusedKernels)
  }

  /// The model with the parameters trained so far.
  public var model: Model { engine.model }

  /// Runs one step on a batch and returns the batch's loss (computed before the update).
  ///
  /// - Parameters:
  ///   - inputs: `[batch, features]`.
  ///   - labels: class indices, or targets `[batch, outputs]`, as ``Loss/compute(outputs:labels:reduction:)`` takes them.
  /// - Throws: ``TrainingError/dataMismatch(_:)`` when the inputs or labels do not fit the
  ///   model; ``TrainingError/diverged(epoch:step:loss:firstNonFiniteGradient:)`` when the
  ///   loss or a gradient is not finite (the parameters are left as they were, except after
  ///   a folded plain-SGD step, whose update is already applied).
  @discardableResult
  @_specialize(exported: true, where Model == Sequential, Opt == SGD)
  @_specialize(exported: true, where Model == Sequential, Opt == Adam)
  public func step(inputs: Tensor, labels: Dataset.Labels) throws -> Float {
    try engine.checkBatch(inputs: inputs, labels: labels)
    defer { steps += 1 }
    if let group { return try dataParallelStep(inputs: inputs, labels: labels, group: group) }
    return try engine.run(
      inputs: inputs, labels: labels, optimizer: &optimizer, clipGradientNorm: clipGradientNorm,
      position: (0, steps), foldsPlainSGD: true)
  }

  /// One data-parallel step: this rank's share of the batch, the all-reduce, the update.
  private func dataParallelStep(inputs: Tensor, labels: Dataset.Labels, group: any Communicator) throws -> Float {
    if !parametersShared {
      var model = engine.model
      try DataParallel.broadcastParameters(of: &model, over: group)
      try engine.replaceModel(with: model)
      parametersShared = true
    }
    let batch = try Dataset(features: inputs, labels: labels)
    let shard = batch.subset(DataParallel.shard(Array(0..<batch.count), rank: group.rank, size: group.size))
    let gradients = try DataParallel.gradients(
      engine, batch: shard, batchRows: batch.count, shapes: parameterShapes,
      position: (0, steps), group: group)
    engine.update(with: gradients, optimizer: &optimizer, clipGradientNorm: clipGradientNorm)
    return gradients.loss
  }
}
