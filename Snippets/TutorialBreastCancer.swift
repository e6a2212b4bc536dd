// Tutorial "Why cross-entropy learns faster than MSE", section 2: a 30-16-1 sigmoid
// network on the breast-cancer data set, trained from the same weights under MSE and under
// binary cross-entropy, as `dendrite lab`'s `sigmoid-mse-vs-cross-entropy` does.
import Dendrite
import DendriteData

// step: The data: a stratified 80/20 split, standardised with the training part's statistics.
let (rawTrain, rawTest) = try Datasets.named("breast-cancer").split(testFraction: 0.2, seed: 1)
let scaling = Preprocessing.fitStandardization(rawTrain.features)
let train = rawTrain.replacingFeatures(scaling.apply(rawTrain.features))
let test = rawTest.replacingFeatures(scaling.apply(rawTest.features))
print("breast cancer:", train.count, "training rows,", test.count, "test rows,", train.featureCount, "features")

// step: A 30-16-1 network with sigmoid units and a sigmoid output.
let initial = Sequential.multilayerPerceptron(
  inputSize: 30, hiddenSizes: [16], activation: .sigmoid, outputSize: 1, outputActivation: .sigmoid,
  weightInitializer: .glorotUniform, seed: 1)

// step: A callback that scores the whole training part after each epoch.
final class AccuracyRecorder: TrainingCallback {
  let data: Dataset
  let loss: Loss
  var accuracies: [Float] = []
  init(data: Dataset, loss: Loss) { (self.data, self.loss) = (data, loss) }
  func handle(_ event: TrainingEvent, state: inout TrainingState) -> TrainingDecision {
    if case .epochFinished = event {
      accuracies.append(state.model.evaluate(data, loss: loss, metrics: [.accuracy])["accuracy"] ?? 0)
    }
    return .proceed
  }
}

// step: Train under each loss from the same weights; count the epochs to 95% training accuracy.
func epochsTo95(_ loss: Loss, learningRate: Float, from initial: Sequential, on train: Dataset) throws -> String {
  var model = initial
  var optimizer = SGD(learningRate: learningRate)
  let recorder = AccuracyRecorder(data: train, loss: loss)
  try model.fit(train, loss: loss, optimizer: &optimizer, epochs: 200, batchSize: 32, seed: 1, callbacks: [recorder])
  return recorder.accuracies.firstIndex { $0 >= 0.95 }.map { String($0 + 1) } ?? "not reached"
}
let mse = try epochsTo95(.meanSquaredError, learningRate: 0.1, from: initial, on: train)
let crossEntropy = try epochsTo95(.binaryCrossEntropy, learningRate: 0.1, from: initial, on: train)
print("epochs to 95% training accuracy: MSE", mse, " binary cross-entropy", crossEntropy)

// step: The control: MSE at four times the learning rate.
let control = try epochsTo95(.meanSquaredError, learningRate: 0.4, from: initial, on: train)
print("MSE at learning rate 0.4:", control)
