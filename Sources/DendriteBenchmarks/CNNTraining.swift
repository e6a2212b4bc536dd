import Dendrite

/// The CNN training of a ``CNNWorkload``, one step at a time, as `dendrite bench` times it:
/// the workload's network and initial weights, softmax cross-entropy (mean over the batch),
/// Adam at 1e-3 (PyTorch's defaults: β 0.9 and 0.999, ε 1e-8), and the workload's batches
/// used in order and cycled, each step through ``Trainer`` (on the gradient tape: the
/// network has convolutions).
///
///     let training = CNNTraining(workload: .synthetic())
///     let loss = training.step()   // the first batch's loss, before the update
public final class CNNTraining {
  /// Samples per step.
  public let batchSize: Int
  private let trainer: Trainer<Sequential, Adam>
  private var batches: BatchCycle

  /// Builds the network from the workload's weights.
  ///
  /// - Parameters:
  ///   - learningRate: Adam's learning rate; 1e-3, as the peers' script.
  ///   - communicator: with more than one rank, each step is data-parallel (``Trainer``'s communicator).
  public init(workload: CNNWorkload, learningRate: Float = 1e-3, communicator: (any Communicator)? = nil) {
    trainer = Trainer(
      model: workload.makeModel(), loss: .softmaxCrossEntropy, optimizer: Adam(learningRate: learningRate),
      communicator: communicator)
    batches = BatchCycle(inputs: workload.inputs, classIndices: workload.classIndices, classCount: CNNWorkload.classCount)
    batchSize = workload.batchSize
  }

  /// One training step on the next batch; the loss computed before the update (NaN if the
  /// batch did not fit, which a checked workload rules out).
  ///
  ///     training.step()   // e.g. 2.30
  @discardableResult
  public func step() -> Float {
    guard let batch = batches.next() else { return .nan }
    return (try? trainer.step(inputs: batch.inputs, labels: batch.labels)) ?? .nan
  }
}
