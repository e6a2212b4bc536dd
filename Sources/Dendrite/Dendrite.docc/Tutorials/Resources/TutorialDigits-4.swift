import Dendrite
import DendriteData

// 8 × 8 images of handwritten digits, split and standardised.
let (rawTrain, rawTest) = try Datasets.digits().split(testFraction: 0.2, seed: 1)
let scaling = Preprocessing.fitStandardization(rawTrain.features)
let train = rawTrain.replacingFeatures(scaling.apply(rawTrain.features))
let test = rawTest.replacingFeatures(scaling.apply(rawTest.features))

// One network shape, two output layers: 10 logits for softmax, or 10 sigmoid units.
func network(output: Activation) -> Sequential {
  .multilayerPerceptron(
    inputSize: 64, hiddenSizes: [32], activation: .sigmoid, outputSize: 10, outputActivation: output,
    weightInitializer: .glorotUniform, seed: 1)
}

// Softmax + log-likelihood: J = −ln a_true, error term a − y.
var softmaxModel = network(output: .linear)
var optimizer = SGD(learningRate: 0.1)
try softmaxModel.fit(train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 30, batchSize: 32, seed: 1)
let softmaxAccuracy = softmaxModel.evaluate(test, loss: .softmaxCrossEntropy, metrics: [.accuracy])["accuracy"] ?? 0
print("softmax + log-likelihood: test accuracy", softmaxAccuracy)

// Sigmoid + the study's MSE, C = Σᵢ(aᵢ − yᵢ)² over the 10 outputs: error term 2(a − y)·κ′(z).
var sigmoidModel = network(output: .sigmoid)
optimizer = SGD(learningRate: 0.1)
try sigmoidModel.fit(
  train, loss: .meanSquaredError, optimizer: &optimizer, epochs: 30, batchSize: 32, seed: 1,
  objective: { outputs, labels in Loss.meanSquaredError.compute(outputs: outputs, labels: labels) * 10 })
let sigmoidAccuracy = sigmoidModel.evaluate(test, loss: .meanSquaredError, metrics: [.accuracy])["accuracy"] ?? 0
print("sigmoid + MSE: test accuracy", sigmoidAccuracy)
