/// What `fit` reports to its callbacks while it runs.
public enum TrainingEvent: Sendable {
  /// An epoch (0-based) is about to start.
  case epochStarted(epoch: Int, totalEpochs: Int)
  /// A step's gradients are ready, before clipping and the update (what gradient-flow
  /// diagnostics record).
  case gradientsComputed(epoch: Int, step: Int, gradients: [String: Tensor])
  /// A training step finished with this batch loss.
  case batchFinished(epoch: Int, step: Int, stepsPerEpoch: Int, loss: Float)
  /// An epoch finished; `metrics` are its History entry.
  case epochFinished(epoch: Int, totalEpochs: Int, metrics: [String: Float])
  /// Training finished (all epochs, or stopped early).
  case trainingFinished(epochsRun: Int)
}

/// Whether `fit` should go on after an event. `.stop` after `epochStarted` or
/// `epochFinished` ends training at that epoch boundary; after `batchFinished`, right after
/// that step (the unfinished epoch gets no ``History`` entry); other events ignore it.
public enum TrainingDecision: Sendable {
  /// Go on training.
  case proceed
  /// End training at this point.
  case stop
}

/// The training state a callback may look at or change.
public struct TrainingState: Sendable {
  /// The model being trained (of the type `fit` was called on); a callback may change its
  /// parameters (early stopping restoring the best weights), not its type or shapes.
  public var model: any Layer
  /// The optimizer's state, its name and current learning rate (checkpoints save them).
  public var optimizerState: OptimizerState
  /// The optimizer's name (`sgd`, `adam`, …), as checkpoints record it.
  public var optimizerName: String
  /// The optimizer's current learning rate.
  public var learningRate: Float
  /// The figures so far.
  public var history: History
  /// The number of features of the training rows (checkpoints record it for models whose
  /// first layer does not show it).
  public var inputSize: Int?

  /// Creates a state, for driving a callback by hand (tests, a custom training loop).
  ///
  ///     var state = TrainingState(model: model, optimizerState: OptimizerState(), optimizerName: "sgd",
  ///                               learningRate: 0.1, history: History())
  public init(
    model: any Layer, optimizerState: OptimizerState, optimizerName: String, learningRate: Float, history: History,
    inputSize: Int? = nil
  ) {
    self.inputSize = inputSize
    self.model = model
    self.optimizerState = optimizerState
    self.optimizerName = optimizerName
    self.learningRate = learningRate
    self.history = history
  }
}

/// Receives `fit`'s events; a class, so that it can keep state across them.
///
///     final class PrintLoss: TrainingCallback {
///       func handle(_ event: TrainingEvent, state: inout TrainingState) throws -> TrainingDecision {
///         if case .epochFinished(let epoch, _, let metrics) = event { print(epoch, metrics["loss"] ?? 0) }
///         return .proceed
///       }
///     }
public protocol TrainingCallback: AnyObject {
  /// Handles one event. Throwing stops training with that error.
  func handle(_ event: TrainingEvent, state: inout TrainingState) throws -> TrainingDecision
}

/// Passes every event to a closure: how the command line draws its progress bar.
public final class ProgressCallback: TrainingCallback {
  private let report: (TrainingEvent) -> Void

  /// Creates the callback.
  public init(_ report: @escaping (TrainingEvent) -> Void) { self.report = report }

  public func handle(_ event: TrainingEvent, state: inout TrainingState) -> TrainingDecision {
    report(event)
    return .proceed
  }
}

/// Stops training when a monitored figure has not improved for `patience` epochs, and
/// optionally puts back the parameters of the best epoch, as Keras's `EarlyStopping`, with
/// that epoch's buffers (batch norm's running statistics), so the restored model normalises
/// as it did when it scored best.
///
///     let stopper = EarlyStopping(monitor: "val_loss", patience: 5, restoreBestWeights: true)
public final class EarlyStopping: TrainingCallback {
  /// The History key watched (`val_loss` by default; `accuracy`-like keys are maximised).
  public let monitor: String
  /// Epochs without improvement tolerated.
  public let patience: Int
  /// Whether to restore the best epoch's parameters when training ends.
  public let restoreBestWeights: Bool
  /// The smallest change that counts as an improvement.
  public let minimumDelta: Float

  /// The best value seen and its epoch.
  public private(set) var best: (value: Float, epoch: Int)?
  private var bestParameters: [Tensor]?
  /// The best epoch's buffers (batch norm's running statistics), restored with its parameters.
  private var bestBuffers: [String: Tensor] = [:]
  private var wait = 0

  /// Creates the callback.
  public init(monitor: String = "val_loss", patience: Int = 5, minimumDelta: Float = 0, restoreBestWeights: Bool = true) {
    self.monitor = monitor
    self.patience = patience
    self.minimumDelta = minimumDelta
    self.restoreBestWeights = restoreBestWeights
  }

  private var maximizes: Bool { monitor.contains("accuracy") }

  public func handle(_ event: TrainingEvent, state: inout TrainingState) -> TrainingDecision {
    switch event {
    case .epochFinished(let epoch, _, let metrics):
      guard let value = metrics[monitor], value.isFinite else { return .proceed }
      let improved = best.map { maximizes ? value > $0.value + minimumDelta : value < $0.value - minimumDelta } ?? true
      if improved {
        best = (value, epoch)
        wait = 0
        if restoreBestWeights { (bestParameters, bestBuffers) = (state.model.parameterValues, state.model.buffers) }
        return .proceed
      }
      wait += 1
      return wait >= patience ? .stop : .proceed
    case .trainingFinished:
      if restoreBestWeights, let bestParameters {
        state.model.parameterValues = bestParameters
        state.model.loadBuffers(bestBuffers)
      }
      return .proceed
    default:
      return .proceed
    }
  }
}
