// Train on the bundled iris data with a validation split, a callback of our own and early
// stopping that puts back the best epoch's weights; then the NaN guard, and one step at a
// time with a Trainer on each training path.
import Dendrite
import DendriteData
import Foundation

func figure(_ value: Float?) -> String { String(format: "%.4f", value ?? .nan) }

// 150 flowers, 4 measurements, 3 species: a fifth held out for validation (stratified),
// the features standardised with the training rows' statistics.
let iris = try Datasets.iris()
let (trainingRows, validationRows) = iris.split(testFraction: 0.2, seed: 1)
let scaling = Preprocessing.fitStandardization(trainingRows.features)
let training = trainingRows.replacingFeatures(scaling.apply(trainingRows.features))
let validation = validationRows.replacingFeatures(scaling.apply(validationRows.features))

// A callback is a class: it sees every event and may stop training.
final class EveryTenthEpoch: TrainingCallback {
  func handle(_ event: TrainingEvent, state: inout TrainingState) throws -> TrainingDecision {
    if case .epochFinished(let epoch, _, let metrics) = event, (epoch + 1) % 10 == 0 {
      print("epoch \(epoch + 1): loss \(figure(metrics["loss"])), val_loss \(figure(metrics["val_loss"]))")
    }
    return .proceed
  }
}

var model = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [16], activation: .relu, outputSize: 3)
var adam = Adam(learningRate: 0.05)
let stopper = EarlyStopping(monitor: "val_loss", patience: 5, restoreBestWeights: true)
let history = try model.fit(
  training, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 200, batchSize: 16,
  validation: validation, seed: 42, callbacks: [EveryTenthEpoch(), stopper])
print("History keys:", history.epochs[0].keys.sorted().joined(separator: ", "))
print("epochs run:", history.count)
if let best = stopper.best {
  print("best epoch: \(best.epoch + 1), val_loss \(figure(best.value))")
}
// The model fit leaves behind holds the best epoch's weights, not the last epoch's.
print("last epoch's val_loss:", figure(history["val_loss"].last))
print("restored model's val_loss:", figure(model.evaluate(validation, loss: .softmaxCrossEntropy)["loss"]))
print("training path:", history.trainingPath.map(String.init(describing:)) ?? "none")

// The NaN guard: plain SGD at learning rate 10 on mean squared error blows up, and fit
// throws at the first non-finite loss or gradient.
var unstable = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [16], activation: .relu, outputSize: 3)
var tooFast = SGD(learningRate: 10)
do {
  try unstable.fit(training, loss: .meanSquaredError, optimizer: &tooFast, epochs: 20, batchSize: 16)
  print("trained without diverging")
} catch let error as TrainingError {
  if case .diverged(let epoch, let step, _, let parameter) = error {
    print("diverged at epoch \(epoch + 1), step \(step + 1), first non-finite gradient: \(parameter ?? "none")")
  }
  print(error)
}

// One step at a time: a stack of dense layers runs on the fused kernels; dropout sends
// the steps to the tape.
func threeSteps<Model: Layer, Opt: Optimizer>(_ trainer: Trainer<Model, Opt>) throws {
  var losses: [String] = []
  for _ in 0..<3 { losses.append(figure(try trainer.step(inputs: training.features, labels: training.labels))) }
  print("\(trainer.path): batch losses \(losses.joined(separator: ", "))")
}
try threeSteps(
  Trainer(
    model: Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [16], activation: .relu, outputSize: 3),
    loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1)))
try threeSteps(
  Trainer(
    model: Sequential(seed: 42) {
      Dense(inputSize: 4, outputSize: 16, activation: .relu)
      Dropout(rate: 0.2)
      Dense(inputSize: 16, outputSize: 3)
    },
    loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1)))
