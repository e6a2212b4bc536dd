extension Sequential {
  /// Trains the model with mini-batch gradient descent and returns the per-epoch figures.
  ///
  /// Each epoch shuffles the rows (from a generator seeded with `seed`, so runs repeat),
  /// takes one optimizer step per batch, then reports the mean training loss and metrics
  /// over the epoch's batches and, with `validation`, the same on that data (`val_` keys).
  /// The NaN guard is built in: the first non-finite loss or gradient stops training with
  /// ``TrainingError/diverged(epoch:step:loss:firstNonFiniteGradient:)`` naming the epoch,
  /// the step and the first parameter whose gradient went non-finite.
  ///
  /// A stack of dense layers with inline activations (the models ``Trainer`` fuses) and no
  /// custom `objective` trains on the fused kernels; anything else on the tape. Both give
  /// the same gradients up to float rounding.
  ///
  ///     var optimizer = Adam(learningRate: 1e-3)
  ///     let history = try model.fit(train, loss: .softmaxCrossEntropy, optimizer: &optimizer,
  ///                                 epochs: 30, batchSize: 32, validation: test, seed: 42)
  ///
  /// - Parameters:
  ///   - data: the training rows (already preprocessed).
  ///   - loss: the loss; it must suit the output layer (``Loss``).
  ///   - optimizer: updated in place, so its state carries over to another call.
  ///   - epochs: passes over the data (counted from `startEpoch`, for resuming).
  ///   - batchSize: rows per step; the last batch may be smaller.
  ///   - validation: data scored after every epoch.
  ///   - metrics: figures besides the loss; by default accuracy for classes, MAE for
  ///     regression.
  ///   - schedule: the learning rate per epoch, from the optimizer's starting rate.
  ///   - clipGradientNorm: clip the global gradient norm to this value each step.
  ///   - seed: seeds shuffling and dropout.
  ///   - startEpoch: the first epoch's index when resuming a run.
  ///   - callbacks: receive progress events; may stop training or change the model.
  ///   - objective: replaces `loss`'s formula (outputs and labels in, the batch loss out),
  ///     for losses the enum does not name, such as the study's MSE summed over outputs;
  ///     `loss` still says how outputs are read for accuracy.
  /// - Throws: ``TrainingError`` for invalid options, data that does not fit the model, or
  ///   divergence; whatever a callback throws.
  @discardableResult
  public mutating func fit<Opt: Optimizer>(
    _ data: Dataset, loss: Loss, optimizer: inout Opt, epochs: Int, batchSize: Int = 32,
    validation: Dataset? = nil, metrics: [Metric]? = nil, schedule: LearningRateSchedule = .constant,
    clipGradientNorm: Float? = nil, seed: UInt64 = 42, startEpoch: Int = 0,
    callbacks: [any TrainingCallback] = [],
    objective: ((_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor)? = nil
  ) throws -> History {
    // Stacks of dense layers without a custom objective run on the fused kernels; the rest
    // (dropout, softmax layers, custom layers or objectives) on the tape.
    let network = objective == nil ? FusedNetwork(self) : nil
    let names = parameterNames
    let objective = objective ?? { outputs, labels in loss.compute(outputs: outputs, labels: labels) }
    guard epochs > 0 else { throw TrainingError.invalidOption("epochs must be positive, got \(epochs)") }
    guard batchSize > 0 else { throw TrainingError.invalidOption("batch size must be positive, got \(batchSize)") }
    try checkCompatible(with: data, loss: loss)
    if let validation { try checkCompatible(with: validation, loss: loss) }
    let metrics = metrics ?? (data.classCount == nil ? [.meanAbsoluteError] : [.accuracy])
    let baseRate = optimizer.learningRate
    var history = History()
    let stepsPerEpoch = (data.count + batchSize - 1) / batchSize
    var state = TrainingState(
      model: self, optimizerState: optimizer.state, optimizerName: optimizer.name,
      learningRate: optimizer.learningRate, history: history)
    var epochsRun = 0

    func notify(_ event: TrainingEvent) throws -> TrainingDecision {
      state.model = self
      state.optimizerState = optimizer.state
      state.learningRate = optimizer.learningRate
      state.history = history
      var decision = TrainingDecision.proceed
      for callback in callbacks where try callback.handle(event, state: &state) == .stop { decision = .stop }
      self = state.model
      return decision
    }

    training: for epoch in startEpoch..<(startEpoch + epochs) {
      optimizer.learningRate = schedule.learningRate(base: baseRate, epoch: epoch)
      if try notify(.epochStarted(epoch: epoch, totalEpochs: startEpoch + epochs)) == .stop { break }
      // One generator per epoch, derived from the seed and the epoch, so that a run resumed
      // at epoch e shuffles exactly as the uninterrupted run would have.
      var generator = RandomGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
      let order = Array(0..<data.count).shuffled(using: &generator)
      var context = ForwardContext(isTraining: true, seed: generator.next())
      var totals = MetricTotals()
      for step in 0..<stepsPerEpoch {
        let rows = Array(order[(step * batchSize)..<Swift.min((step + 1) * batchSize, data.count)])
        let batch = data.subset(rows)
        var outputs = Tensor(scalar: 0)
        var lossValue: Float
        var gradients: [String: Tensor]
        if let network {
          // The fused kernels (see ``Trainer``): same gradients as the tape, reused buffers.
          network.load(self)
          lossValue = network.step(inputs: batch.features, labels: batch.labels, loss: loss, foldedLearningRate: nil)
          outputs = network.outputs(batch: batch.features.shape[0])
          gradients = Dictionary(uniqueKeysWithValues: zip(names, network.gradientValues))
        } else {
          let value: Tensor
          (value, gradients) = valueWithGradients { model in
            outputs = model.forward(batch.features, context: &context)
            return objective(outputs, batch.labels)
          }
          lossValue = value.scalar
        }
        let firstBad = names.first { gradients[$0]?.isFinite == false }
        if !lossValue.isFinite || firstBad != nil {
          throw TrainingError.diverged(epoch: epoch, step: step, loss: lossValue, firstNonFiniteGradient: firstBad)
        }
        _ = try notify(.gradientsComputed(epoch: epoch, step: step, gradients: gradients))
        if let clipGradientNorm { _ = clipByGlobalNorm(&gradients, maxNorm: clipGradientNorm) }
        optimizer.update(&self, along: gradients)
        totals.add(loss: lossValue, outputs: outputs.withoutDerivative(), labels: batch.labels, lossKind: loss, metrics: metrics)
        _ = try notify(.batchFinished(epoch: epoch, step: step, stepsPerEpoch: stepsPerEpoch, loss: lossValue))
      }
      var figures = totals.averages(prefix: "")
      figures["lr"] = optimizer.learningRate
      if let validation {
        for (key, value) in evaluate(validation, loss: loss, metrics: metrics, objective: objective) {
          figures["val_" + key] = value
        }
      }
      history.epochs.append(figures)
      epochsRun += 1
      if try notify(.epochFinished(epoch: epoch, totalEpochs: startEpoch + epochs, metrics: figures)) == .stop {
        break training
      }
    }
    _ = try notify(.trainingFinished(epochsRun: epochsRun))
    optimizer.learningRate = baseRate
    return history
  }

  /// The loss and metrics of the model on `data`, in inference mode, averaged over rows.
  ///
  ///     let scores = model.evaluate(test, loss: .softmaxCrossEntropy)
  ///     scores["accuracy"]
  ///
  /// `objective`, when given, replaces `loss`'s formula as in ``fit(_:loss:optimizer:epochs:batchSize:validation:metrics:schedule:clipGradientNorm:seed:startEpoch:callbacks:objective:)``.
  public func evaluate(
    _ data: Dataset, loss: Loss, metrics: [Metric]? = nil, batchSize: Int = 512,
    objective: ((_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor)? = nil
  ) -> [String: Float] {
    let metrics = metrics ?? (data.classCount == nil ? [.meanAbsoluteError] : [.accuracy])
    var totals = MetricTotals()
    var start = 0
    while start < data.count {
      let batch = data.subset(Array(start..<Swift.min(start + batchSize, data.count)))
      let outputs = self(batch.features)
      totals.add(
        loss: (objective?(outputs, batch.labels) ?? loss.compute(outputs: outputs, labels: batch.labels)).scalar,
        outputs: outputs,
        labels: batch.labels, lossKind: loss, metrics: metrics)
      start += batchSize
    }
    return totals.averages(prefix: "")
  }

  /// Throws when `data` does not fit the model's first and last dense layers.
  func checkCompatible(with data: Dataset, loss: Loss) throws {
    let dense = layers.compactMap { $0 as? Dense }
    if let first = dense.first, first.inputSize != data.featureCount {
      throw TrainingError.dataMismatch(
        "\(data.name) has \(data.featureCount) features but the model's first layer takes \(first.inputSize)")
    }
    guard let last = dense.last else { return }
    if let classes = data.classCount {
      let binary = last.outputSize == 1 && classes == 2 && loss != .softmaxCrossEntropy && loss != .negativeLogLikelihood
      if !binary && last.outputSize != classes {
        throw TrainingError.dataMismatch(
          "\(data.name) has \(classes) classes but the model's output layer has \(last.outputSize) units")
      }
    } else if let targets = data.targets, targets.shape[1] != last.outputSize {
      throw TrainingError.dataMismatch(
        "\(data.name) has \(targets.shape[1]) target columns but the model's output layer has \(last.outputSize) units")
    } else if !loss.isRegressionCapable {
      throw TrainingError.dataMismatch("\(loss.name) needs class labels, but \(data.name) has regression targets")
    }
  }
}

/// Row-weighted running sums of the loss and metrics over an epoch's batches.
struct MetricTotals {
  private var rows = 0
  private var sums: [String: Double] = [:]
  private var counts: [String: Int] = [:]

  mutating func add(loss: Float, outputs: Tensor, labels: Dataset.Labels, lossKind: Loss, metrics: [Metric]) {
    let batchRows = outputs.shape[0]
    rows += batchRows
    accumulate("loss", loss, batchRows)
    for metric in metrics {
      if let value = metric.measure(outputs: outputs, labels: labels, loss: lossKind) {
        accumulate(metric.key, value, batchRows)
      }
    }
  }

  private mutating func accumulate(_ key: String, _ value: Float, _ weight: Int) {
    sums[key, default: 0] += Double(value) * Double(weight)
    counts[key, default: 0] += weight
  }

  func averages(prefix: String) -> [String: Float] {
    var result: [String: Float] = [:]
    for (key, sum) in sums { result[prefix + key] = Float(sum / Double(Swift.max(counts[key] ?? 1, 1))) }
    return result
  }
}
