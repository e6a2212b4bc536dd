import Dendrite
import Testing

/// Buffers (batch norm's running statistics) follow the parameters when they are put back.
@Suite("Buffers restored with the parameters")
struct BufferRestoreTests {
  /// Records the model's buffers at the end of every epoch.
  final class BufferRecorder: TrainingCallback {
    var byEpoch: [Int: [String: Tensor]] = [:]
    func handle(_ event: TrainingEvent, state: inout TrainingState) -> TrainingDecision {
      if case .epochFinished(let epoch, _, _) = event { byEpoch[epoch] = state.model.buffers }
      return .proceed
    }
  }

  private func model() -> Sequential {
    Sequential(seed: 3) {
      Dense(inputSize: 4, outputSize: 8)
      BatchNorm(featureCount: 8)
      ActivationLayer(.relu)
      Dense(inputSize: 8, outputSize: 2)
    }
  }

  @Test("loadBuffers puts a snapshot back, nested in a residual block too, and leaves other copies alone")
  func loadBuffersRoundTrip() {
    var model = Sequential(seed: 1) {
      Dense(inputSize: 3, outputSize: 4)
      BatchNorm(featureCount: 4)
      Residual { BatchNorm(featureCount: 4) }
    }
    let fresh = model.buffers
    #expect(fresh.keys.sorted() == [
      "1.num_batches_tracked", "1.running_mean", "1.running_var",
      "2.0.num_batches_tracked", "2.0.running_mean", "2.0.running_var",
    ])
    var changed = fresh
    changed["1.running_mean"] = Tensor([1, 2, 3, 4])
    changed["2.0.running_var"] = Tensor([5, 6, 7, 8])
    changed["2.0.num_batches_tracked"] = Tensor(scalar: 9)
    let other = model
    model.loadBuffers(changed)
    #expect(model.buffers == changed)
    #expect(other.buffers == fresh, "a copy made before keeps its statistics")
  }

  @Test("early stopping restores the best epoch's running statistics with its weights")
  func earlyStoppingRestoresBuffers() throws {
    var generator = RandomGenerator(seed: 5)
    let x = Tensor(randomNormal: [64, 4], generator: &generator)
    let classes = x.scalars.enumerated().compactMap { $0.offset % 4 == 0 ? ($0.element > 0 ? 1 : 0) : nil }
    let train = try Dataset(features: x, classIndices: classes, classCount: 2)
    // Validation labels are the opposite: the better the model learns, the worse val_loss
    // gets, so the best epoch is the first and training stops two epochs later.
    let validation = try Dataset(features: x, classIndices: classes.map { 1 - $0 }, classCount: 2)
    var model = model()
    var optimizer = SGD(learningRate: 0.1)
    let recorder = BufferRecorder()
    let stopper = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
    let history = try model.fit(
      train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 10, batchSize: 16, validation: validation,
      seed: 1, callbacks: [recorder, stopper])
    let best = try #require(stopper.best?.epoch)
    #expect(best == 0 && history.count == 3)
    let bestBuffers = try #require(recorder.byEpoch[best])
    let lastBuffers = try #require(recorder.byEpoch[history.count - 1])
    #expect(bestBuffers != lastBuffers, "training moved the statistics after the best epoch")
    #expect(model.buffers == bestBuffers)
  }
}
