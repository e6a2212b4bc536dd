import Dendrite
import DendriteBenchmarks
import Foundation
import Testing

/// The CNN part of the benchmark workload and its training.
@Suite("CNNWorkloadTests")
struct CNNWorkloadTests {
  /// The MLP and tiny parts small, the CNN on 2 batches of 4 images.
  static let small = BenchmarkWorkload.synthetic(
    seed: 7, layerSizes: [6, 5, 3], batchSize: 4, batchCount: 2, tinyLayerSizes: [2, 3, 1], cnnBatchSize: 4,
    cnnBatchCount: 2)

  @Test("the CNN is PyTorch's nn.Sequential numbering, from the workload's weights")
  func modelFollowsTheWorkload() throws {
    let cnn = try #require(Self.small.cnn)
    let model = cnn.makeModel()
    #expect(
      model.parameterNames == ["1.weight", "1.bias", "4.weight", "4.bias", "8.weight", "8.bias", "10.weight", "10.bias"])
    #expect(model.parameterValues == CNNWorkload.parameterShapes.compactMap { cnn.parameters[$0.name] })
    #expect(model.parameterCount == 225_034)
    #expect(model(cnn.inputs[0]).shape == [4, 10])
    #expect(cnn.batchSize == 4 && cnn.inputs.count == 2 && cnn.classIndices.allSatisfy { $0.count == 4 })
    // Pixels in [0, 1); conv weights He-uniform: within ±√(6/9) for the first layer.
    #expect(cnn.inputs.allSatisfy { $0.scalars.allSatisfy { (0..<1).contains($0) } })
    let bound = (6 / Float(9)).squareRoot()
    #expect(cnn.parameters["conv1.weight"]?.scalars.allSatisfy { abs($0) <= bound } == true)
  }

  @Test("CNNTraining's first loss is the model's loss on batch 0, and Adam lowers it")
  func trainingLearns() throws {
    let cnn = try #require(Self.small.cnn)
    let training = CNNTraining(workload: cnn)
    let first = training.step()
    let expected = softmaxCrossEntropy(logits: cnn.makeModel()(cnn.inputs[0]), classIndices: cnn.classIndices[0]).scalar
    #expect(abs(first - expected) <= 1e-5 * abs(expected))
    var losses: [Float] = []
    for _ in 0..<30 { losses.append(training.step()) }
    // Two batches of four: after 30 Adam steps both are nearly memorised.
    #expect(losses.suffix(2).allSatisfy { $0 < first / 2 }, "\(first) → \(losses.suffix(2))")
  }

  @Test("a workload file without the CNN still loads; a broken CNN part is an error naming the tensor")
  func optionalAndBroken() throws {
    let path = try BenchmarkWorkloadTests.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    var file = Self.small.safetensors()
    for name in file.tensors.map(\.name) where name.hasPrefix("cnn.") { file[name] = nil }
    try AtomicFile.write(file.encoded(), to: path)
    #expect(try BenchmarkWorkload.load(from: path).cnn == nil)

    file = Self.small.safetensors()
    file["cnn.conv2.weight"] = Tensor.zeros(shape: [64, 32, 5, 5])
    try AtomicFile.write(file.encoded(), to: path)
    #expect(
      throws: BenchmarkWorkloadError(
        file: path, problem: "tensor \"cnn.conv2.weight\" has shape [64, 32, 5, 5] or non-finite values; expected [64, 32, 3, 3]")
    ) { try BenchmarkWorkload.load(from: path) }

    file = Self.small.safetensors()
    file["cnn.labels"] = Tensor(shape: [2, 4], scalars: [0, 1, 2, 10, 0, 1, 2, 3])
    try AtomicFile.write(file.encoded(), to: path)
    #expect(
      throws: BenchmarkWorkloadError(file: path, problem: "tensor \"cnn.labels\" holds a value that is not a class index 0…9")
    ) { try BenchmarkWorkload.load(from: path) }
  }

  @Test("the speed benchmark measures the CNN, and skips it with 0 steps")
  func measuresTheCNN() throws {
    var benchmark = SpeedBenchmark(steps: 1, warmupSteps: 0, tinySteps: 1, tinyWarmupSteps: 0, workload: Self.small)
    benchmark.cnnSteps = 2
    benchmark.cnnWarmupSteps = 0
    let figures = try #require(benchmark.measureCNN())
    #expect(figures.samplesPerSecond > 0 && figures.finalLoss.isFinite)
    benchmark.cnnSteps = 0
    #expect(benchmark.measureCNN() == nil)
  }
}
