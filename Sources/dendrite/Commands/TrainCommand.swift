import ArgumentParser
import Dendrite
import DendriteData
import Foundation

/// `dendrite train`: trains a multilayer perceptron on a data set, reports its test
/// accuracy and loss, and optionally saves it.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a multilayer perceptron on a bundled data set, a CSV or an IDX file.",
    discussion: """
      Splits the data 80/20 (stratified, shuffled with --seed), standardises the features \
      with the training part's statistics, trains, and reports the held-out test figures. \
      The loss decides the output layer unless --output-activation overrides it. \
      Before training, the advisor checks the model, loss and labels and prints a \
      `warning:` line for each mistake it finds (`warning: [error] …` for the serious ones; \
      training still runs).
      """
  )

  @Option(help: ArgumentHelp("A bundled data set (see `dendrite datasets`), a CSV file or an IDX images file.", valueName: "NAME|FILE"))
  var dataset: String

  @Option(help: ArgumentHelp("Hidden layer widths, comma-separated.", valueName: "64,32"))
  var layers = "128"

  @Option(help: ArgumentHelp("Hidden activation: \(CommandLineNames.list(CommandLineNames.hiddenActivations)).", valueName: "NAME"))
  var activation = Activation.relu.name

  @Option(help: ArgumentHelp("Loss: \(CommandLineNames.list(CommandLineNames.losses)).", valueName: "NAME"))
  var loss: String?

  @Option(help: ArgumentHelp("Override the output layer's activation (e.g. sigmoid with mse).", valueName: "NAME"))
  var outputActivation: String?

  @Option(help: ArgumentHelp("Optimizer: \(CommandLineNames.list(CommandLineNames.optimizers)).", valueName: "NAME"))
  var optimizer = OptimizerKind.adam.name

  @Option(help: ArgumentHelp("Learning rate (default: \(Self.defaultLearningRates))."))
  var learningRate: Float?

  @Option(help: "Passes over the training data.")
  var epochs = 200

  @Option(help: "Rows per training step.")
  var batchSize = 32

  @Option(help: "Seeds the split, the initial weights and the shuffling.")
  var seed: UInt64 = 42

  @Option(help: ArgumentHelp("\(CommandLineNames.list(CommandLineNames.tasks, lastSeparator: " or ")) (default: from a CSV's labels: classification for text or for integers with few distinct values, else regression).", valueName: "KIND"))
  var task: String?

  @Option(parsing: .unconditional, help: ArgumentHelp("A CSV's label column: a header name, or an index from 0 (negative counts from the end); default the last column.", valueName: "COLUMN"))
  var label: String?

  @Option(help: ArgumentHelp("Feature scaling fitted on the training part: \(CommandLineNames.list(CommandLineNames.preprocessings, lastSeparator: " or ")).", valueName: "KIND"))
  var preprocessing = Preprocessing.Kind.standardize.name

  @Option(help: ArgumentHelp("Dropout rate after each hidden layer while training (0 for none).", valueName: "RATE"))
  var dropout: Float = 0

  @Option(help: ArgumentHelp("Save the trained model (safetensors).", valueName: "FILE"))
  var save: String?

  @Option(help: ArgumentHelp("Write a checkpoint (model + optimizer state) after each epoch that improves the held-out loss.", valueName: "FILE"))
  var checkpoint: String?

  @Option(help: ArgumentHelp("Resume from a checkpoint written by --checkpoint; --epochs is the total.", valueName: "FILE"))
  var resume: String?

  @Flag(help: "Record per-layer gradient norms every epoch (probe: the first 128 training rows) and report them, with vanishing/exploding flags.")
  var gradientFlow = false

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  @OptionGroup var threadOption: ThreadOption

  func validate() throws {
    _ = try LayerSizes.parse(layers)
    guard epochs > 0 else { throw ValidationError("--epochs must be a positive whole number, got \(epochs)") }
    guard batchSize > 0 else { throw ValidationError("--batch-size must be a positive whole number, got \(batchSize)") }
    if let learningRate, !(learningRate.isFinite && learningRate > 0) {
      throw ValidationError("--learning-rate must be a positive number, got \(learningRate)")
    }
    guard Activation(name: activation) != nil else {
      throw ValidationError("--activation \(activation): unknown; use one of \(CommandLineNames.list(CommandLineNames.hiddenActivations))")
    }
    if let loss, Loss(name: loss) == nil {
      throw ValidationError("--loss \(loss): unknown; use one of \(CommandLineNames.list(CommandLineNames.losses))")
    }
    if let outputActivation, Activation(name: outputActivation) == nil {
      throw ValidationError("--output-activation \(outputActivation): unknown; use one of \(CommandLineNames.list(CommandLineNames.activations))")
    }
    guard OptimizerKind(name: optimizer) != nil else {
      throw ValidationError("--optimizer \(optimizer): unknown; use one of \(CommandLineNames.list(CommandLineNames.optimizers))")
    }
    guard dropout >= 0 && dropout < 1 else {
      throw ValidationError("--dropout must be in [0, 1), got \(dropout)")
    }
    guard Preprocessing.Kind(name: preprocessing) != nil else {
      throw ValidationError(
        "--preprocessing \(preprocessing): use \(CommandLineNames.list(CommandLineNames.preprocessings, lastSeparator: " or "))")
    }
    if let task, ModelFile.Task(rawValue: task) == nil {
      throw ValidationError("--task \(task): use \(CommandLineNames.list(CommandLineNames.tasks, lastSeparator: " or "))")
    }
  }

  func run() throws {
    threadOption.apply()
    try reportingErrors {
      if let save { try checkWritable(save, option: "--save") }
      if let checkpoint { try checkWritable(checkpoint, option: "--checkpoint") }
      let plan = try TrainingPlan(command: self)
      if let labels = plan.labels, !json { Terminal.printError(labels.summary) }
      let advice = plan.advice
      for diagnostic in advice { Terminal.printError(Self.adviceLine(diagnostic)) }
      let outcome = try plan.train(progress: ProgressBar(quiet: json))
      if let save {
        try outcome.model.save(
          to: save, loss: plan.loss, classCount: plan.train.classCount, preprocessing: plan.preprocessing,
          classNames: plan.train.classNames, labelColumn: plan.labels?.labelColumnDescription)
      }
      try report(plan: plan, outcome: outcome, advice: advice)
    }
  }

  /// `warning: <message> [code]`, or `warning: [error] <message> [code]` for an error-severity
  /// finding (training still runs: a user may reproduce the mistake on purpose).
  static func adviceLine(_ diagnostic: Diagnostic) -> String {
    "warning: \(diagnostic.severity == .error ? "[error] " : "")\(diagnostic.message) [\(diagnostic.code)]"
  }

  private func report(plan: TrainingPlan, outcome: TrainingOutcome, advice: [Diagnostic]) throws {
    let test = outcome.testScores
    let regression = plan.train.classCount == nil
    if json {
      var object: [String: JSONValue] = [
        "dataset": .string(plan.train.name),
        "loss": .string(plan.loss.name),
        "epochs_run": .number(Double(outcome.history.count)),
        "training_path": .string(outcome.history.trainingPath?.description ?? "none"),
        "test_loss": .float(test["loss"] ?? .nan),
        "train_samples": .number(Double(plan.train.count)),
        "test_samples": .number(Double(plan.test.count)),
        "history": .array(outcome.history.epochs.enumerated().map { epoch, figures in
          var entry = figures.mapValues { JSONValue.float($0) }
          entry["epoch"] = .number(Double(epoch + 1))
          return .object(entry)
        }),
      ]
      if regression {
        object["test_mae"] = .float(test["mae"] ?? .nan)
      } else {
        object["test_accuracy"] = .float(test["accuracy"] ?? .nan)
      }
      if let save { object["model"] = .string(save) }
      if let labels = plan.labels {
        object["label_column"] = .string(labels.labelColumnDescription)
        object["task"] = .string(labels.encoding.task.rawValue)
        if let names = plan.train.classNames { object["class_names"] = .array(names.map(JSONValue.string)) }
      }
      object["advice"] = .array(advice.map { diagnostic in
        ["severity": .string(diagnostic.severity.rawValue), "code": .string(diagnostic.code),
         "message": .string(diagnostic.message)]
      })
      if let recorder = outcome.gradientFlow { object["gradient_flow"] = recorder.json }
      JSONOutput.print(.object(object))
      return
    }
    if let recorder = outcome.gradientFlow { Terminal.printError(recorder.report) }
    let summary = regression
      ? String(format: "test mae %.4f  test loss %.4f", test["mae"] ?? .nan, test["loss"] ?? .nan)
      : String(format: "test accuracy %.4f  test loss %.4f", test["accuracy"] ?? .nan, test["loss"] ?? .nan)
    print("\(plan.train.name): \(plan.describeModel()); trained on \(outcome.history.trainingPath?.description ?? "nothing")")
    print("\(summary)  (\(plan.test.count) held-out rows, \(outcome.history.count) epochs)")
    if let save { print("saved \(save)") }
  }
}

