import ArgumentParser
import Dendrite
import DendriteData

/// `dendrite evaluate`: scores a saved model on every row of a data set.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score a saved model on every row of a data set (bundled name, CSV or IDX).",
    discussion: """
      Classifiers: accuracy, loss, the confusion matrix (true classes as rows, predicted \
      as columns) and per-class precision, recall, F1 and support with macro and \
      weighted averages. Regressors: loss, MAE, RMSE and R² (1 − SS_res/SS_tot).
      """)

  @Option(help: ArgumentHelp("A model file written by `dendrite train --save`.", valueName: "FILE"))
  var model: String

  @Option(help: ArgumentHelp("A bundled data set, a CSV file or an IDX images file.", valueName: "NAME|FILE"))
  var dataset: String

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  @OptionGroup var threadOption: ThreadOption

  func run() throws {
    threadOption.apply()
    try reportingErrors {
      let file = try ModelFile.load(from: model)
      var data = try DatasetSource.load(dataset, regression: file.task == .regression)
      guard data.featureCount == file.inputSize else {
        throw CommandError(
          "\(dataset) has \(data.featureCount) features but the model \(model) takes \(file.inputSize); evaluate it on data like the data it was trained on")
      }
      if file.task == .regression, let classes = data.classIndices {
        data = try Dataset(features: data.features, targets: Tensor(shape: [classes.count, 1], scalars: classes.map(Float.init)), name: data.name)
      }
      if let modelClasses = file.classCount, data.classIndices == nil {
        throw CommandError(
          "\(dataset): the labels are not class indices (whole numbers 0…\(modelClasses - 1)) but the model \(model) is a classifier of \(modelClasses) classes; evaluate it on data labelled with its classes")
      }
      if let classes = data.classCount, let modelClasses = file.classCount, classes > modelClasses {
        throw CommandError(
          "\(dataset) has labels up to \(classes - 1) but the model knows \(modelClasses) classes (labels 0…\(modelClasses - 1)); evaluate it on data with the same classes")
      }
      if let modelClasses = file.classCount, let indices = data.classIndices {
        data = try Dataset(features: data.features, classIndices: indices, classCount: modelClasses, name: data.name)
      }
      let scaled = data.replacingFeatures(file.preprocessing.apply(data.features))
      let outputs = file.model(scaled.features)
      if let targets = data.targets, targets.shape != outputs.shape {
        throw CommandError(
          "\(dataset) has \(targets.shape[1]) target columns but the model \(model) predicts \(outputs.shape[1]); evaluate it on data like the data it was trained on")
      }
      let scores = file.model.evaluate(scaled, loss: file.loss)
      let classNames = (0..<(file.classCount ?? 0)).map(String.init)
      let evaluation = Evaluation(data: scaled, outputs: outputs, loss: file.loss, classNames: classNames)
      if json {
        var object = scores.mapValues { JSONValue.float($0) }
        object["samples"] = .number(Double(data.count))
        object["rows"] = .number(Double(data.count))
        object.merge(evaluation.json) { _, new in new }
        JSONOutput.print(.object(object))
      } else {
        let figures = scores.keys.sorted().map { "\($0) \(String(format: "%.4f", scores[$0] ?? .nan))" }
        print("\(data.name): \(data.count) rows  " + figures.joined(separator: "  "))
        print(evaluation.text)
      }
    }
  }
}
