import Dendrite
import DendriteBenchmarks
import Foundation
import Testing

@Suite("BenchmarkWorkloadTests")
struct BenchmarkWorkloadTests {
  /// A small workload: MLP 6-5-3 on 2 batches of 4, tiny 2-3-1 on XOR.
  static let small = BenchmarkWorkload.synthetic(
    seed: 7, layerSizes: [6, 5, 3], batchSize: 4, batchCount: 2, tinyLayerSizes: [2, 3, 1])

  @Test("a workload written to a safetensors file reads back equal, with [out, in] weights")
  func roundTrip() throws {
    let path = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    try AtomicFile.write(Self.small.safetensors().encoded(), to: path)
    let back = try BenchmarkWorkload.load(from: path)
    #expect(back.source == path)
    var expected = Self.small
    expected.source = path
    #expect(back == expected)
    #expect(back.mlpLayerSizes == [6, 5, 3])
    #expect(back.mlpLayers[0].weight.shape == [5, 6])
    #expect(back.mlpBatchSize == 4)
    #expect(back.mlpClassIndices.count == 2)
    #expect(back.mlpClassIndices.allSatisfy { $0.allSatisfy { (0..<3).contains($0) } })
    #expect(back.tinyTargets == Tensor([[0], [1], [1], [0]]))
  }

  @Test("the models start from the workload's weights: ReLU / sigmoid hidden layers, linear output")
  func modelsKeepGivenWeights() {
    let mlp = Self.small.makeMLP()
    #expect(mlp.parameterNames == ["0.weight", "0.bias", "2.weight", "2.bias"])
    #expect(mlp.parameterValues == Self.small.mlpLayers.flatMap { [$0.weight, $0.bias] })
    let x = Self.small.mlpInputs[0]
    let w0 = Self.small.mlpLayers[0]
    let w1 = Self.small.mlpLayers[1]
    let expected = matmul(relu(matmul(x, w0.weight, transposeB: true) + w0.bias), w1.weight, transposeB: true) + w1.bias
    #expect(mlp(x).isApproximatelyEqual(to: expected, tolerance: 1e-6))
    let tiny = Self.small.makeTinyNetwork()
    let t0 = Self.small.tinyLayers[0]
    let t1 = Self.small.tinyLayers[1]
    let xor = Self.small.tinyInputs
    let hidden = sigmoid(matmul(xor, t0.weight, transposeB: true) + t0.bias)
    let tinyExpected = matmul(hidden, t1.weight, transposeB: true) + t1.bias
    #expect(tiny(xor).isApproximatelyEqual(to: tinyExpected, tolerance: 1e-6))
  }

  @Test("the final loss of a one-step run is the loss before its update")
  func finalLossIsBeforeTheUpdate() {
    let benchmark = SpeedBenchmark(steps: 1, warmupSteps: 0, tinySteps: 1, tinyWarmupSteps: 0, workload: Self.small)
    let mlpLoss = softmaxCrossEntropy(
      logits: Self.small.makeMLP()(Self.small.mlpInputs[0]), classIndices: Self.small.mlpClassIndices[0])
    // The benchmark's fused step sums the loss in another order than the tape: equal to
    // float32 rounding.
    #expect(abs(benchmark.measureMLP().finalLoss - mlpLoss.scalar) <= 1e-6 * abs(mlpLoss.scalar))
    let tinyLoss = meanSquaredError(
      predicted: Self.small.makeTinyNetwork()(Self.small.tinyInputs), expected: Self.small.tinyTargets)
    #expect(abs(benchmark.measureTinyNetwork().finalLoss - tinyLoss.scalar) <= 1e-6 * abs(tinyLoss.scalar))
    // Two steps on the second batch: the update changed the loss.
    let two = SpeedBenchmark(steps: 2, warmupSteps: 0, workload: Self.small).measureMLP().finalLoss
    #expect(two.isFinite && two != mlpLoss.scalar)
  }

  @Test("bad workload files are errors that name the file and the problem")
  func badFiles() throws {
    let path = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    func expectProblem(_ problem: String, sourceLocation: SourceLocation = #_sourceLocation) {
      #expect(throws: BenchmarkWorkloadError(file: path, problem: problem), sourceLocation: sourceLocation) {
        try BenchmarkWorkload.load(from: path)
      }
    }
    expectProblem("no such file (check the path)")

    try AtomicFile.write([1, 2, 3], to: path)
    expectProblem("the file is 3 bytes, too short for a safetensors header (empty or truncated file?)")

    var file = Self.small.safetensors()
    file["mlp.labels"] = nil
    try AtomicFile.write(file.encoded(), to: path)
    expectProblem("tensor \"mlp.labels\" is missing; is this a workload file written by Scripts/bench_peers.py?")

    file = Self.small.safetensors()
    file["mlp.labels"] = Tensor(shape: [2, 4], scalars: [0, 1, 2, 3, 0, 1, 2, 0])
    try AtomicFile.write(file.encoded(), to: path)
    expectProblem("MLP label 3 in batch 0 is out of range for 3 classes (0…2)")

    file = Self.small.safetensors()
    file["mlp.labels"] = Tensor(shape: [2, 4], scalars: [0, 1, 2, 0.5, 0, 1, 2, 0])
    try AtomicFile.write(file.encoded(), to: path)
    expectProblem("tensor \"mlp.labels\" holds 0.5, which is not a class index (0, 1, 2, …)")

    file = Self.small.safetensors()
    file["mlp.1.weight"] = Tensor.zeros(shape: [5, 3])  // numpy's (fan_in, fan_out), not transposed
    try AtomicFile.write(file.encoded(), to: path)
    expectProblem(
      "tensor \"mlp.1.weight\" has shape [5, 3] but the layer before gives 5 features; "
        + "weights are [out, in] (transpose numpy's (fan_in, fan_out))")
  }

  static func temporaryPath() throws -> String {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("dendrite-workload-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("workload.safetensors").path
  }
}
