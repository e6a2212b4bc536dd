import Dendrite
import DendriteData

/// What `dendrite train` will do, worked out from its options and the data: the split, the
/// preprocessing, the model, the loss and the optimizer.
struct TrainingPlan {
  let train: Dataset
  /// The validation split (from the training part), which feeds `val_*`, early stopping and
  /// the checkpoint's best epoch; nil with `--validation-fraction 0`.
  let validation: Dataset?
  /// The test split, scored once after training.
  let test: Dataset
  /// The shares of all rows in the test and validation splits.
  let testFraction: Double, validationFraction: Double
  /// `--early-stopping PATIENCE`.
  let earlyStoppingPatience: Int?
  /// For a CSV file: the lines that say how long reading it took, which column is the label,
  /// the task and why, and which columns are categorical (printed before training, never in
  /// `--json`); empty otherwise.
  let csvSummary: [String]
  /// For a CSV file: its label column (`--label`) and the task its labels make.
  let labelColumn: String?
  let learningTask: LearningTask?
  /// How a CSV's columns become inputs (one-hot, fill values), fitted on the training rows.
  let featureEncoding: FeatureEncoding?
  /// How a CSV's missing cells were handled (`--missing`).
  let missing: MissingValues
  /// Warnings and notes from encoding the splits: unseen categories, filled cells.
  let encodingNotes: [String]
  let preprocessing: Preprocessing
  /// A regression's target standardisation, fitted on the training part (the data sets
  /// above hold the scaled targets; reports and model files give original units).
  let targetScaling: TargetScaling?
  let loss: Loss
  let model: Sequential
  /// `--architecture`, parsed; nil for a multilayer perceptron from `--layers` or a resumed run.
  let architecture: ArchitectureSpecification?
  /// The image shape `[C, H, W]` the model reads each row as: `--input-shape`, or the
  /// data's own (IDX files); nil when the model reads rows as they are.
  let inputShape: [Int]?
  let optimizerName: String
  let learningRate: Float
  let epochs: Int
  let batchSize: Int
  let seed: UInt64
  /// Epochs already done, when resuming from a checkpoint.
  let startEpoch: Int
  /// The optimizer restored from a checkpoint.
  let resumedOptimizer: (any Optimizer)?
  let checkpointPath: String?
  /// Whether to record gradient flow (`--gradient-flow`).
  let recordsGradientFlow: Bool
  /// The data's identity and split, stored in checkpoints and the saved model
  /// (`dendrite.dataset`); a resumed run keeps its checkpoint's.
  let datasetRecord: DatasetRecord
  /// The rows of the training part the gradient-flow probe measures after every epoch.
  static let gradientFlowProbeRows = 128

