import Dendrite

/// One playground network and its data, trained one epoch at a time: what one WebSocket
/// connection runs. Not thread-safe: the server confines a session to one task.
///
/// Each step is Dendrite's tape step done in the open — gradients of the loss on a batch
/// (`Layer.valueWithGradients`, dropout active), the L1/L2 penalty added to the weight
/// gradients (rate·sign(W) or rate·W, biases untouched), then one optimizer update — so the
/// gradient-flow recorder sees every step's gradients.
///
///     let session = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=xor&layers=4,2"))
///     for _ in 0..<100 { session.trainEpoch() }
///     let frame = session.frame(includePoints: false)   // send as a `frame` message
public final class PlaygroundSession {
  /// The config the session was built from.
  public let config: PlaygroundConfig
  /// Finished epochs (0 before training).
  public private(set) var epoch = 0
  /// The network as trained so far.
  public internal(set) var model: Sequential
  /// The data, split and prepared.
  let data: PlaygroundData
  /// How outputs are shaped and read.
  let network: PlaygroundNetwork
  /// The optimizer, with its state.
  private var optimizer: any Optimizer
  /// Shuffles each epoch's rows; the same seed gives the same batches.
  private var shuffler: RandomGenerator
  /// Steps taken, which seed each step's dropout masks.
  private var steps: UInt64 = 0
  /// Weight-gradient norms per step and a probe snapshot per epoch; replaced by a fresh one
  /// every ``recorderEpochs`` epochs so that a long session's memory stays bounded.
  private(set) var recorder: GradientFlowRecorder
  /// The epochs one recorder keeps.
  static let recorderEpochs = 1_000
  /// The first non-finite loss or gradient, which stops training.
  private(set) var divergence: String?
  /// The advisor's findings for the model, loss and training labels.
  let advice: [Diagnostic]
  /// Loss and accuracy on both parts, measured after the last epoch.
  private(set) var figures: Figures

  /// Loss and accuracy (nil for regression) on the training and test parts.
  struct Figures {
    var trainLoss: Float
    var testLoss: Float
    var trainAccuracy: Float?
    var testAccuracy: Float?
  }

  /// Builds the data (generated or loaded, split by `trainRatio`) and the network
  /// (initialised from `seed`), at epoch 0.
  ///
  ///     let session = try PlaygroundSession(config: PlaygroundConfig())
  ///     session.epoch   // 0
  ///
  /// - Throws: ``PlaygroundError`` when the config breaks a limit or the data set cannot
  ///   be loaded.
  public init(config: PlaygroundConfig) throws(PlaygroundError) {
    try config.validate()
    self.config = config
    let data = try PlaygroundData(config: config)
    self.data = data
    network = PlaygroundNetwork(config: config, inputCount: data.train.featureCount, classCount: data.classCount)
    model = network.makeModel(config: config, inputCount: data.train.featureCount)
    optimizer = config.optimizer.makeOptimizer(learningRate: config.learningRate)
    shuffler = RandomGenerator(seed: config.seed &+ 0x5EED)
    recorder = GradientFlowRecorder(probe: GradientFlowRecorder.Probe(data.train, loss: config.loss))
    advice = Advisor.check(model: model, loss: config.loss, labels: data.train.labels, classNames: data.classNames)
    figures = Figures(trainLoss: .nan, testLoss: .nan)
    figures = measure()
  }

