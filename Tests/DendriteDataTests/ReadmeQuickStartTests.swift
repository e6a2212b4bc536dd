import Dendrite
import DendriteData
import Foundation
import Testing

/// The README's quick start, as written there (its file written to a temporary folder), so
/// that it keeps doing what the README says. CI also builds and runs the README's text
/// itself (`Snippets/QuickStart.swift`, which `Scripts/check_documentation.py` compares
/// with the README, output included).
@Suite("README quick start")
struct ReadmeQuickStartTests {
  @Test("the quick start runs and prints what the README says")
  func quickStart() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    let logits = Tensor([[1, 5, 3]])
    let (loss, gradient) = valueWithGradient(at: logits) {
      softmaxCrossEntropy(logits: $0, classIndices: [1])
    }
    #expect(loss.description == "Tensor[] 0.1429317")
    #expect(gradient.description == "Tensor[1, 3] [[0.015876235, -0.13318676, 0.11731042]]")

    let (rawTrain, rawTest) = try Datasets.digits().split(testFraction: 0.2, seed: 42)
    let scaling = Preprocessing.fitStandardization(rawTrain.features)
    let train = rawTrain.replacingFeatures(scaling.apply(rawTrain.features))
    let test = rawTest.replacingFeatures(scaling.apply(rawTest.features))
    var model = Sequential(seed: 42) {
      Dense(inputSize: 64, outputSize: 32, activation: .relu)
      Dense(inputSize: 32, outputSize: 10)  // logits: softmax is in the loss
    }
    var optimizer = Adam(learningRate: 1e-3)
    let history = try model.fit(
      train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 20, batchSize: 32, validation: test, seed: 42)
    // The README prints 0.96100277 with the built-in kernels; OpenBLAS may change the last bits.
    #expect(abs((history["val_accuracy"].last ?? 0) - 0.961) < 0.01)

    let path = directory.appendingPathComponent("digits.safetensors").path
    try model.save(to: path, loss: .softmaxCrossEntropy, classCount: 10, preprocessing: scaling)
    let file = try ModelFile.load(from: path)
    #expect(file.classCount == 10)
  }
}