  init(command: TrainCommand) throws {
    let resumed = try command.resume.map { path in try ModelFile.load(from: path) }
    if let resumed, resumed.optimizer == nil || resumed.training == nil {
      throw CommandError(
        "--resume \(command.resume ?? ""): a model file without optimizer state or epoch; resume from a file written by --checkpoint")
    }
    // A resumed run drops or fills missing cells as the checkpoint's run did.
    var resumedMissing: MissingValues?
    if case .string(let name)? = resumed?.training?["missing"] { resumedMissing = MissingValues(rawValue: name) }
    let task = command.task.flatMap(ModelFile.Task.init(rawValue:))
    let regressionRequested = task == .regression
    let readStart = ContinuousClock.now
    var data = try DatasetSource.loadLabeled(
      command.dataset, labelColumn: command.label.map(LabelColumn.init(argument:)),
      task: command.task.flatMap(LearningTask.init(rawValue:)),
      delimiter: command.delimiter.flatMap(CSVDelimiter.init(name:)),
      missing: resumedMissing ?? command.missing.flatMap(MissingValues.init(rawValue:)))
    let readTime = ContinuousClock.now - readStart
    csvSummary = data.csv.map { csv in
      let seconds = Double(readTime.components.seconds) + Double(readTime.components.attoseconds) * 1e-18
      let file = command.dataset.split(separator: "/").last.map(String.init) ?? command.dataset
      let read = "read \(file): \(csv.sourceRowCount) rows, \(csv.features.columnCount + 1) columns in \(String(format: "%.3f", seconds)) s"
      return [read, csv.summary] + (csv.columnSummary.map { [$0] } ?? [])
    } ?? []
    labelColumn = data.csv?.labelColumnDescription
    learningTask = data.csv?.encoding.task
    missing = data.csv?.missing ?? .error
    if command.missing != nil && data.csv == nil {
      throw CommandError("--missing: \(command.dataset) is not a CSV file; --missing says what to do with a CSV file's missing cells")
    }
    if regressionRequested { data.treatClassesAsTargets() }
    let isClassification = data.classCount != nil
    if task == .classification && !isClassification {
      throw CommandError("--task classification: the labels of \(data.name) are not whole class numbers")
    }
    if data.classCount == 1 {
      throw CommandError(
        "\(command.dataset): every label is \(data.classNames?.first ?? "0"), so there is one class and nothing to learn; give rows of two or more classes, or use --task regression")
    }
    let loss =
      resumed?.loss ?? command.loss.flatMap(Loss.init(name:)) ?? (isClassification ? .softmaxCrossEntropy : .meanSquaredError)
    if !isClassification && !loss.isRegressionCapable {
      throw CommandError(
        "--loss \(loss.name) needs class labels, but \(data.name) is a regression data set; use "
          + CommandLineNames.list(CommandLineNames.regressionLosses, lastSeparator: " or "))
    }
    let seed = resumed?.training?["seed"].flatMap { value -> UInt64? in
      if case .number(let n) = value { return UInt64(exactly: n) }
      return nil
    } ?? command.seedValue
    // The splits: a resumed run takes the checkpoint's (files from before validation splits
    // existed had a 20% test split and none).
    func recorded(_ key: String) -> Double? {
      if case .number(let value)? = resumed?.training?[key] { return value }
      return nil
    }
    testFraction = resumed == nil ? command.testShare : recorded("test_fraction") ?? 0.2
    validationFraction = resumed == nil ? command.validationShare : recorded("validation_fraction") ?? 0
    earlyStoppingPatience = command.earlyStopping
    // Rows, not data: the split depends on the labels and the seed only, and a CSV's text
    // columns are encoded after it, with the training rows' categories and means.
    let (restRows, testRows) = data.labels.splitRows(testFraction: testFraction, seed: seed)
    guard !testRows.isEmpty else {
      throw CommandError(
        "\(command.dataset) has \(data.count) rows, too few to hold out a test part (\(Int((testFraction * 100).rounded()))% of each class); give at least two rows of some class")
    }
    // The validation split comes from the training part, stratified, with its own seed.
    var trainRows = restRows
    var validationRows: [Int]?
    if validationFraction > 0 {
      let share = min(validationFraction / (1 - testFraction), 0.9)
      let (fit, held): ([Int], [Int]) = data.labels.rows(restRows).splitRows(testFraction: share, seed: seed &+ 1)
      guard !held.isEmpty, !fit.isEmpty else {
        throw CommandError(
          "\(command.dataset) has \(data.count) rows, too few for a validation split as well; use --validation-fraction 0")
      }
      (trainRows, validationRows) = (fit.map { restRows[$0] }, held.map { restRows[$0] })
    }
    if earlyStoppingPatience != nil && validationRows == nil {
      throw CommandError("--early-stopping watches the validation loss, but this run has no validation split")
    }
    let featureEncoding: FeatureEncoding?
    if let resumedEncoding = resumed?.featureEncoding {
      featureEncoding = resumedEncoding
    } else if let csv = data.csv {
      do {
        featureEncoding = try FeatureEncoding.fit(csv.features, rows: trainRows, missing: csv.missing)
      } catch {
        throw CommandError("\(command.dataset): \(error)")
      }
    } else {
      featureEncoding = nil
    }
    self.featureEncoding = featureEncoding
    let (rawTrain, _, trainFilled) = try data.encode(trainRows, encoding: featureEncoding)
    let validationPart = try validationRows.map { rows in try data.encode(rows, encoding: featureEncoding) }
    let rawValidation = validationPart?.dataset
    let (rawTest, testUnseen, testFilled) = try data.encode(testRows, encoding: featureEncoding)
    var notes: [String] = []
    for (part, unseen) in [("validation", validationPart?.unseen ?? [:]), ("test", testUnseen)] where !unseen.isEmpty {
      let counts = unseen.keys.sorted().map { "\($0): \(unseen[$0] ?? 0)" }.joined(separator: ", ")
      let total = unseen.values.reduce(0, +)
      notes.append(
        "warning: \(total) \(part) cells hold categories the training rows never showed (\(counts)); they encode as all zeros [unseen-category]")
    }
    let filled = trainFilled + testFilled + (validationPart?.filled ?? 0)
    if filled > 0 {
      notes.append("note: \(filled) missing cells filled with the training rows' means and most frequent values (--missing mean)")
    }
    encodingNotes = notes
    let oneHot = featureEncoding?.oneHotInputs ?? []
    let preprocessing =
      resumed?.preprocessing
      ?? {
        switch command.preprocessing.flatMap(Preprocessing.Kind.init(name:)) {
        case .minMax?: Preprocessing.fitMinMax(rawTrain.features).leavingUnscaled(oneHot)
        case .none?: Preprocessing.none
        case .standardize?: Preprocessing.fitStandardization(rawTrain.features).leavingUnscaled(oneHot)
        case nil:
          // Images come scaled by their fixed range; tables standardised per column.
          data.featureRange.map { Preprocessing.fixedRange($0, featureCount: rawTrain.featureCount) }
            ?? Preprocessing.fitStandardization(rawTrain.features).leavingUnscaled(oneHot)
        }
      }()
    if let resumed, resumed.inputSize != rawTrain.featureCount {
      throw CommandError("--resume \(command.resume ?? ""): the checkpoint takes \(resumed.inputSize) features but \(data.name) has \(rawTrain.featureCount)")
    }
    // Regression targets are standardised on the training part, as the features are.
    let targetScaling = resumed.map(\.targetScaling) ?? rawTrain.targets.map(TargetScaling.fit)
    func scaled(_ part: Dataset) -> Dataset {
      let features = part.replacingFeatures(preprocessing.apply(part.features))
      guard let targetScaling, let targets = part.targets, targets.shape.last == targetScaling.columnCount else { return features }
      return features.replacingTargets(targetScaling.apply(targets))
    }
    train = scaled(rawTrain)
    validation = rawValidation.map(scaled)
    test = scaled(rawTest)
    self.targetScaling = targetScaling
    self.preprocessing = preprocessing
    self.loss = loss

    let outputs: Int
    if let classes = data.classCount {
      let single = classes == 2 && (loss == .sigmoidCrossEntropy || loss == .binaryCrossEntropy)
      if (loss == .sigmoidCrossEntropy || loss == .binaryCrossEntropy) && classes != 2 {
        throw CommandError(
          "--loss \(loss.name) needs two classes, but \(data.name) has \(classes); use \(Loss.softmaxCrossEntropy.name)")
      }
      outputs = single ? 1 : classes
    } else {
      outputs = train.targets?.shape[1] ?? 1
    }
    let outputActivation = command.outputActivation.flatMap(Activation.init(name:)) ?? loss.outputLayerActivation
    let architecture = resumed == nil ? try command.architectureSpecification : nil
    self.architecture = architecture
    if let resumedModel = resumed?.model {
      model = resumedModel
      inputShape = nil
    } else if let architecture {
      let shape = try Self.imageShape(command: command, data: data, featureCount: train.featureCount)
      if architecture.takesImages && shape == nil {
        throw CommandError(
          "--architecture: conv and pool layers read each row as an image, but the rows of \(data.name) have no image shape; "
            + "give --input-shape C,H,W with C·H·W = \(train.featureCount)")
      }
      inputShape = architecture.takesImages ? shape : nil
      do {
        model = try architecture.makeModel(
          inputShape: inputShape ?? [train.featureCount], outputSize: outputs, outputActivation: outputActivation, seed: seed)
      } catch {
        throw CommandError("--architecture: \(error)")
      }
    } else {
      model = .multilayerPerceptron(
        inputSize: train.featureCount, hiddenSizes: try command.hiddenSizes, activation: command.hiddenActivation,
        outputSize: outputs, outputActivation: outputActivation, dropout: command.dropoutRate, seed: seed)
      inputShape = nil
    }
    resumedOptimizer = resumed?.optimizer?.makeOptimizer()
    optimizerName = resumed?.optimizer?.name ?? command.optimizerKind.name
    learningRate =
      resumed?.optimizer?.learningRate
      ?? command.learningRate ?? command.optimizerKind.defaultLearningRate
    startEpoch = resumed?.training?["epoch"].flatMap { value -> Int? in
      if case .number(let n) = value { return Int(exactly: n) }
      return nil
    } ?? 0
    if resumed != nil && startEpoch >= command.epochs {
      throw CommandError("--resume: the checkpoint has done \(startEpoch) epochs already; ask for more with --epochs N (N > \(startEpoch))")
    }
    epochs = command.epochs - startEpoch
    batchSize = command.batchSize
    self.seed = seed
    checkpointPath = command.checkpoint
    recordsGradientFlow = command.gradientFlow
    datasetRecord = try resumed?.dataset
      ?? DatasetIdentity(argument: command.dataset).record(
        rowCount: data.csv?.sourceRowCount ?? data.count, labelColumn: labelColumn, seed: seed, testFraction: testFraction,
        validationFraction: validationFraction, missing: missing)
  }

