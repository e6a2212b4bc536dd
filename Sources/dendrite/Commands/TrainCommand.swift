import ArgumentParser
import Dendrite
import DendriteData
import Foundation

/// `dendrite train`: trains a multilayer perceptron (or an `--architecture`) on a data set, reports its test
/// accuracy and loss, and optionally saves it.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a multilayer perceptron, or the network --architecture describes, on a bundled data set, a CSV or an IDX file.",
    discussion: """
      Splits the data 80/20 (stratified, shuffled with --seed), standardises the features \
      with the training part's statistics, trains, and reports the held-out test figures. \
      The loss decides the output layer unless --output-activation overrides it. \
      Before training, the advisor checks the model, loss and labels: a configuration that \
      cannot learn (a class with no output unit, softmax over one unit, nll without \
      log-softmax) stops with an `error:` line and exit 1; one that learns badly gets a \
      `warning:` line, printed before training and again after the summary. \
      --resume takes the model, loss, optimizer, seed and preprocessing from the checkpoint, \
      so giving --layers, --activation, --loss, --output-activation, --optimizer, \
      --learning-rate, --seed, --preprocessing, --dropout, --architecture or --input-shape with it is an error.

      --architecture SPEC describes the hidden layers as text; the output layer is added from \
      the loss as with --layers. Grammar (EBNF; spaces allowed, names ignore case):

        architecture = layer , { "," , layer } ;
        layer        = name , [ "(" , [ argument , { "," , argument } ] , ")" ] ;
        argument     = number | key , "=" , number | layer ;
                       (* layers only inside residual( … ) *)

      Layers: conv(filters, kernel, stride=1, padding=0), maxpool(size, stride=size), \
      avgpool(size, stride=size), dense(units), dropout(rate), batchnorm, layernorm, flatten, \
      residual(layer, …) (y = x + f(x); its layers must keep the shape), and the activations \
      \(CommandLineNames.list(CommandLineNames.hiddenActivations)). Arguments are positional in that \
      order or key=value. Conv and pool layers read each row as an image [C, H, W]: IDX files and \
      mnist5k give the shape (1,28,28), CSV rows need --input-shape C,H,W. Image data from IDX \
      files is scaled to [0, 1] (pixel / 255); CSV rows are standardised per column unless \
      --preprocessing says otherwise (min-max scales each column to [0, 1]). A layer that \
      does not fit its input (dense after images without flatten, a kernel larger than the image, \
      a residual block that changes the shape) is an error before training naming the layer and \
      the shapes. Example:

        dendrite train --dataset mnist5k --epochs 3 --architecture \\
          "conv(8,3,padding=1),relu,maxpool(2),conv(16,3),relu,maxpool(2),flatten"
      """
  )

  @Option(help: ArgumentHelp("A bundled data set (see `dendrite datasets`), a CSV file or an IDX images file.", valueName: "NAME|FILE"))
  var dataset: String

  @Option(parsing: .unconditional, help: ArgumentHelp(
    "Hidden layer widths, comma-separated; `none` for no hidden layer (default: \(Self.defaultLayers)).", valueName: "64,32"))
  var layers: String?

  @Option(help: ArgumentHelp(
    "Hidden activation: \(CommandLineNames.list(CommandLineNames.hiddenActivations)) (default: \(Self.defaultActivation)).",
    valueName: "NAME"))
  var activation: String?

  @Option(help: ArgumentHelp(
    "The hidden layers as text, for models --layers cannot describe (convolutions, pooling, normalisation, residual blocks): "
      + "e.g. conv(32,3),relu,maxpool(2),flatten,dense(128),relu; the grammar is below. Not with --layers, --activation or --dropout.",
    valueName: "SPEC"))
  var architecture: String?

  @Option(name: .customLong("input-shape"), help: ArgumentHelp(
    "The image shape of each CSV row for --architecture's conv and pool layers, channels first; C·H·W must be the "
      + "feature count (IDX files and mnist5k know theirs: 1,28,28).",
    valueName: "C,H,W"))
  var inputShape: String?

  @Option(help: ArgumentHelp("Loss: \(CommandLineNames.list(CommandLineNames.losses)).", valueName: "NAME"))
  var loss: String?

  @Option(help: ArgumentHelp("Override the output layer's activation (e.g. sigmoid with mse).", valueName: "NAME"))
  var outputActivation: String?

  @Option(help: ArgumentHelp(
    "Optimizer: \(CommandLineNames.list(CommandLineNames.optimizers)) (default: \(Self.defaultOptimizer)).", valueName: "NAME"))
  var optimizer: String?

  @Option(parsing: .unconditional, help: ArgumentHelp("Learning rate (default: \(Self.defaultLearningRates))."))
  var learningRate: Float?

  @Option(parsing: .unconditional, help: "Passes over the training data.")
  var epochs = 200

  @Option(parsing: .unconditional, help: "Rows per training step.")
  var batchSize = 32

  @Option(parsing: .unconditional, help: ArgumentHelp(
    "Seeds the split, the initial weights and the shuffling: a whole number from 0 to \(UInt64.max) (default: \(Self.defaultSeed)).",
    valueName: "N"))
  var seed: String?

  @Option(help: ArgumentHelp("\(CommandLineNames.list(CommandLineNames.tasks, lastSeparator: " or ")) (default: from a CSV's labels: classification for text or for integers with few distinct values, else regression).", valueName: "KIND"))
  var task: String?

  @Option(parsing: .unconditional, help: ArgumentHelp("A CSV's label column: a header name, or an index from 0 (negative counts from the end); default the last column.", valueName: "COLUMN"))
  var label: String?

  @Option(help: ArgumentHelp("A CSV's field separator: `,` `;` `tab` or `|` (default: detected from the first line, and reported).", valueName: "CHAR"))
  var delimiter: String?

  @Option(help: ArgumentHelp(
    "A CSV's missing cells (empty, NA, NaN, null, ?): `error` stops with the first one; `drop` leaves out rows that have one; "
      + "`mean` fills numbers with the training rows' mean and categories with their most frequent value, stored in the model file "
      + "(default: error).",
    valueName: "error|drop|mean"))
  var missing: String?

  @Option(help: ArgumentHelp(
    "Feature scaling fitted on the training part: \(CommandLineNames.list(CommandLineNames.preprocessings, lastSeparator: " or ")) "
      + "(default: \(Self.defaultPreprocessing) for tables; images from IDX files are divided by their 0–255 range).",
    valueName: "KIND"))
  var preprocessing: String?

  @Option(parsing: .unconditional, help: ArgumentHelp(
    "Dropout rate after each hidden layer while training (default: 0, none).", valueName: "RATE"))
  var dropout: Float?

  @Option(name: .customLong("test-fraction"), parsing: .unconditional, help: ArgumentHelp(
    "The share of all rows held out as the test split, scored once after training (default: 0.2).", valueName: "F"))
  var testFraction: Double?

  @Option(name: .customLong("validation-fraction"), parsing: .unconditional, help: ArgumentHelp(
    "The share of all rows taken from the training part as the validation split, which feeds val_*, "
      + "--early-stopping and the checkpoint's best epoch; 0 for none (default: 0.1).", valueName: "F"))
  var validationFraction: Double?

  @Option(name: .customLong("early-stopping"), parsing: .unconditional, help: ArgumentHelp(
    "Stop when the validation loss has not improved for this many epochs, and keep the best epoch's weights.",
    valueName: "PATIENCE"))
  var earlyStopping: Int?

  @Option(help: ArgumentHelp("Save the trained model (safetensors).", valueName: "FILE"))
  var save: String?

  @Option(help: ArgumentHelp("Write a checkpoint (model + optimizer state) after each epoch that improves the validation loss (every epoch with --validation-fraction 0), and on Ctrl-C.", valueName: "FILE"))
  var checkpoint: String?

  @Option(help: ArgumentHelp("Resume from a checkpoint written by --checkpoint; --epochs is the total.", valueName: "FILE"))
  var resume: String?

  @Flag(help: "Record per-layer gradient norms every epoch (probe: the first 128 training rows) and report them, with vanishing/exploding flags.")
  var gradientFlow = false

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  @OptionGroup var threadOption: ThreadOption

  func validate() throws {
    if resume != nil {
      let given = modelOptionsGiven
      guard given.isEmpty else {
        throw ValidationError(
          "--resume takes the model and the run from the checkpoint, so \(CommandLineNames.list(given, lastSeparator: " and ")) "
            + "would be ignored; drop \(given.count == 1 ? "it" : "them"), or start a new run without --resume")
      }
    }
    if let layers { _ = try LayerSizes.parse(layers) }
    if architecture != nil {
      let clashing = [("--layers", layers != nil), ("--activation", activation != nil), ("--dropout", dropout != nil)]
        .filter(\.1).map(\.0)
      guard clashing.isEmpty else {
        throw ValidationError(
          "--architecture describes every hidden layer, so \(CommandLineNames.list(clashing, lastSeparator: " and ")) cannot be given with it; "
            + "write the layers, activations and dropout(p) in the specification")
      }
      _ = try architectureSpecification
    }
    if let inputShape {
      guard architecture != nil || resume != nil else {
        throw ValidationError("--input-shape is the image shape for --architecture's conv and pool layers; give --architecture too, or drop --input-shape")
      }
      _ = try InputShape.parse(inputShape)
    }
    if let seed, UInt64(seed) == nil {
      throw ValidationError("--seed must be a whole number from 0 to \(UInt64.max), got \(seed)")
    }
    guard epochs > 0 else { throw ValidationError("--epochs must be a positive whole number, got \(epochs)") }
    guard batchSize > 0 else { throw ValidationError("--batch-size must be a positive whole number, got \(batchSize)") }
    if let learningRate, !(learningRate.isFinite && learningRate > 0) {
      throw ValidationError("--learning-rate must be a positive number, got \(Self.format(learningRate))")
    }
    if let activation, Activation(name: activation) == nil {
      throw ValidationError("--activation \(activation): unknown; use one of \(CommandLineNames.list(CommandLineNames.hiddenActivations))")
    }
    if let loss, Loss(name: loss) == nil {
      throw ValidationError("--loss \(loss): unknown; use one of \(CommandLineNames.list(CommandLineNames.losses))")
    }
    if let outputActivation, Activation(name: outputActivation) == nil {
      throw ValidationError("--output-activation \(outputActivation): unknown; use one of \(CommandLineNames.list(CommandLineNames.activations))")
    }
    if let optimizer, OptimizerKind(name: optimizer) == nil {
      throw ValidationError("--optimizer \(optimizer): unknown; use one of \(CommandLineNames.list(CommandLineNames.optimizers))")
    }
    if let testFraction, !(testFraction > 0 && testFraction < 1) {
      throw ValidationError("--test-fraction must be in (0, 1), got \(testFraction)")
    }
    if let validationFraction, !(validationFraction >= 0 && validationFraction < 1 - testShare) {
      throw ValidationError(
        "--validation-fraction must be at least 0 and below 1 − the test fraction (\(1 - testShare)), got \(validationFraction)")
    }
    if let earlyStopping {
      guard earlyStopping > 0 else { throw ValidationError("--early-stopping must be a positive number of epochs, got \(earlyStopping)") }
      guard validationShare > 0 || resume != nil else {
        throw ValidationError("--early-stopping watches the validation loss; it needs --validation-fraction above 0")
      }
    }
    if let dropout, !(dropout >= 0 && dropout < 1) {
      throw ValidationError("--dropout must be in [0, 1), got \(Self.format(dropout))")
    }
    if let delimiter, CSVDelimiter(name: delimiter) == nil {
      throw ValidationError("--delimiter \(delimiter): use `,` `;` `tab` or `|`")
    }
    if let preprocessing, Preprocessing.Kind(name: preprocessing) == nil {
      throw ValidationError(
        "--preprocessing \(preprocessing): use \(CommandLineNames.list(CommandLineNames.preprocessings, lastSeparator: " or "))")
    }
    if let missing, MissingValues(rawValue: missing) == nil {
      throw ValidationError("--missing \(missing): use error, drop or mean")
    }
    if let task, ModelFile.Task(rawValue: task) == nil {
      throw ValidationError("--task \(task): use \(CommandLineNames.list(CommandLineNames.tasks, lastSeparator: " or "))")
    }
  }

  func run() throws {
    threadOption.apply()
    defer { DistributedRun.finish() }
    try reportingErrors {
      // Under `mpirun -np N`: one rank of a data-parallel group; only rank 0 prints and writes.
      let group = try DistributedRun.communicator()
      let writes = group?.isLeader ?? true
      let plan = try agreed(over: group) {
        if writes, let save { try checkWritable(save, option: "--save") }
        if writes, let checkpoint { try checkWritable(checkpoint, option: "--checkpoint") }
        let plan = try TrainingPlan(command: self)
        try checkSavable(plan)
        return plan
      }
      if !json { for line in plan.csvSummary { Terminal.printError(line) } }
      for line in plan.encodingNotes { Terminal.printError(line) }
      let beforeTraining = plan.advice
      if let blocker = beforeTraining.first(where: { $0.severity == .error }) {
        throw CommandError("\(blocker.message) [\(blocker.code)]")
      }
      for diagnostic in beforeTraining { Terminal.printError(Self.adviceLine(diagnostic)) }
      // Ctrl-C stops a single run at a step's end; mpirun's ranks would stop at different
      // steps, so there it ends the job.
      let interruption = group == nil ? Interruption() : nil
      interruption?.install()
      let outcome = try plan.train(
        progress: ProgressBar(quiet: json, rows: plan.train.count, batchSize: plan.batchSize), interruption: interruption,
        group: group)
      let ranksAgree = try group.map { try DistributedRun.ranksAgree(on: outcome.model, over: $0) }
      if let stop = interruption?.stoppedAt {
        // Ctrl-C: no --save (the run did not finish), the checkpoint if one was asked for.
        let kept = plan.checkpointPath.map { "checkpoint written to \($0) (resume with --resume \($0))" }
          ?? "nothing saved (--checkpoint FILE keeps the progress)"
        Terminal.printError(
          "interrupted in epoch \(stop.epoch + 1) after step \(stop.steps) of \(stop.stepsPerEpoch): "
            + "\(outcome.history.count) whole epoch\(outcome.history.count == 1 ? "" : "s") of \(plan.describeModel()) trained; \(kept)")
        throw ExitCode(130)
      }
      let advice = beforeTraining + outcome.progressAdvice
      // --json has no summary to repeat the warnings after; the run's own findings still go to stderr.
      if json { for diagnostic in outcome.progressAdvice { Terminal.printError(Self.adviceLine(diagnostic)) } }
      if writes, let save {
        try outcome.model.save(
          to: save, loss: plan.loss, classCount: plan.train.classCount, preprocessing: plan.preprocessing,
          classNames: plan.train.classNames, labelColumn: plan.labelColumn,
          targetScaling: plan.targetScaling, featureNames: plan.train.featureNames, featureEncoding: plan.featureEncoding,
          dataset: plan.datasetRecord)
      }
      try report(
        plan: plan, outcome: outcome, advice: advice,
        distributed: group.map {
          (ranks: $0.size, agree: ranksAgree ?? false, allReduceMilliseconds: ($0 as? TimedCommunicator)?.millisecondsPerAllReduce)
        })
    }
  }

  /// `body`'s result; with a group, every rank's outcome made collective: an error on any
  /// rank stops all, and rank 0 prints it (``Communicator/agree(_:)``).
  private func agreed<Value>(over group: (any Communicator)?, _ body: () throws -> Value) throws -> Value {
    guard let group else { return try body() }
    return try group.agree(body)
  }

  /// Fails before training when `--save` or `--checkpoint` asks for a file the model's
  /// layers cannot be stored in (an `--architecture` with layers model files do not hold yet).
  private func checkSavable(_ plan: TrainingPlan) throws {
    guard let option = save != nil ? "--save" : checkpoint != nil ? "--checkpoint" : nil else { return }
    do {
      _ = try ModelFile(model: plan.model, loss: plan.loss, classCount: plan.train.classCount, preprocessing: plan.preprocessing)
    } catch {
      guard case .unsavableLayer(let layer, let type) = error.reason else { return }  // anything else shows when saving
      throw CommandError(
        "\(option): model files cannot store \(type) layers yet (\(layer)); train this --architecture without --save and --checkpoint")
    }
  }

  /// `warning: <message> [code]`: a finding that lets training run (the errors stop it).
  static func adviceLine(_ diagnostic: Diagnostic) -> String {
    "warning: \(diagnostic.message) [\(diagnostic.code)]"
  }

  private func report(
    plan: TrainingPlan, outcome: TrainingOutcome, advice: [Diagnostic], distributed: (ranks: Int, agree: Bool, allReduceMilliseconds: Double?)? = nil
  ) throws {
    var test = outcome.testScores
    let regression = plan.train.classCount == nil
    let figures = TestRegressionFigures(plan: plan, model: outcome.model)
    // The test MAE in the targets' own units (the loss stays on the standardised targets).
    if let figures { test["mae"] = figures.report.meanAbsoluteError }
    if json {
      var object: [String: JSONValue] = [
        "dataset": .string(plan.train.name),
        "loss": .string(plan.loss.name),
        "epochs_run": .number(Double(outcome.history.count)),
        "training_path": .string(outcome.history.trainingPath?.description ?? "none"),
        "test_loss": .float(test["loss"] ?? .nan),
        "train_samples": .number(Double(plan.train.count)),
        "test_samples": .number(Double(plan.test.count)),
        "validation_samples": .number(Double(plan.validation?.count ?? 0)),
        "history": .array(outcome.history.epochs.enumerated().map { epoch, figures in
          var entry = figures.mapValues { JSONValue.float($0) }
          entry["epoch"] = .number(Double(epoch + 1))
          return .object(entry)
        }),
      ]
      if regression {
        object["test_mae"] = .float(test["mae"] ?? .nan)
        if let figures {
          object["test_rmse"] = .float(figures.report.rootMeanSquaredError)
          object["test_r2"] = .float(figures.report.rSquared)
          object["baseline_mae"] = .float(figures.baselineMeanAbsoluteError)
        }
      } else {
        object["test_accuracy"] = .float(test["accuracy"] ?? .nan)
      }
      if let save { object["model"] = .string(save) }
      if let architecture = plan.architecture {
        object["architecture"] = .string(architecture.description)
        if let shape = plan.inputShape { object["input_shape"] = .array(shape.map { .number(Double($0)) }) }
      }
      if let labelColumn = plan.labelColumn, let task = plan.learningTask {
        object["label_column"] = .string(labelColumn)
        object["task"] = .string(task.rawValue)
        if let names = plan.train.classNames { object["class_names"] = .array(names.map(JSONValue.string)) }
      }
      object["advice"] = .array(advice.map { diagnostic in
        ["severity": .string(diagnostic.severity.rawValue), "code": .string(diagnostic.code),
         "message": .string(diagnostic.message)]
      })
      if let best = outcome.bestEpoch { object["best_epoch"] = .number(Double(best.epoch)) }
      if let recorder = outcome.gradientFlow { object["gradient_flow"] = recorder.json }
      if let distributed {
        object["ranks"] = .number(Double(distributed.ranks))
        object["ranks_agree"] = .bool(distributed.agree)
        if let milliseconds = distributed.allReduceMilliseconds {
          object["allreduce_ms_per_call"] = .number((milliseconds * 1000).rounded() / 1000)
        }
      }
      JSONOutput.print(.object(object))
      return
    }
    if let recorder = outcome.gradientFlow { Terminal.printError(recorder.report) }
    let summary = regression
      ? String(format: "test mae %.4f  test loss %.4f", test["mae"] ?? .nan, test["loss"] ?? .nan)
        + (figures.map {
          String(format: "  test rmse %.4f  test r2 %.4f  baseline mae %.4f", $0.report.rootMeanSquaredError,
                 $0.report.rSquared, $0.baselineMeanAbsoluteError)
        } ?? "")
      : String(format: "test accuracy %.4f  test loss %.4f", test["accuracy"] ?? .nan, test["loss"] ?? .nan)
    print("\(plan.train.name): \(plan.describeModel()); trained on \(outcome.history.trainingPath?.description ?? "nothing")")
    print("\(summary)  (\(plan.test.count) held-out rows, \(outcome.history.count) epochs)")
    if let best = outcome.bestEpoch {
      let lastEpoch = plan.startEpoch + outcome.history.count
      let run = lastEpoch < epochs
        ? "stopped after epoch \(lastEpoch) of \(epochs), val_loss not improved for \(plan.earlyStoppingPatience ?? 0) epochs"
        : "ran all \(epochs) epochs"
      print("early stopping: \(run); kept epoch \(best.epoch)'s weights (val_loss \(String(format: "%.4f", best.validationLoss)))")
    }
    if let distributed {
      print("data-parallel on \(distributed.ranks) ranks (MPI); "
        + (distributed.agree ? "every rank holds the same weights" : "warning: the ranks' weights differ"))
    }
    if let save { print("saved \(save)") }
    // The warnings again, where they are seen: the ones before training have scrolled away.
    if !advice.isEmpty {
      fflush(nil)  // the summary (stdout) before the warnings (stderr)
      for diagnostic in advice { Terminal.printError(Self.adviceLine(diagnostic)) }
    }
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
