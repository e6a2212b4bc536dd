import Dendrite

/// The MLP training of a ``BenchmarkWorkload``, one step at a time, as `dendrite bench` and
/// the Benchmarks/ package time it: the workload's network and initial weights, softmax
/// cross-entropy (mean over the batch), plain SGD, and the workload's batches used in
/// order and cycled, each step through ``Trainer`` (the compiled training step).
///
///     let training = MLPTraining(workload: .synthetic())
///     let loss = training.step()   // the first batch's loss, before the update
public final class MLPTraining {
  /// Samples per step.
  public let batchSize: Int
  private let trainer: Trainer<Sequential, SGD>
  private var batches: BatchCycle

  /// Builds the MLP from the workload's weights.
  ///
  ///     MLPTraining(workload: try BenchmarkWorkload.load(from: "workload.safetensors"))
  ///
  /// - Parameters:
  ///   - workload: the network, its initial weights and the batches (checked when made).
  ///   - learningRate: SGD's learning rate; 0.01, as the peers' benchmarks.
  ///   - communicator: with more than one rank, each step is data-parallel: every rank takes
  ///     its share of the batch (``Trainer``'s communicator).
  public init(workload: BenchmarkWorkload, learningRate: Float = 0.01, communicator: (any Communicator)? = nil) {
    trainer = Trainer(
      model: workload.makeMLP(), loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: learningRate),
      communicator: communicator)
    batches = BatchCycle(
      inputs: workload.mlpInputs, classIndices: workload.mlpClassIndices, classCount: workload.mlpLayerSizes.last ?? 0)
    batchSize = workload.mlpBatchSize
  }

  /// One training step on the next batch: forward pass, loss, backward pass and the SGD
  /// update (folded into the weight-gradient GEMMs). Returns the loss computed before the
  /// update; NaN if the batch did not fit (a workload is checked when it is made, so it
  /// always does).
  ///
  ///     training.step()   // e.g. 2.93
  @discardableResult
  public func step() -> Float {
    guard let batch = batches.next() else { return .nan }
    return (try? trainer.step(inputs: batch.inputs, labels: batch.labels)) ?? .nan
  }
}
