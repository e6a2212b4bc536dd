import ArgumentParser
import Dendrite

/// `dendrite inspect`: shows what a model file holds.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect", abstract: "Show a model file's architecture, loss, preprocessing and tensors.")

  @Argument(help: ArgumentHelp("A model file (safetensors).", valueName: "FILE"))
  var file: String

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  func run() throws {
    try reportingErrors {
      let model = try ModelFile.load(from: file)
      let tensors = zip(model.model.parameterNames, model.model.parameterValues).map { ($0, $1.shape) }
      let preprocessing = model.preprocessing.kind.name
      let outputActivation = CommandLineNames.outputActivation(model.outputActivation)
      if json {
        JSONOutput.print([
          "architecture": .array(model.architecture),
          "loss": .string(model.loss.name),
          "task": .string(model.task.rawValue),
          "classes": model.classCount.map { .number(Double($0)) } ?? .null,
          "output_activation": .string(outputActivation),
          "preprocessing": .string(preprocessing),
          "parameters": .number(Double(model.model.parameterCount)),
          "dataset": model.dataset?.json ?? .null,
          "columns": model.featureEncoding?.json ?? .null,
          "tensors": .object(Dictionary(uniqueKeysWithValues: tensors.map { ($0.0, JSONValue.array($0.1.map { .number(Double($0)) })) })),
        ])
        return
      }
      print("\(file)")
      print("  task: \(model.task.rawValue)\(model.classCount.map { ", \($0) classes" } ?? "")")
      print("  loss: \(model.loss.name), output activation: \(outputActivation)")
      print("  preprocessing: \(preprocessing)")
      if let record = model.dataset { print("  data set: \(Self.describe(record))") }
      if let encoding = model.featureEncoding {
        print("  columns (\(encoding.columns.count) → \(encoding.inputCount) inputs):")
        for column in encoding.columns { print("    \(Self.describe(column))") }
      }
      print("  layers:")
      for entry in model.architecture {
        if case .object(let fields) = entry {
          let text = fields.keys.sorted().filter { $0 != "type" }.map { key -> String in
            switch fields[key] {
            case .number(let n)?: "\(key) \(n.rounded() == n ? String(Int(n)) : String(n))"
            case .string(let s)?: s
            default: key
            }
          }.joined(separator: ", ")
          if case .string(let type)? = fields["type"] { print("    \(type) \(text)") }
        }
      }
      print("  tensors (\(model.model.parameterCount) parameters):")
      for (name, shape) in tensors { print("    \(name) \(shape)") }
    }
  }

  /// The model file's data set record on one line.
  ///
  ///     iris.csv (sha256 9f86d081884c…), 150 rows, label column "species", seed 42, test 0.2, validation 0.1
  static func describe(_ record: DatasetRecord) -> String {
    let hash = record.sha256.map { " (sha256 \($0.prefix(12))…)" } ?? " (bundled)"
    let label = record.labelColumn.map { ", label column \"\($0)\"" } ?? ""
    let missing = record.missing == .error ? "" : ", missing cells: \(record.missing.rawValue)"
    return "\(record.name)\(hash), \(record.rowCount) rows\(label), seed \(record.seed), "
      + "test \(record.testFraction), validation \(record.validationFraction)\(missing)"
  }

  /// One line per source column: `island: one-hot over Biscoe, Dream, Torgersen (missing → Biscoe)`.
  static func describe(_ column: FeatureEncoding.ColumnEncoding) -> String {
    switch column.kind {
    case .number(let fill):
      return "\(column.name): number" + (fill.map { " (missing → \($0))" } ?? "")
    case .oneHot(let categories, let fill):
      let shown = categories.prefix(12).joined(separator: ", ") + (categories.count > 12 ? ", … (\(categories.count))" : "")
      return "\(column.name): one-hot over \(shown)" + (fill.map { " (missing → \($0))" } ?? "")
    }
  }
}