  /// The advisor's findings for this model, loss and training labels, before training:
  /// errors (the run cannot learn) first, then warnings.
  var advice: [Diagnostic] { Advisor.check(model: model, loss: loss, labels: train.labels, classNames: train.classNames) }

  func describeModel() -> String {
    let training = "\(loss.name), \(optimizerName) (learning rate \(learningRate)), \(model.parameterCount) parameters"
    let widths = ModelDescription(model).widths
    // An MLP from --layers (or a checkpoint's): 64-32-10 MLP, …
    if architecture == nil, let widths {
      return "\(widths.map(String.init).joined(separator: "-")) MLP, \(training)"
    }
    // conv(8,3)-relu-maxpool(2)-flatten-dense(10) network, 1 conv + 1 dense layers, …; the
    // output layer without its activation, which the loss decides.
    let layers: [LayerSpecification]
    if let architecture {
      let outputs = ModelDescription(model).denseLayers.last?.outputSize ?? 0
      layers = architecture.layers + [.dense(units: outputs)]
    } else {
      layers = ArchitectureSpecification(describing: model).map { read in
        guard case .activation? = read.layers.last else { return read.layers }
        return read.layers.dropLast()
      } ?? []
    }
    let (convolutions, dense) = ArchitectureSpecification(layers: layers).layerCounts
    let counts = (convolutions > 0 ? "\(convolutions) conv + " : "") + "\(dense) dense layer\(convolutions + dense > 1 ? "s" : "")"
    let text = layers.isEmpty ? "custom" : layers.map(\.description).joined(separator: "-")
    return "\(text) network, \(counts), \(training)"
  }

