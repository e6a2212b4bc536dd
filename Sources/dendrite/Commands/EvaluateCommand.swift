import ArgumentParser
import Dendrite
import DendriteData

/// `dendrite evaluate`: scores a saved model on every row of a data set.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score a saved model on every row of a data set (bundled name, CSV or IDX).")

  @Option(help: ArgumentHelp("A model file written by `dendrite train --save`.", valueName: "FILE"))
  var model: String

  @Option(help: ArgumentHelp("A bundled data set, a CSV file or an IDX images file.", valueName: "NAME|FILE"))
  var dataset: String

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  func run() throws {
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
      if let classes = data.classCount, let modelClasses = file.classCount, classes > modelClasses {
        throw CommandError(
          "\(dataset) has labels up to \(classes - 1) but the model knows \(modelClasses) classes (labels 0…\(modelClasses - 1)); evaluate it on data with the same classes")
      }
      if let modelClasses = file.classCount, let indices = data.classIndices {
        data = try Dataset(features: data.features, classIndices: indices, classCount: modelClasses, name: data.name)
      }
      let scaled = data.replacingFeatures(file.preprocessing.apply(data.features))
      let scores = file.model.evaluate(scaled, loss: file.loss)
      if json {
        var object = scores.mapValues { JSONValue.float($0) }
        object["samples"] = .number(Double(data.count))
        JSONOutput.print(.object(object))
      } else {
        let figures = scores.keys.sorted().map { "\($0) \(String(format: "%.4f", scores[$0] ?? .nan))" }
        print("\(data.name): \(data.count) rows  " + figures.joined(separator: "  "))
      }
    }
  }
}
