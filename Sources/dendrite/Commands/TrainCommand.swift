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
      The loss decides the output layer unless --output-activation overrides it.
      """
  )

  @Option(help: ArgumentHelp("A bundled data set (see `dendrite datasets`), a CSV file or an IDX images file.", valueName: "NAME|FILE"))
  var dataset: String

  @Option(help: ArgumentHelp("Hidden layer widths, comma-separated.", valueName: "64,32"))
  var layers = "64"

  @Option(help: ArgumentHelp("Hidden activation: \(Activation.hiddenNames).", valueName: "NAME"))
  var activation = "relu"

  @Option(help: ArgumentHelp("Loss: \(Loss.allCases.map(\.name).joined(separator: ", ")).", valueName: "NAME"))
  var loss: String?

  @Option(help: ArgumentHelp("Override the output layer's activation (e.g. sigmoid with mse).", valueName: "NAME"))
  var outputActivation: String?

  @Option(help: ArgumentHelp("Optimizer: \(optimizerNames.joined(separator: ", ")).", valueName: "NAME"))
  var optimizer = "adam"

  @Option(help: "Learning rate (default: 0.001 for adam, adamw, rmsprop; 0.01 for the others).")
  var learningRate: Float?

  @Option(help: "Passes over the training data.")
  var epochs = 200

  @Option(help: "Rows per training step.")
  var batchSize = 32

  @Option(help: "Seeds the split, the initial weights and the shuffling.")
  var seed: UInt64 = 42

  @Option(help: ArgumentHelp("classification or regression (default: classification when the labels are classes).", valueName: "KIND"))
  var task: String?

  @Option(help: ArgumentHelp("Feature scaling fitted on the training part: standardize, min-max or none.", valueName: "KIND"))
  var preprocessing = "standardize"

  @Option(help: ArgumentHelp("Save the trained model (safetensors).", valueName: "FILE"))
  var save: String?

  @Option(help: ArgumentHelp("Write a checkpoint (model + optimizer state) after each epoch that improves the held-out loss.", valueName: "FILE"))
  var checkpoint: String?

  @Option(help: ArgumentHelp("Resume from a checkpoint written by --checkpoint; --epochs is the total.", valueName: "FILE"))
  var resume: String?

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  func validate() throws {
    _ = try LayerSizes.parse(layers)
    guard epochs > 0 else { throw ValidationError("--epochs must be a positive whole number, got \(epochs)") }
    guard batchSize > 0 else { throw ValidationError("--batch-size must be a positive whole number, got \(batchSize)") }
    if let learningRate, !(learningRate.isFinite && learningRate > 0) {
      throw ValidationError("--learning-rate must be a positive number, got \(learningRate)")
    }
    guard Activation(name: activation) != nil else {
      throw ValidationError("--activation \(activation): unknown; use one of \(Activation.hiddenNames)")
    }
    if let loss, Loss(name: loss) == nil {
      throw ValidationError("--loss \(loss): unknown; use one of \(Loss.allCases.map(\.name).joined(separator: ", "))")
    }
    if let outputActivation, Activation(name: outputActivation) == nil {
      throw ValidationError("--output-activation \(outputActivation): unknown; use one of \(Activation.allCases.map(\.name).joined(separator: ", "))")
    }
    guard optimizerNames.contains(optimizer) else {
      throw ValidationError("--optimizer \(optimizer): unknown; use one of \(optimizerNames.joined(separator: ", "))")
    }
    guard ["standardize", "min-max", "none"].contains(preprocessing) else {
      throw ValidationError("--preprocessing \(preprocessing): use standardize, min-max or none")
    }
    if let task, task != "classification" && task != "regression" {
      throw ValidationError("--task \(task): use classification or regression")
    }
  }

  func run() throws {
    try reportingErrors {
      if let save { try checkWritable(save, option: "--save") }
      if let checkpoint { try checkWritable(checkpoint, option: "--checkpoint") }
      let plan = try TrainingPlan(command: self)
      let outcome = try plan.train(progress: ProgressBar(quiet: json))
      if let save {
        try outcome.model.save(
          to: save, loss: plan.loss, classCount: plan.train.classCount, preprocessing: plan.preprocessing)
      }
      try report(plan: plan, outcome: outcome)
    }
  }

  private func report(plan: TrainingPlan, outcome: TrainingOutcome) throws {
    let test = outcome.testScores
    let regression = plan.train.classCount == nil
    if json {
      var object: [String: JSONValue] = [
        "dataset": .string(plan.train.name),
        "loss": .string(plan.loss.name),
        "epochs_run": .number(Double(outcome.history.count)),
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
      try JSONOutput.print(.object(object))
      return
    }
    let summary = regression
      ? String(format: "test mae %.4f  test loss %.4f", test["mae"] ?? .nan, test["loss"] ?? .nan)
      : String(format: "test accuracy %.4f  test loss %.4f", test["accuracy"] ?? .nan, test["loss"] ?? .nan)
    print("\(plan.train.name): \(plan.describeModel())")
    print("\(summary)  (\(plan.test.count) held-out rows, \(outcome.history.count) epochs)")
    if let save { print("saved \(save)") }
  }
}

/// Fails before training when the folder of `path` does not exist or cannot be written.
func checkWritable(_ path: String, option: String) throws {
  let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
    throw CommandError("\(option) \(path): the folder \(directory) does not exist; create it first")
  }
  guard FileManager.default.isWritableFile(atPath: directory) else {
    throw CommandError("\(option) \(path): the folder \(directory) is not writable")
  }
}

extension Activation {
  /// The names offered for hidden layers.
  static var hiddenNames: String {
    allCases.filter { $0 != .softmax && $0 != .logSoftmax }.map(\.name).joined(separator: ", ")
  }
}
