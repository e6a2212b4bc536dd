import Dendrite
import DendriteBenchmarks
import Testing

/// The pieces `dendrite bench` and the Benchmarks/ package both time.
@Suite("WorkloadTrainingTests")
struct WorkloadTrainingTests {
  static let small = BenchmarkWorkloadTests.small

  @Test("MLPTraining cycles the workload's batches in order, from the workload's weights")
  func mlpCyclesBatches() {
    let training = MLPTraining(workload: Self.small, learningRate: 0)
    #expect(training.batchSize == 4)
    // With a zero learning rate the weights stay put, so step i's loss is batch i mod 2's.
    let losses = (0..<4).map { _ in training.step() }
    let model = Self.small.makeMLP()
    let expected = Self.small.mlpInputs.indices.map { b in
      softmaxCrossEntropy(logits: model(Self.small.mlpInputs[b]), classIndices: Self.small.mlpClassIndices[b]).scalar
    }
    for (index, loss) in losses.enumerated() {
      #expect(abs(loss - expected[index % 2]) <= 1e-6 * abs(expected[index % 2]))
    }
    #expect(expected[0] != expected[1])
  }

  @Test("TinyTraining trains the tiny network on its samples: the loss falls")
  func tinyLearns() {
    let training = TinyTraining(workload: Self.small, learningRate: 0.1)
    let first = training.step()
    let tiny = Self.small.makeTinyNetwork()
    let expected = meanSquaredError(predicted: tiny(Self.small.tinyInputs), expected: Self.small.tinyTargets).scalar
    #expect(abs(first - expected) <= 1e-6 * abs(expected))
    var last = first
    for _ in 0..<200 { last = training.step() }
    #expect(last < first)
  }

  @Test("GEMMOperands are the same numbers every time, and multiply() is their product")
  func gemmOperands() {
    let operands = GEMMOperands(m: 2, k: 3, n: 4)
    #expect(operands.shape == "2x3x4")
    #expect(operands.flops == 48)
    #expect(operands.a.shape == [2, 3] && operands.b.shape == [3, 4])
    let again = GEMMOperands(m: 2, k: 3, n: 4)
    #expect(again.a == operands.a && again.b == operands.b)
    #expect(operands.multiply() == matmul(operands.a, operands.b))
  }
}
