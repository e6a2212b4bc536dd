// Train on a CSV file of your own: the Palmer penguins table with 19 missing cells and two
// text columns, as `dendrite train --dataset Examples/penguins_with_missing.csv
// --label species --missing mean` reads it. Run from the package's folder.
import Dendrite
import DendriteData
import Foundation

// The label is the `species` column; text labels are classes named by their texts. Missing
// cells will be filled with the training rows' means and most frequent values.
let csv = try CSVLoader.loadLabeled(
  path: "Examples/penguins_with_missing.csv", labelColumn: .name("species"), missing: .mean)
print("\(csv.sourceRowCount) rows, label column \(csv.labelColumnDescription): \(csv.encoding.task), because \(csv.encoding.reason)")
print("classes:", csv.classNames?.joined(separator: ", ") ?? "none")
print("missing cells:", csv.features.missingCount)

// Split the rows first (stratified), then fit the column encoding on the training rows
// only: one-hot vocabularies for the text columns, fill values for the missing cells.
let (trainingRows, testRows) = csv.labels.splitRows(testFraction: 0.2, seed: 42)
let encoding = try FeatureEncoding.fit(csv.features, rows: trainingRows, missing: .mean)
print("inputs:", encoding.inputNames.joined(separator: ", "))
let rawTraining = try csv.dataset(rows: trainingRows, encoding: encoding)
let rawTest = try csv.dataset(rows: testRows, encoding: encoding)

// Standardise the numeric inputs; the one-hot inputs keep their 0/1 values.
let scaling = Preprocessing.fitStandardization(rawTraining.features).leavingUnscaled(encoding.oneHotInputs)
let training = rawTraining.replacingFeatures(scaling.apply(rawTraining.features))
let test = rawTest.replacingFeatures(scaling.apply(rawTest.features))

var model = Sequential.multilayerPerceptron(
  inputSize: encoding.inputCount, hiddenSizes: [16], activation: .relu, outputSize: 3)
var adam = Adam(learningRate: 0.01)
try model.fit(training, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 20, batchSize: 16, seed: 42)

// Score the held-out rows: the confusion matrix and per-class precision, recall and F1.
let matrix = ConfusionMatrix(
  outputs: model(test.features), classIndices: test.classIndices ?? [], classCount: 3, loss: .softmaxCrossEntropy)
let report = ClassificationReport(matrix)
print("test rows: \(matrix.total), accuracy \(String(format: "%.4f", report.accuracy))")
print("confusion matrix (rows: true class):", matrix.counts)
for (name, scores) in zip(csv.classNames ?? [], report.classes) {
  print(name, String(format: "precision %.4f recall %.4f f1 %.4f support %d", scores.precision, scores.recall, scores.f1, scores.support))
}
print(String(format: "macro f1 %.4f, weighted f1 %.4f", report.macroAverage.f1, report.weightedAverage.f1))

// The model file keeps the encoding and the names, so `dendrite predict` and
// `dendrite evaluate` read new rows of the same table.
let path = FileManager.default.temporaryDirectory.appendingPathComponent("penguins.safetensors").path
defer { try? FileManager.default.removeItem(atPath: path) }
try model.save(
  to: path, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling, classNames: csv.classNames,
  labelColumn: csv.labelColumnDescription, featureEncoding: encoding)
print("saved; the file's inputs:", try ModelFile.load(from: path).featureNames?.count ?? 0)
