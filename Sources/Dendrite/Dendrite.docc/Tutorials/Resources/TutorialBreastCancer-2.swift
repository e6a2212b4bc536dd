import Dendrite
import DendriteData

// The data: a stratified 80/20 split, standardised with the training part's statistics.
let (rawTrain, rawTest) = try Datasets.named("breast-cancer").split(testFraction: 0.2, seed: 1)
let scaling = Preprocessing.fitStandardization(rawTrain.features)
let train = rawTrain.replacingFeatures(scaling.apply(rawTrain.features))
let test = rawTest.replacingFeatures(scaling.apply(rawTest.features))
print("breast cancer:", train.count, "training rows,", test.count, "test rows,", train.featureCount, "features")

// A 30-16-1 network with sigmoid units and a sigmoid output.
let initial = Sequential.multilayerPerceptron(
  inputSize: 30, hiddenSizes: [16], activation: .sigmoid, outputSize: 1, outputActivation: .sigmoid,
  weightInitializer: .glorotUniform, seed: 1)
