import ArgumentParser
import Dendrite
import DendriteData

/// `dendrite predict`: runs a saved model on raw feature rows.
struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Run a saved model on raw feature rows from a CSV file.",
    discussion: """
      The file holds feature columns only (a header row is detected and skipped). The \
      model file's preprocessing is applied first. Classifiers print class probabilities \
      and the predicted class by name (the training CSV's label, such as setosa; the index \
      for a model file without class names); regressors print values. With --json, \
      "classes" holds the class indices and "labels" their names.
      """)

  @Option(help: ArgumentHelp("A model file written by `dendrite train --save`.", valueName: "FILE"))
  var model: String

  @Option(help: ArgumentHelp("A CSV of feature rows.", valueName: "FILE.csv"))
  var input: String

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  @OptionGroup var threadOption: ThreadOption

  func run() throws {
    threadOption.apply()
    try reportingErrors {
      let file = try ModelFile.load(from: model)
      let (table, hasHeader) = try CSVLoader.loadTable(path: input)
      let columnCount = file.featureEncoding?.columns.count ?? file.inputSize
      let (features, notes) = try FeatureMatching.inputs(table, hasHeader: hasHeader, for: file, source: input, model: model) {
        "\(input) has \(table.columnCount) columns but the model \(model) takes \(columnCount) features; give feature columns only, no label"
      }
      for note in notes { Terminal.printError(note) }
      let outputs = file.predict(features)
      let rows = (0..<outputs.shape[0]).map { row in
        Array(outputs.scalars[(row * outputs.shape[1])..<((row + 1) * outputs.shape[1])])
      }
      let classes: [Int]? =
        file.task == .classification
        ? (outputs.shape[1] == 1 ? outputs.scalars.map { $0 > 0.5 ? 1 : 0 } : outputs.argmax(alongAxis: -1)) : nil
      if json {
        var object: [String: JSONValue] = ["outputs": .array(rows.map { .floats($0) })]
        if let classes {
          object["classes"] = .array(classes.map { .number(Double($0)) })
          object["labels"] = .array(classes.map { .string(file.className($0)) })
        }
        JSONOutput.print(.object(object))
        return
      }
      for (index, row) in rows.enumerated() {
        let values = row.map { String(format: "%.4f", $0) }.joined(separator: " ")
        if let classes {
          print("row \(index + 1): class \(file.className(classes[index]))  probabilities \(values)")
        } else {
          print("row \(index + 1): \(values)")
        }
      }
    }
  }
}