  /// One pass over the training points in batches of `batchSize`, shuffled from the seed.
  /// After a non-finite loss or gradient, training stops: the parameters stay as they were
  /// before that step and the frame's advice says so.
  ///
  ///     session.trainEpoch()
  ///     session.epoch   // 1
  public func trainEpoch() {
    guard divergence == nil else { return }
    let rows = Array(0..<data.train.count).shuffled(using: &shuffler)
    let batchSize = Swift.max(1, Swift.min(config.batchSize, rows.count))
    var step = 0
    for start in stride(from: 0, to: rows.count, by: batchSize) {
      let batch = data.train.subset(Array(rows[start..<Swift.min(start + batchSize, rows.count)]))
      var context = ForwardContext(isTraining: true, seed: config.seed &+ steps)
      steps += 1
      let loss = network.loss
      let (value, computed) = model.valueWithGradients { model in
        loss.compute(outputs: model.forward(batch.features, context: &context), labels: batch.labels)
      }
      if let problem = nonFinite(loss: value.scalar, gradients: computed) {
        divergence = "training diverged in epoch \(epoch + 1), step \(step + 1): \(problem); lower the learning rate or reset"
        break
      }
      var state = TrainingState(
        model: model, optimizerState: optimizer.state, optimizerName: optimizer.name,
        learningRate: optimizer.learningRate, history: History())
      _ = recorder.handle(.gradientsComputed(epoch: epoch, step: step, gradients: computed), state: &state)
      optimizer.update(&model, along: regularized(computed))
      step += 1
    }
    var state = TrainingState(
      model: model, optimizerState: optimizer.state, optimizerName: optimizer.name,
      learningRate: optimizer.learningRate, history: History())
    _ = recorder.handle(.epochFinished(epoch: epoch, totalEpochs: epoch + 1, metrics: [:]), state: &state)
    if recorder.epochs.count >= Self.recorderEpochs {
      recorder = GradientFlowRecorder(probe: recorder.probe)
    }
    epoch += 1
    figures = measure()
  }

  /// The gradients with the config's penalty added to every weight's (names ending in
  /// `.weight`; biases are not penalised).
  private func regularized(_ gradients: [String: Tensor]) -> [String: Tensor] {
    guard config.regularization != .none, config.regularizationRate > 0 else { return gradients }
    let rate = config.regularizationRate
    var result = gradients
    for (name, weight) in model.parameters where name.hasSuffix(".weight") {
      guard let gradient = gradients[name] else { continue }
      let penalty: [Float] =
        switch config.regularization {
        case .l1: weight.scalars.map { $0 > 0 ? rate : $0 < 0 ? -rate : 0 }
        case .l2: weight.scalars.map { rate * $0 }
        case .none: weight.scalars.map { _ in 0 }
        }
      result[name] = gradient + Tensor(shape: weight.shape, scalars: penalty)
    }
    return result
  }

  /// What is not finite in a step, or nil.
  private func nonFinite(loss: Float, gradients: [String: Tensor]) -> String? {
    guard loss.isFinite else { return "the loss is \(loss)" }
    for name in model.parameterNames {
      if let gradient = gradients[name], gradient.scalars.contains(where: { !$0.isFinite }) {
        return "the gradient of \(name) is not finite"
      }
    }
    return nil
  }

  /// Takes `other`'s initial parameters wherever a parameter of the same name has the same
  /// shape (a race's second network: all of them, or all but the output layer's when the
  /// output widths differ), measuring the figures again; only before training.
  func adoptInitialParameters(from other: PlaygroundSession) {
    guard epoch == 0 else { return }
    let theirs = other.model.parameters
    model.parameterValues = zip(model.parameterNames, model.parameterValues).map { name, value in
      guard let their = theirs[name], their.shape == value.shape else { return value }
      return their
    }
    figures = measure()
  }

  /// The optimizer steps of one epoch (⌈training points / batch size⌉), for pacing to
  /// ``PlaygroundLimits/maximumStepsPerSecond``.
  ///
  ///     try PlaygroundSession(config: PlaygroundConfig()).stepsPerEpoch   // 25: 250 points, batches of 10
  public var stepsPerEpoch: Int {
    let batch = Swift.max(1, Swift.min(config.batchSize, data.train.count))
    return (data.train.count + batch - 1) / batch
  }

  /// The network's readable outputs (probabilities or values) for network inputs.
  func readableOutputs(_ inputs: Tensor) -> Tensor {
    network.readable(model(inputs))
  }

  /// Loss and accuracy on both parts for the current parameters (no dropout).
  private func measure() -> Figures {
    func figures(_ part: Dataset) -> (Float, Float?) {
      let outputs = model(part.features)
      let loss = network.loss.compute(outputs: outputs, labels: part.labels).scalar
      guard case .classes(let classes, _) = part.labels else { return (loss, nil) }
      let predicted = network.predictions(network.readable(outputs))
      let correct = zip(predicted, classes).filter { $0.0.classIndex == $0.1 }.count
      return (loss, Float(correct) / Float(Swift.max(classes.count, 1)))
    }
    let train = figures(data.train)
    let test = figures(data.test)
    return Figures(trainLoss: train.0, testLoss: test.0, trainAccuracy: train.1, testAccuracy: test.1)
  }
}