  /// The image shape of each row: `--input-shape` (which must multiply to the feature
  /// count), else the data's own (IDX files), else nil.
  private static func imageShape(command: TrainCommand, data: LoadedData, featureCount: Int) throws -> [Int]? {
    guard let text = command.inputShape else { return data.sampleShape }
    let shape = try InputShape.parse(text)
    let product = shape.reduce(1, *)
    guard product == featureCount else {
      throw CommandError(
        "--input-shape \(text): \(shape.map(String.init).joined(separator: "×")) = \(product) values per row, "
          + "but \(data.name) has \(featureCount) features; give C,H,W with C·H·W = \(featureCount)")
    }
    return shape
  }

  /// Trains the plan's model; with a `group` of ranks, data-parallel (only rank 0 checkpoints).
  func train(
    progress: ProgressBar, interruption: Interruption? = nil, group: (any Communicator)? = nil
  ) throws -> TrainingOutcome {
    guard var optimizer = resumedOptimizer ?? makeOptimizer(name: optimizerName, learningRate: learningRate) else {
      throw CommandError("--optimizer \(optimizerName): unknown")
    }
    var callbacks: [any TrainingCallback] = [progress.callback]
    let checkpoint = (group?.isLeader == false ? nil : checkpointPath).map { path in
      ModelCheckpoint(
        path: path, loss: loss, classCount: train.classCount, preprocessing: preprocessing,
        training: [
          "seed": .number(Double(seed)), "dataset": .string(train.name), "test_fraction": .number(testFraction),
          "validation_fraction": .number(validationFraction), "missing": .string(missing.rawValue),
        ], classNames: train.classNames,
        labelColumn: labelColumn, targetScaling: targetScaling, featureNames: train.featureNames,
        featureEncoding: featureEncoding, dataset: datasetRecord)
    }
    if let checkpoint { callbacks.append(checkpoint) }
    let earlyStopping = earlyStoppingPatience.map {
      EarlyStopping(monitor: "val_loss", patience: $0, restoreBestWeights: true)
    }
    if let earlyStopping { callbacks.append(earlyStopping) }
    if let interruption { callbacks.append(interruption) }
    let gradientFlow = recordsGradientFlow
      ? GradientFlowRecorder(probe: .init(train, loss: loss, rows: Self.gradientFlowProbeRows)) : nil
    if let gradientFlow { callbacks.append(gradientFlow) }
    var model = model
    let startingLoss = model.evaluate(train, loss: loss)["loss"] ?? .nan
    let history = try model.fit(
      train, loss: loss, optimizer: &optimizer, epochs: epochs, batchSize: batchSize, validation: validation,
      seed: seed, startEpoch: startEpoch, callbacks: callbacks, communicator: group)
    if let interruption, interruption.stoppedAt != nil, let checkpoint {
      // Ctrl-C: the checkpoint holds the model as the last step left it, to resume from
      // the start of the unfinished epoch.
      let state = TrainingState(
        model: model, optimizerState: optimizer.state, optimizerName: optimizer.name,
        learningRate: optimizer.learningRate, history: history, inputSize: train.featureCount)
      try checkpoint.save(state, epochsDone: startEpoch + history.count)
    }
    return TrainingOutcome(
      model: model, history: history, testScores: model.evaluate(test, loss: loss), gradientFlow: gradientFlow,
      progressAdvice: Advisor.checkProgress(startingLoss: startingLoss, history: history),
      bestEpoch: earlyStopping?.best.map { (epoch: $0.epoch + 1, validationLoss: $0.value) })
  }
}

/// A finished training run.
struct TrainingOutcome {
  let model: Sequential
  let history: History
  let testScores: [String: Float]
  /// The gradient-flow record, with `--gradient-flow`.
  let gradientFlow: GradientFlowRecorder?
  /// The advisor's findings from the run itself (`loss-rose`).
  let progressAdvice: [Diagnostic]
  /// With `--early-stopping`: the epoch (1-based) whose weights the model kept, and its
  /// validation loss.
  let bestEpoch: (epoch: Int, validationLoss: Float)?
}
