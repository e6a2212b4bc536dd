import Foundation  // NSLock

/// Batch normalisation as a layer (PyTorch's `BatchNorm1d` for `[N, C]`, `BatchNorm2d` for
/// `[N, C, H, W]`): ``batchNormalization(_:weight:bias:epsilon:)`` with the batch's
/// statistics while training, ``batchNormalization(_:weight:bias:mean:variance:epsilon:)``
/// with the running averages otherwise.
///
///     training:   y = γ·(x − μ_B)/√(σ²_B + ε) + β          σ²_B biased
///     inference:  y = γ·(x − running_mean)/√(running_var + ε) + β
///
/// Each training pass updates the running averages as PyTorch does, with the *unbiased*
/// batch variance, and counts the batch:
///
///     running_mean ← (1 − m)·running_mean + m·μ_B
///     running_var  ← (1 − m)·running_var  + m·σ²_B·M/(M − 1)
///     num_batches_tracked ← num_batches_tracked + 1
///
/// A training batch with one value per channel (a last batch of one row of `[N, C]`),
/// which PyTorch refuses, is normalised to β (its variance is 0) and, having no unbiased
/// variance, leaves `running_var` unchanged.
///
/// **Parameters and buffers.** `weight` (γ, starts at 1) and `bias` (β, starts at 0) are
/// the trainable ``parameterNames``; the running statistics are *buffers* (``bufferNames``:
/// `running_mean`, `running_var`, `num_batches_tracked`, PyTorch's names): no optimizer sees
/// them. A layer's `forward` does not mutate the layer, so the buffers live in a small
/// locked box the layer refers to, and a training pass writes into that box. `fit` and
/// ``Trainer`` run the model's forward pass on copies of the model that share the box, so
/// the trained model holds the statistics of its training batches. Copies of a layer share
/// one box until a copy assigns ``runningMean``, ``runningVariance`` or ``batchesTracked``,
/// which gives it a box of its own; call ``withOwnStatistics()`` to detach a copy (say, to
/// keep a snapshot while training goes on). Evaluation, prediction, the trial pass and the
/// gradient-flow probe run in inference mode and leave the buffers alone.
///
///     var model = Sequential {
///       Dense(inputSize: 16, outputSize: 32)
///       BatchNorm(featureCount: 32)
///       ActivationLayer(.relu)
///       Dense(inputSize: 32, outputSize: 3)
///     }
///     // after model.fit(…): model.layers[1] as? BatchNorm has running statistics
public struct BatchNorm: Layer {
  /// γ, `[C]`.
  public var weight: Tensor
  /// β, `[C]`.
  public var bias: Tensor
  /// m, the weight of each new batch in the running averages.
  public let momentum: Float
  /// ε, added to the variance before the square root.
  public let epsilon: Float
  /// The running statistics, shared by copies until one assigns them.
  private var statistics: RunningStatistics

  /// The number of channels C.
  public var featureCount: Int { weight.scalarCount }

  /// Creates a layer with γ = 1, β = 0, running mean 0 and running variance 1.
  ///
  /// - Precondition: `featureCount > 0`, `0 <= momentum <= 1`, `epsilon >= 0`.
  public init(featureCount: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
    precondition(featureCount > 0, "BatchNorm needs a positive feature count, got \(featureCount)")
    self.init(
      weight: Tensor(repeating: 1, shape: [featureCount]), bias: Tensor.zeros(shape: [featureCount]),
      runningMean: Tensor.zeros(shape: [featureCount]), runningVariance: Tensor(repeating: 1, shape: [featureCount]),
      momentum: momentum, epsilon: epsilon)
  }

  /// Creates a layer from given parameters and running statistics (a PyTorch state_dict's
  /// `weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked`).
  ///
  /// - Precondition: the four tensors are `[C]` with C > 0, `0 <= momentum <= 1`, `epsilon >= 0`.
  public init(
    weight: Tensor, bias: Tensor, runningMean: Tensor, runningVariance: Tensor, batchesTracked: Int = 0,
    momentum: Float = 0.1, epsilon: Float = 1e-5
  ) {
    precondition(
      weight.rank == 1 && weight.scalarCount > 0 && bias.shape == weight.shape && runningMean.shape == weight.shape
        && runningVariance.shape == weight.shape,
      "BatchNorm needs weight, bias, running mean and running variance [C], got \(weight.shape), \(bias.shape), "
        + "\(runningMean.shape) and \(runningVariance.shape)")
    precondition(momentum >= 0 && momentum <= 1, "BatchNorm momentum must be in [0, 1], got \(momentum)")
    precondition(epsilon >= 0, "BatchNorm epsilon must be ≥ 0, got \(epsilon)")
    self.weight = weight
    self.bias = bias
    self.momentum = momentum
    self.epsilon = epsilon
    self.statistics = RunningStatistics(mean: runningMean, variance: runningVariance, batches: batchesTracked)
  }

