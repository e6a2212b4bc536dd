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
