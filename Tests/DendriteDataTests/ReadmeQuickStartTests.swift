import Dendrite
import DendriteData
import Foundation
import Testing

/// The README's quick start, as written there (fewer epochs), so that it keeps compiling
/// and doing what it says.
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
      Dense(inputSize: 32, outputSize: 10)
    }
    var optimizer = Adam(learningRate: 1e-3)
    let history = try model.fit(
      train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 3, batchSize: 32, validation: test, seed: 42)
    #expect((history["val_accuracy"].last ?? 0) > 0.8)
    let path = directory.appendingPathComponent("digits.safetensors").path
    try model.save(to: path, loss: .softmaxCrossEntropy, classCount: 10, preprocessing: scaling)
    #expect(try ModelFile.load(from: path).classCount == 10)

    let trainer = Trainer(model: model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.01))
    #expect(trainer.isFused)
    let before = model.evaluate(train, loss: .softmaxCrossEntropy)["loss"] ?? 0
    let stepLoss = try trainer.step(inputs: train.features, labels: train.labels)
    #expect(abs(stepLoss - before) < 1e-4)   // the loss before the update, on the same rows
    model = trainer.model
    #expect((model.evaluate(train, loss: .softmaxCrossEntropy)["loss"] ?? 0) < before)

    var custom = Sequential(seed: 1) {
      ReadmeScale(scale: Tensor(repeating: 1, shape: [64]))
      Dense(inputSize: 64, outputSize: 10)
    }
    let customHistory = try custom.fit(train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 2)
    #expect(customHistory.trainingPath?.description == "tape (layer 0 (ReadmeScale) is a custom layer)")
    #expect((customHistory["accuracy"].last ?? 0) > 0.5)   // a linear model after 2 epochs with lr 1e-3

    let (_, gradients) = model.valueWithGradients { m in
      softmaxCrossEntropy(logits: m(test.features), classIndices: test.classIndices ?? [])
    }
    #expect(gradients["0.weight"]?.shape == [32, 64])
    #expect(checkGradient(at: logits) { softmaxCrossEntropy(logits: $0, classIndices: [1]) }.passed)
  }
}

/// The README's custom layer (named apart from other test files' `Scale`).
struct ReadmeScale: Layer {
  var scale: Tensor
  func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor { input * scale }
  var parameterNames: [String] { ["scale"] }
  var parameterValues: [Tensor] {
    get { [scale] }
    set { scale = newValue[0] }
  }
}
