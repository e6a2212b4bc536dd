// The vanishing gradient on the digits data set: 10 hidden layers of 32 units with
// sigmoid, tanh and ReLU, and how much of the output layer's weight gradient reaches the
// first layer before any training.
import Dendrite
import DendriteData

let digits = try Datasets.digits()
let scaling = Preprocessing.fitStandardization(digits.features)
let batch = digits.replacingFeatures(scaling.apply(digits.features)).subset(Array(0..<128))

for activation: Activation in [.sigmoid, .tanh, .relu] {
  // Each layer initialised for its activation: Glorot for sigmoid and tanh, He for ReLU.
  let model = Sequential.multilayerPerceptron(
    inputSize: 64, hiddenSizes: Array(repeating: 32, count: 10), activation: activation, outputSize: 10)
  let snapshot = GradientFlowSnapshot.measure(
    model: model, features: batch.features, labels: batch.labels, loss: .softmaxCrossEntropy)
  let first = snapshot.layers[0].weightGradientNorm
  let last = snapshot.layers[snapshot.layers.count - 1].weightGradientNorm
  print(activation, "‖∂J/∂W‖ first layer", first, "output layer", last,
        "ratio", snapshot.firstToLastWeightGradientRatio)
}
