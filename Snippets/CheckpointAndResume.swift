// Train for 10 epochs with a ModelCheckpoint, load the checkpoint and resume to epoch 20,
// and compare with one uninterrupted run of 20 epochs.
import Dendrite
import DendriteData
import Foundation

func figure(_ value: Float?) -> String { String(format: "%.6f", value ?? .nan) }

let iris = try Datasets.iris()
let (trainingRows, validationRows) = iris.split(testFraction: 0.2, seed: 1)
let scaling = Preprocessing.fitStandardization(trainingRows.features)
let training = trainingRows.replacingFeatures(scaling.apply(trainingRows.features))
let validation = validationRows.replacingFeatures(scaling.apply(validationRows.features))
func newModel() -> Sequential {
  Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [16], activation: .relu, outputSize: 3)
}

// The checkpoint is written after every epoch whose val_loss is the best so far: the
// model, its loss, classes and preprocessing, the optimizer's state and the epoch.
let path = FileManager.default.temporaryDirectory.appendingPathComponent("iris-checkpoint.safetensors").path
defer { try? FileManager.default.removeItem(atPath: path) }
let checkpoint = ModelCheckpoint(path: path, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling)
var model = newModel()
var adam = Adam(learningRate: 0.01)
try model.fit(
  training, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 10, batchSize: 16, validation: validation,
  seed: 42, callbacks: [checkpoint])
print("checkpoint written after epoch", checkpoint.savedEpoch ?? 0)

// Resume: the model, the optimizer with its state, and the epochs done.
struct NotACheckpoint: Error {}
let file = try ModelFile.load(from: path)
guard var optimizer = file.optimizer?.makeOptimizer(), case .number(let done)? = file.training?["epoch"] else {
  throw NotACheckpoint()
}
var resumed = file.model
let rest = try resumed.fit(
  training, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 20 - Int(done), batchSize: 16,
  validation: validation, seed: 42, startEpoch: Int(done))
print("resumed at epoch \(Int(done) + 1) with \(optimizer.name), ran \(rest.count) epochs")

// The same 20 epochs without a break: each epoch shuffles from the seed and its own index,
// so the resumed run takes the same steps.
var uninterrupted = newModel()
var freshAdam = Adam(learningRate: 0.01)
let whole = try uninterrupted.fit(
  training, loss: .softmaxCrossEntropy, optimizer: &freshAdam, epochs: 20, batchSize: 16, validation: validation,
  seed: 42)
print("val_loss after epoch 20, resumed:      ", figure(rest["val_loss"].last))
print("val_loss after epoch 20, uninterrupted:", figure(whole["val_loss"].last))
