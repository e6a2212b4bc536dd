import Dendrite

/// The tiny-network training of a ``BenchmarkWorkload``, one step at a time, as
/// `dendrite bench` and the Benchmarks/ package time it: the workload's 2-4-1 network
/// (sigmoid hidden layer, linear output) and weights, mean squared error (mean over all
/// elements), plain SGD, every step on the workload's one batch (the 4 XOR samples),
/// through ``Trainer``. It measures a step's fixed overhead rather than arithmetic.
///
///     let training = TinyTraining(workload: .synthetic())
///     let loss = training.step()   // the loss before the update
public final class TinyTraining {
  private let trainer: Trainer<Sequential, SGD>
  private let inputs: Tensor
  private let targets: Dataset.Labels

  /// Builds the tiny network from the workload's weights.
  ///
  ///     TinyTraining(workload: .synthetic(), learningRate: 0.1)
  ///
  /// - Parameters:
  ///   - workload: the network, its initial weights, the inputs and the targets.
  ///   - learningRate: SGD's learning rate; 0.1, as the peers' benchmarks.
  public init(workload: BenchmarkWorkload, learningRate: Float = 0.1) {
    trainer = Trainer(
      model: workload.makeTinyNetwork(), loss: .meanSquaredError, optimizer: SGD(learningRate: learningRate))
    inputs = workload.tinyInputs
    targets = .targets(workload.tinyTargets)
  }

  /// One training step on all the samples; the loss computed before the update (NaN if
  /// the samples did not fit, which a checked workload rules out).
  ///
  ///     training.step()   // e.g. 0.31
  @discardableResult
  public func step() -> Float {
    (try? trainer.step(inputs: inputs, labels: targets)) ?? .nan
  }
}
