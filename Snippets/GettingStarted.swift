// Train a small classifier on the bundled wine data set, score it on held-out rows and
// save it as a model file that `dendrite predict` and PyTorch read.
import Dendrite
import DendriteData
import Foundation

// 178 wines, 13 measurements each, 3 cultivars. Hold out a fifth of the rows (stratified
// and shuffled), then standardise the features with the training rows' means and
// deviations only.
let wine = try Datasets.wine()
let (trainingRows, heldOutRows) = wine.split(testFraction: 0.2, seed: 7)
let standardization = Preprocessing.fitStandardization(trainingRows.features)
func standardized(_ data: Dataset) -> Dataset {
  data.replacingFeatures(standardization.apply(data.features))
}
let (training, heldOut) = (standardized(trainingRows), standardized(heldOutRows))

// 13 inputs → 16 ReLU units → 3 logits. The loss applies softmax itself, so the output
// layer stays linear.
var classifier = Sequential.multilayerPerceptron(
  inputSize: 13, hiddenSizes: [16], activation: .relu, outputSize: 3)

// The Advisor checks the output activation against the loss before training; this
// pairing is one of its silent defaults.
print("advisor findings:", Advisor.check(model: classifier, loss: .softmaxCrossEntropy).count)

var adam = Adam(learningRate: 0.01)
let history = try classifier.fit(
  training, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 30, batchSize: 16,
  validation: heldOut)
print("epochs run:", history.count)
print("training path:", history.trainingPath.map(String.init(describing:)) ?? "none")
let scores = classifier.evaluate(heldOut, loss: .softmaxCrossEntropy)
print("held-out accuracy:", scores["accuracy"] ?? .nan)

// A safetensors file holding the weights, the architecture, the loss, the class count
// and the standardisation.
let file = FileManager.default.temporaryDirectory.appendingPathComponent("wine.safetensors").path
try classifier.save(to: file, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: standardization)
print("reloaded outputs:", try ModelFile.load(from: file).outputSize)