/// Fails before training when `path` is empty or names a folder, or its folder does not
/// exist, is a file, or cannot be written.
func checkWritable(_ path: String, option: String) throws {
  guard !path.isEmpty else { throw CommandError("\(option) needs a file name, such as model.safetensors") }
  var isDirectory: ObjCBool = false
  if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
    let folder = path.hasSuffix("/") ? path : path + "/"
    throw CommandError("\(option) \(path): that is a folder; give a file name such as \(folder)model.safetensors")
  }
  let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
  guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
    throw CommandError("\(option) \(path): the folder \(directory) does not exist; create it first")
  }
  guard isDirectory.boolValue else {
    throw CommandError("\(option) \(path): \(directory) is a file, not a folder; choose another path")
  }
  guard FileManager.default.isWritableFile(atPath: directory) else {
    throw CommandError("\(option) \(path): the folder \(directory) is not writable")
  }
}

extension GradientFlowRecorder {
  /// The epochs shown in the text report: the first, three in the middle and the last.
  var sampledEpochs: [Entry] {
    let count = epochs.count
    guard count > 5 else { return epochs }
    let indices = [0, count / 4, count / 2, 3 * count / 4, count - 1]
    return indices.reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }.map { epochs[$0] }
  }

  /// The text report: a table of per-layer figures for the sampled epochs, then the flags.
  var report: String {
    func number(_ value: Float?) -> String {
      guard let value else { return "-" }
      return String(format: "%.3g", value)
    }
    var rows: [[String]] = []
    for entry in sampledEpochs {
      for (index, layer) in layers.enumerated() {
        let figures = entry.snapshot.flatMap { index < $0.layers.count ? $0.layers[index] : nil }
        rows.append([
          "\(entry.epoch + 1)", layer,
          number(entry.meanWeightGradientNorms.count > index ? entry.meanWeightGradientNorms[index] : nil),
          number(entry.lastWeightGradientNorms.count > index ? entry.lastWeightGradientNorms[index] : nil),
          number(figures?.errorNorm), number(figures?.saturatedShare), number(figures?.deadShare),
        ])
      }
    }
    let table = Terminal.table(
      header: ["epoch", "layer", "mean ‖∂J/∂W‖", "last ‖∂J/∂W‖", "probe ‖δ‖", "saturated", "dead"], rows: rows)
    let flags = warnings.isEmpty
      ? ["gradient flow: no vanishing or exploding gradients flagged"]
      : warnings.map { "warning: gradient flow: \($0)" }
    return (["gradient flow (weight-gradient norms per epoch; ‖δ‖ and unit shares on the first "
      + "\(TrainingPlan.gradientFlowProbeRows) training rows):", table] + flags).joined(separator: "\n")
  }

  /// The record as `"gradient_flow"` in `--json` output: every epoch (1-based), per-layer arrays.
  var json: JSONValue {
    func optionals(_ values: [Float?]) -> JSONValue { .array(values.map { $0.map(JSONValue.float) ?? .null }) }
    let entries: [JSONValue] = epochs.map { entry in
      var object: [String: JSONValue] = [
        "epoch": .number(Double(entry.epoch + 1)),
        "steps": .number(Double(entry.steps)),
        "mean_weight_gradient_norms": .floats(entry.meanWeightGradientNorms),
        "last_weight_gradient_norms": .floats(entry.lastWeightGradientNorms),
        "first_to_last_ratio": .float(entry.firstToLastRatio),
        "flags": .array(entry.flags.map(JSONValue.string)),
      ]
      if let snapshot = entry.snapshot {
        object["probe_loss"] = .float(snapshot.loss)
        object["error_norms"] = .floats(snapshot.layers.map(\.errorNorm))
        object["saturated_share"] = optionals(snapshot.layers.map(\.saturatedShare))
        object["dead_share"] = optionals(snapshot.layers.map(\.deadShare))
      }
      return .object(object)
    }
    return [
      "layers": .array(layers.map(JSONValue.string)),
      "probe_rows": .number(Double(probe.map { $0.features.shape[0] } ?? 0)),
      "vanishing_ratio": .float(vanishingRatio),
      "exploding_factor": .float(explodingFactor),
      "epochs": .array(entries),
      "warnings": .array(warnings.map(JSONValue.string)),
    ]
  }
}

extension TrainCommand {
  /// `--learning-rate`'s defaults by optimizer, for `--help`: "0.001 for adam, adamw,
  /// rmsprop; 0.01 for the others".
  static var defaultLearningRates: String {
    let rates = OptimizerKind.allCases.map(\.defaultLearningRate)
    let small = OptimizerKind.allCases.filter { $0.defaultLearningRate == rates.min() }.map(\.name)
    return "\(rates.min() ?? 0) for \(CommandLineNames.list(small)); \(rates.max() ?? 0) for the others"
  }
}