  /// The running mean, `[C]` (PyTorch's `running_mean`).
  public var runningMean: Tensor {
    get { statistics.read().mean }
    set {
      precondition(newValue.shape == [featureCount], "running mean shape \(newValue.shape) ≠ [\(featureCount)]")
      let current = statistics.read()
      statistics = RunningStatistics(mean: newValue, variance: current.variance, batches: current.batches)
    }
  }

  /// The running (unbiased) variance, `[C]` (PyTorch's `running_var`).
  public var runningVariance: Tensor {
    get { statistics.read().variance }
    set {
      precondition(newValue.shape == [featureCount], "running variance shape \(newValue.shape) ≠ [\(featureCount)]")
      let current = statistics.read()
      statistics = RunningStatistics(mean: current.mean, variance: newValue, batches: current.batches)
    }
  }

  /// The number of training batches folded into the running statistics (PyTorch's `num_batches_tracked`).
  public var batchesTracked: Int {
    get { statistics.read().batches }
    set {
      let current = statistics.read()
      statistics = RunningStatistics(mean: current.mean, variance: current.variance, batches: newValue)
    }
  }

  /// This layer with a box of running statistics of its own: later training passes of the
  /// original no longer change the copy's statistics, and the other way round.
  public func withOwnStatistics() -> BatchNorm {
    var copy = self
    let current = statistics.read()
    copy.statistics = RunningStatistics(mean: current.mean, variance: current.variance, batches: current.batches)
    return copy
  }

  /// The buffers' names, as in a PyTorch state_dict: `running_mean`, `running_var`, `num_batches_tracked`.
  public var bufferNames: [String] { ["running_mean", "running_var", "num_batches_tracked"] }

  /// The buffers in ``bufferNames`` order; `num_batches_tracked` as a rank-0 tensor.
  public var bufferValues: [Tensor] {
    let current = statistics.read()
    return [current.mean, current.variance, Tensor(scalar: Float(current.batches))]
  }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    if input.rank < 2 || input.shape[1] != featureCount {
      if ForwardInspector.reportMismatch("takes \(featureCount) channels (axis 1) but gets input \(input.shape)") {
        return input  // a trial pass goes on to report it
      }
      preconditionFailure("BatchNorm with \(featureCount) channels needs input [N, \(featureCount), …], got \(input.shape)")
    }
    guard context.isTraining else {
      let current = statistics.read()
      return batchNormalization(
        input, weight: weight, bias: bias, mean: current.mean, variance: current.variance, epsilon: epsilon)
    }
    let (output, batch) = batchNormalization(input, weight: weight, bias: bias, epsilon: epsilon)
    statistics.update(
      mean: batch.mean, unbiasedVariance: batch.count > 1 ? batch.unbiasedVariance : nil, momentum: momentum)
    return output
  }

  public var parameterNames: [String] { ["weight", "bias"] }

  public var parameterValues: [Tensor] {
    get { [weight, bias] }
    set { replaceWeightAndBias(&weight, &bias, with: newValue, layer: "BatchNorm") }
  }
}

/// A batch-norm layer's running statistics: a reference, so that a training pass (which
/// cannot mutate the layer) can update them; a lock, because layers are `Sendable`.
private final class RunningStatistics: @unchecked Sendable {
  private let lock = NSLock()
  private var mean: Tensor
  private var variance: Tensor
  private var batches: Int

  init(mean: Tensor, variance: Tensor, batches: Int) {
    self.mean = mean.withoutDerivative()
    self.variance = variance.withoutDerivative()
    self.batches = batches
  }

  func read() -> (mean: Tensor, variance: Tensor, batches: Int) {
    lock.lock()
    defer { lock.unlock() }
    return (mean, variance, batches)
  }

  /// r ← (1 − m)·r + m·batch for the mean and the variance, and one more batch counted.
  /// A batch of one value per channel has no unbiased variance (nil): the running variance stays.
  func update(mean batchMean: Tensor, unbiasedVariance: Tensor?, momentum: Float) {
    lock.lock()
    defer { lock.unlock() }
    let keep = 1 - momentum
    mean = Tensor(
      shape: mean.shape, scalars: zip(mean.scalars, batchMean.scalars).map { keep * $0 + momentum * $1 })
    if let unbiasedVariance {
      variance = Tensor(
        shape: variance.shape,
        scalars: zip(variance.scalars, unbiasedVariance.scalars).map { keep * $0 + momentum * $1 })
    }
    batches += 1
  }
}
