// The README's quick start, verbatim (Scripts/check_documentation.py checks that the
// README's code is this file less these comments, and that it prints what the README says).
import Dendrite
import DendriteData

// The study's worked example: softmax + log-likelihood on logits (1, 5, 3), class 1 true.
let logits = Tensor([[1, 5, 3]])
let (loss, gradient) = valueWithGradient(at: logits) {
  softmaxCrossEntropy(logits: $0, classIndices: [1])
}
print(loss)      // J = −ln a₁
print(gradient)  // a − y

// A classifier for the bundled 8 × 8 digits: split, standardise, train, score.
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
print("test accuracy:", history["val_accuracy"].last ?? 0)

// Save it: a safetensors file that `dendrite predict` and PyTorch read.
try model.save(to: "digits.safetensors", loss: .softmaxCrossEntropy, classCount: 10, preprocessing: scaling)
