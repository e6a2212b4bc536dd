// A custom layer that learns one gate per input feature, y = x ⊙ σ(g): trained with fit
// inside a Sequential, saved to a model file and loaded back. Then what happens to a
// custom layer that does not conform to SavableLayer.
import Dendrite
import DendriteData
import Foundation

/// y = x ⊙ σ(g), with one learned gate g per feature (σ(0) = 0.5 to start).
struct FeatureGate: SavableLayer {
  var gate: Tensor

  init(features: Int) { gate = Tensor.zeros(shape: [features]) }

  func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor { input * sigmoid(gate) }
  var parameterNames: [String] { ["gate"] }
  var parameterValues: [Tensor] {
    get { [gate] }
    set { gate = newValue[0] }
  }

  // What a model file stores besides the parameters, and how the loader rebuilds the layer.
  static var typeName: String { "feature-gate" }
  var configuration: JSONValue { ["features": .number(Double(gate.shape[0]))] }
  init(configuration: JSONValue, parameters: [String: Tensor]) throws {
    guard case .number(let features)? = configuration["features"], let gate = parameters["gate"],
      gate.shape == [Int(features)]
    else { throw GateError.notAGateConfiguration }
    self.gate = gate
  }
  enum GateError: Error { case notAGateConfiguration }
}

let iris = try Datasets.iris()
let (trainingRows, testRows) = iris.split(testFraction: 0.2, seed: 1)
let scaling = Preprocessing.fitStandardization(trainingRows.features)
let training = trainingRows.replacingFeatures(scaling.apply(trainingRows.features))
let test = testRows.replacingFeatures(scaling.apply(testRows.features))

var model = Sequential(seed: 42) {
  FeatureGate(features: 4)
  Dense(inputSize: 4, outputSize: 16, activation: .relu)
  Dense(inputSize: 16, outputSize: 3)
}
print("parameters:", model.parameterNames.joined(separator: ", "))
var adam = Adam(learningRate: 0.05)
let history = try model.fit(training, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 30, batchSize: 16)
print("training path:", history.trainingPath.map(String.init(describing:)) ?? "none")
print("learned gates σ(g):", sigmoid(model.parameters["0.gate"] ?? Tensor([0])).scalars.map { String(format: "%.3f", $0) })
let accuracy = model.evaluate(test, loss: .softmaxCrossEntropy)["accuracy"] ?? .nan
print("test accuracy:", String(format: "%.4f", accuracy))

let path = FileManager.default.temporaryDirectory.appendingPathComponent("gated-iris.safetensors").path
defer { try? FileManager.default.removeItem(atPath: path) }
try model.save(to: path, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling)

// Loading needs the type: without it, the loader names the layer and says what to pass.
do {
  _ = try ModelFile.load(from: path)
} catch {
  print("without customLayers:", error.reason)
}
let file = try ModelFile.load(from: path, customLayers: [FeatureGate.self])
let same = file.predict(testRows.features).scalars == model.predict(test.features, loss: .softmaxCrossEntropy).scalars
print("reloaded predictions identical:", same)

// A custom layer that is only a Layer trains the same way, but a model file cannot store it.
struct Shift: Layer {
  var offset: Tensor
  func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor { input + offset }
  var parameterNames: [String] { ["offset"] }
  var parameterValues: [Tensor] {
    get { [offset] }
    set { offset = newValue[0] }
  }
}
let unsavable = Sequential(seed: 42) {
  Shift(offset: Tensor.zeros(shape: [4]))
  Dense(inputSize: 4, outputSize: 3)
}
do {
  try unsavable.save(to: path, loss: .softmaxCrossEntropy, classCount: 3)
} catch {
  print("saving Shift:", error.reason)
}
