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
  public init(
    model: Model, loss: Loss, optimizer: Opt, clipGradientNorm: Float? = nil, seed: UInt64 = 42,
    useFusedKernels: Bool = true
  ) {
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
    return try engine.run(
      inputs: inputs, labels: labels, optimizer: &optimizer, clipGradientNorm: clipGradientNorm,
      position: (0, steps), foldsPlainSGD: true)
  }
}
