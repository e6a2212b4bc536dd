/// Saves a checkpoint (the model, its preprocessing, the optimizer's state and the epoch)
/// whenever a monitored figure improves, so that the best model is on disk and training
/// can resume from it (`dendrite train --resume FILE`). Writes are atomic: a crash leaves
/// the previous checkpoint intact.
///
///     let checkpoint = ModelCheckpoint(path: "best.safetensors", loss: .softmaxCrossEntropy,
///                                      classCount: 10, preprocessing: scaling)
///     try model.fit(train, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 50,
///                   validation: test, callbacks: [checkpoint])
public final class ModelCheckpoint: TrainingCallback {
  /// Where the checkpoint is written.
  public let path: String
  /// The History key watched; without it in an epoch's figures, every epoch is saved.
  public let monitor: String
  /// The epoch (1-based count of epochs done) of the last checkpoint written.
  public private(set) var savedEpoch: Int?

  private let loss: Loss
  private let targetScaling: TargetScaling?
  private let featureNames: [String]?
  private let featureEncoding: FeatureEncoding?
  private let dataset: DatasetRecord?
  private let classCount: Int?
  private let classNames: [String]?
  private let labelColumn: String?
  private let preprocessing: Preprocessing
  private let extra: [String: JSONValue]
  private var best: Float?

  /// Creates the callback.
  ///
  /// - Parameters:
  ///   - path: the checkpoint file.
  ///   - loss: the loss, stored in the file so that it can be loaded alone.
  ///   - classCount: the number of classes (nil for regression), stored likewise.
  ///   - preprocessing: the input scaling, stored likewise.
  ///   - monitor: `val_loss` by default (lower is better; `accuracy` keys: higher).
  ///   - training: extra resume information stored in `dendrite.training` (seed, options).
  ///   - classNames: the class names, stored when given.
  ///   - labelColumn: the label column, stored when given.
  ///   - targetScaling: how a regressor's targets were standardised, stored when given.
  ///   - featureNames: the names of the features a row holds, stored when given.
  ///   - featureEncoding: the column encoding, stored when given.
  ///   - dataset: the data's identity and split, stored when given.
  public init(
    path: String, loss: Loss, classCount: Int?, preprocessing: Preprocessing, monitor: String = "val_loss",
    training: [String: JSONValue] = [:], classNames: [String]? = nil, labelColumn: String? = nil,
    targetScaling: TargetScaling? = nil, featureNames: [String]? = nil, featureEncoding: FeatureEncoding? = nil,
    dataset: DatasetRecord? = nil
  ) {
    self.featureEncoding = featureEncoding
    self.dataset = dataset
    self.targetScaling = targetScaling
    self.featureNames = featureNames
    self.classNames = classNames
    self.labelColumn = labelColumn
    self.path = path
    self.loss = loss
    self.classCount = classCount
    self.preprocessing = preprocessing
    self.monitor = monitor
    self.extra = training
  }

  public func handle(_ event: TrainingEvent, state: inout TrainingState) throws -> TrainingDecision {
    guard case .epochFinished(let epoch, _, let metrics) = event else { return .proceed }
    if let value = metrics[monitor] {
      let maximizes = monitor.contains("accuracy")
      guard value.isFinite, best.map({ maximizes ? value > $0 : value < $0 }) ?? true else { return .proceed }
      best = value
    }
    try save(state, epochsDone: epoch + 1, monitored: metrics[monitor])
    return .proceed
  }

  /// Writes a checkpoint of `state` now: what `handle` does when the monitored figure
  /// improves, and what a command does when training is interrupted (then `epochsDone` is
  /// the number of whole epochs, and a resumed run repeats the unfinished one from the
  /// parameters the checkpoint holds).
  ///
  ///     try checkpoint.save(state, epochsDone: 12)
  ///
  /// - Throws: ``ModelFileError`` when the file cannot be written or the model not described.
  public func save(_ state: TrainingState, epochsDone: Int, monitored: Float? = nil) throws {
    var training = extra
    training["epoch"] = .number(Double(epochsDone))
    if let monitored { training[monitor] = .float(monitored) }
    // A model that is not a Sequential is stored as module 0 of one: its parameters, and
    // so its optimizer slots, are named `0.<name>` in the file.
    var optimizerState = state.optimizerState
    if !(state.model is Sequential) {
      optimizerState.slots = Dictionary(uniqueKeysWithValues: optimizerState.slots.map { ("0." + $0.key, $0.value) })
    }
    let file = try ModelFile(
      model: Sequential(wrapping: state.model), loss: loss, classCount: classCount, preprocessing: preprocessing,
      optimizer: ModelFile.OptimizerCheckpoint(name: state.optimizerName, learningRate: state.learningRate, state: optimizerState),
      training: .object(training), inputSize: state.inputSize, classNames: classNames, labelColumn: labelColumn,
      targetScaling: targetScaling, featureNames: featureNames, featureEncoding: featureEncoding, dataset: dataset)
    try file.save(to: path)
    savedEpoch = epochsDone
  }
}
