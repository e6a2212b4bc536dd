// Save a trained model with batch normalisation to a model file, read it back, and look
// inside: the tensors (PyTorch's names, batch norm's running statistics as buffers) and
// the metadata that rebuilds the network and its preprocessing.
import Dendrite
import DendriteData
import Foundation

let iris = try Datasets.iris()
let (rawTrain, rawTest) = iris.split(testFraction: 0.2, seed: 42)
let scaling = Preprocessing.fitStandardization(rawTrain.features)
let train = rawTrain.replacingFeatures(scaling.apply(rawTrain.features))

var model = Sequential(seed: 42) {
  Dense(inputSize: 4, outputSize: 16)
  BatchNorm(featureCount: 16)
  ActivationLayer(.relu)
  Dense(inputSize: 16, outputSize: 3)
}
var adam = Adam(learningRate: 0.01)
try model.fit(train, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 20, batchSize: 16, seed: 42)

// The file records the loss (which decides the output activation), the classes, the
// standardisation fitted on the training rows, and where the data came from.
let record = DatasetRecord(
  name: "iris", sha256: nil, rowCount: iris.count, labelColumn: nil, seed: 42, testFraction: 0.2,
  validationFraction: 0, missing: .error)
let path = FileManager.default.temporaryDirectory.appendingPathComponent("iris-bn.safetensors").path
try model.save(
  to: path, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling,
  classNames: ["setosa", "versicolor", "virginica"], featureNames: iris.featureNames, dataset: record)
defer { try? FileManager.default.removeItem(atPath: path) }

// The raw safetensors file: tensor names, element types and shapes, then the metadata keys.
let raw = try SafetensorsFile(bytes: FileContents.bytes(atPath: path))
for name in raw.names {
  print(name, raw.elementType(of: name)?.rawValue ?? "?", raw[name]?.shape ?? [])
}
print("metadata:", raw.metadata.keys.sorted().joined(separator: ", "))

// The model file rebuilt: the same predictions on raw (unscaled) rows.
let file = try ModelFile.load(from: path)
let rows = rawTest.features
let before = softmax(model(scaling.apply(rows)))
let after = file.predict(rows)
let difference = zip(before.scalars, after.scalars).map { abs($0 - $1) }.max() ?? .nan
print("task:", file.task, " output activation:", file.outputActivation.map { "\($0)" } ?? "none")
print("classes:", file.classNames ?? [])
print("features:", file.featureNames ?? [])
print("largest difference between the predictions before and after:", difference)
if let loaded = file.model.layers[1] as? BatchNorm, let trained = model.layers[1] as? BatchNorm {
  print("running statistics kept:", loaded.runningMean.scalars == trained.runningMean.scalars
    && loaded.runningVariance.scalars == trained.runningVariance.scalars, "(\(loaded.batchesTracked) batches)")
}
print("dataset record:", file.dataset?.name ?? "none", "seed", file.dataset?.seed ?? 0)
