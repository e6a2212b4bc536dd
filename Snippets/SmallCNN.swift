// A small convolutional network on the bundled digits (8 × 8 grey images, 10 classes),
// built layer by layer and again from the text that `dendrite train --architecture`
// takes; then three epochs of Adam and the held-out accuracy.
import Dendrite
import DendriteData
import Foundation

// Pixels are 0–16: scale them to [0, 1]. Hold out a fifth of the rows.
let digits = try Datasets.digits()
let (rawTrain, rawTest) = digits.split(testFraction: 0.2, seed: 42)
let scaling = Preprocessing.fixedRange(0...16, featureCount: 64)
let train = rawTrain.replacingFeatures(scaling.apply(rawTrain.features))
let test = rawTest.replacingFeatures(scaling.apply(rawTest.features))

// A Dataset holds rows [N, 64], so the network starts by reading each row as an image
// [1, 8, 8] (NCHW, as in PyTorch).
var model = Sequential(seed: 42) {
  Unflatten(shape: [1, 8, 8])
  Conv2D(inChannels: 1, outChannels: 8, kernelSize: 3, padding: 1, activation: .relu)
  BatchNorm(featureCount: 8)
  MaxPool2D(size: 2)
  Conv2D(inChannels: 8, outChannels: 16, kernelSize: 3, padding: 1, activation: .relu)
  AveragePool2D(size: 2)
  Flatten()
  Dense(inputSize: 64, outputSize: 10)
}

// The shape of four images after each layer.
var x = test.subset(Array(0..<4)).features
print("input", x.shape)
for layer in model.layers {
  x = layer(x)
  print(type(of: layer), x.shape)
}
print("parameters:", model.parameterCount)

// The same network from text; makeModel adds the Unflatten and the output layer.
let spec = try ArchitectureSpecification(
  parsing: "conv(8, 3, padding=1), relu, batchnorm, maxpool(2), conv(16, 3, padding=1), relu, avgpool(2), flatten")
let fromText = try spec.makeModel(inputShape: [1, 8, 8], outputSize: 10, seed: 42)
print("spec:", spec)
print("same parameter names:", fromText.parameterNames == model.parameterNames)
print("same initial values:", fromText.parameterValues.map(\.scalars) == model.parameterValues.map(\.scalars))
// And back: the text of a model's layers, output layer included.
print("read back:", ArchitectureSpecification(describing: model)?.description ?? "none")
// A specification that does not fit the data stops before training, naming the layer.
do {
  _ = try ArchitectureSpecification(parsing: "conv(8,3),relu,dense(16)").makeModel(inputShape: [1, 8, 8], outputSize: 10)
} catch {
  print("error:", error)
}

var adam = Adam(learningRate: 0.01)
let history = try model.fit(
  train, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 3, batchSize: 32, seed: 42)
print("training path:", history.trainingPath.map(String.init(describing:)) ?? "none")
print("loss per epoch:", history["loss"].map { String(format: "%.4f", $0) }.joined(separator: " "))
let accuracy = model.evaluate(test, loss: .softmaxCrossEntropy)["accuracy"] ?? .nan
print("held-out accuracy:", String(format: "%.4f", accuracy))
if let batchNorm = model.layers[2] as? BatchNorm {
  print("batch norm: \(batchNorm.batchesTracked) batches tracked, running mean of channel 0",
        String(format: "%.4f", batchNorm.runningMean.scalars[0]))
}
