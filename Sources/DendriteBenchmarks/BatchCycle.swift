import Dendrite

/// A workload's batches with their labels, handed out in order and cycled: what each
/// benchmark training step takes next.
struct BatchCycle {
  private let inputs: [Tensor]
  private let labels: [Dataset.Labels]
  private var nextBatch = 0

  /// Pairs each batch with its class indices.
  init(inputs: [Tensor], classIndices: [[Int]], classCount: Int) {
    self.inputs = inputs
    self.labels = classIndices.map { Dataset.Labels.classes($0, classCount: classCount) }
  }

  /// The next batch and its labels; nil when there are no batches.
  mutating func next() -> (inputs: Tensor, labels: Dataset.Labels)? {
    guard !inputs.isEmpty, inputs.count == labels.count else { return nil }
    defer { nextBatch = (nextBatch + 1) % inputs.count }
    return (inputs[nextBatch], labels[nextBatch])
  }
}
