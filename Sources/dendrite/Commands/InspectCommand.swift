import ArgumentParser
import Dendrite
import Foundation

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
      let buffers = model.model.buffers.sorted { $0.key.compare($1.key, options: .numeric) == .orderedAscending }
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
          "buffers": .object(
            Dictionary(uniqueKeysWithValues: buffers.map { ($0.key, JSONValue.array($0.value.shape.map { .number(Double($0)) })) })),
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
      for line in Self.describe(layers: model.architecture) { print("    \(line)") }
      print("  tensors (\(model.model.parameterCount) parameters):")
      for (name, shape) in tensors { print("    \(name) \(shape)") }
      if !buffers.isEmpty {
        print("  buffers (batch norm's running statistics):")
        for (name, value) in buffers { print("    \(name) \(value.shape)" + (value.rank == 0 ? " = \(Int(value.scalars[0]))" : "")) }
      }
    }
  }

  /// One line per `dendrite.architecture.layers` entry, a residual block's layers indented
  /// under it: `dense in 13, out 64`, `activation relu`, `conv2d 1→8 3×3 padding 1`,
  /// `maxpool 2`, `flatten`, `unflatten 1×8×8`, `batchnorm 8 (BatchNorm2d)`, `layernorm 16`, `residual:`.
  static func describe(layers entries: [JSONValue]) -> [String] {
    entries.flatMap { entry -> [String] in
      guard case .object(let fields) = entry, case .string(let type)? = fields["type"] else { return [] }
      // The loader checked these fields: whole numbers.
      func integer(_ key: String) -> Int { Int(fields[key].flatMap(Self.number) ?? 0) }
      func integers(_ key: String) -> [Int] { (fields[key]?.numbers ?? []).map { Int($0) } }
      switch type {
      case "conv2d":
        let kernel = integers("kernel").map(String.init).joined(separator: "×")
        let options = (integer("stride") == 1 ? "" : " stride \(integer("stride"))")
          + (integer("padding") == 0 ? "" : " padding \(integer("padding"))")
        return ["conv2d \(integer("in"))→\(integer("out")) \(kernel)\(options)"]
      case "maxpool2d", "avgpool2d":
        let name = type.dropLast(2)
        let (kernel, stride) = (integer("kernel"), integer("stride"))
        return [kernel == stride ? "\(name) \(kernel)" : "\(name) \(kernel) stride \(stride)"]
      case "unflatten": return ["unflatten " + integers("shape").map(String.init).joined(separator: "×")]
      case "batchnorm":
        let module = fields["input_rank"].flatMap(Self.number).map { $0 == 4 ? " (BatchNorm2d)" : " (BatchNorm1d)" } ?? ""
        return ["batchnorm \(integer("features"))\(module)"]
      case "layernorm": return ["layernorm \(integer("features"))"]
      case "residual":
        guard case .array(let body)? = fields["layers"] else { return ["residual"] }
        return ["residual:"] + describe(layers: body).map { "  " + $0 }
      default:
        let text = fields.keys.sorted().filter { $0 != "type" }.map { key -> String in
          switch fields[key] {
          case .number(let n)?: "\(key) \(n.rounded() == n ? String(Int(n)) : String(n))"
          case .string(let s)?: s
          default: key
          }
        }.joined(separator: ", ")
        return [text.isEmpty ? type : "\(type) \(text)"]
      }
    }
  }

  private static func number(_ value: JSONValue) -> Double? {
    if case .number(let number) = value { number } else { nil }
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
