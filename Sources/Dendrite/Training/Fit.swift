extension Layer {
  /// Trains the model with mini-batch gradient descent and returns the per-epoch figures.
  ///
  /// Each epoch shuffles the rows (from a generator seeded with `seed`, so runs repeat),
  /// takes one optimizer step per batch, then reports the mean training loss and metrics
  /// over the epoch's batches and, with `validation`, the same on that data (`val_` keys).
  /// The NaN guard is built in: the first non-finite loss or gradient stops training with
  /// ``TrainingError/diverged(epoch:step:loss:firstNonFiniteGradient:)`` naming the epoch,
  /// the step and the first parameter whose gradient went non-finite.
  ///
  /// Any model trains: a ``Sequential`` with custom layers anywhere, or any type conforming
  /// to ``Layer``. Each step is the one ``Trainer`` runs: a stack of dense layers with
  /// elementwise activations and no custom `objective` trains on the fused kernels,
  /// anything else on the tape; ``History/trainingPath`` says which and why. Both give the
  /// same gradients up to float rounding. Before the first epoch a trial pass of one row
  /// checks that the data's width runs through the model and that its outputs fit the
  /// labels, and throws a ``TrainingError`` naming the layer and both widths if not.
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
  ///   - useFusedKernels: false trains on the tape even a model the fused kernels could run.
  ///   - communicator: with a group of more than one rank (``MPICommunicator`` under
  ///     `mpirun`), trains data-parallel (``Communicator``): every rank calls `fit` with the
  ///     same data and options; rank 0's initial parameters are broadcast; each step every
  ///     rank takes its share of the `batchSize` rows, and one all-reduce per step averages
  ///     the gradients, so every rank applies the same update and the run follows the
  ///     single-process one up to float rounding. Training metrics are summed over ranks at
  ///     each epoch's end and batch norm's running statistics are rank 0's, so every rank
  ///     ends each epoch with the same model and History. A failure on any rank stops all
  ///     of them, with that rank's message. Nil, or a group of one, trains as before.
  /// - Throws: ``TrainingError`` for invalid options, data that does not fit the model, or
  ///   divergence; whatever a callback throws.
  @discardableResult
  public mutating func fit<Opt: Optimizer>(
    _ data: Dataset, loss: Loss, optimizer: inout Opt, epochs: Int, batchSize: Int = 32,
    validation: Dataset? = nil, metrics: [Metric]? = nil, schedule: LearningRateSchedule = .constant,
    clipGradientNorm: Float? = nil, seed: UInt64 = 42, startEpoch: Int = 0,
    callbacks: [any TrainingCallback] = [],
    objective: ((_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor)? = nil,
    useFusedKernels: Bool = true, communicator: (any Communicator)? = nil
  ) throws -> History {
    guard epochs > 0 else { throw TrainingError.invalidOption("epochs must be positive, got \(epochs)") }
    guard batchSize > 0 else { throw TrainingError.invalidOption("batch size must be positive, got \(batchSize)") }
    if let clipGradientNorm, !(clipGradientNorm > 0 && clipGradientNorm.isFinite) {
      throw TrainingError.invalidOption("the gradient norm to clip to must be a positive number, got \(clipGradientNorm)")
    }
    let engine = TrainingStep(model: self, loss: loss, objective: objective, seed: seed, useFusedKernels: useFusedKernels)
    try engine.checkFits(featureWidth: data.featureCount, labels: data.labels, dataName: data.name)
    if let validation {
      try engine.checkFits(featureWidth: validation.featureCount, labels: validation.labels, dataName: validation.name)
    }
    let metrics = metrics ?? (data.classCount == nil ? [.meanAbsoluteError] : [.accuracy])
    let baseRate = optimizer.learningRate
    var history = History()
    history.trainingPath = engine.path
    let stepsPerEpoch = (data.count + batchSize - 1) / batchSize
    var epochsRun = 0
    defer {
      self = engine.model
      optimizer.learningRate = baseRate
    }
    // Data parallel over more than one rank: every rank starts from rank 0's parameters.
    let group = communicator.flatMap { $0.size > 1 ? $0 : nil }
    let shapes = group == nil ? [] : parameterValues.map(\.shape)
    if let group {
      var model = engine.model
      try DataParallel.broadcastParameters(of: &model, over: group)
      try engine.replaceModel(with: model)
    }

    // Callbacks see the model as trained so far and may replace it (early stopping puts
    // back the best weights). The state is made for each event and dropped after it, so
    // that no copy of the parameters outlives the event and the next update stays in place.
    func notify(_ event: TrainingEvent) throws -> TrainingDecision {
      guard !callbacks.isEmpty else { return .proceed }
      var state = TrainingState(
        model: engine.model, optimizerState: optimizer.state, optimizerName: optimizer.name,
        learningRate: optimizer.learningRate, history: history, inputSize: data.featureCount)
      var decision = TrainingDecision.proceed
      for callback in callbacks where try callback.handle(event, state: &state) == .stop { decision = .stop }
      guard let model = state.model as? Self else {
        throw TrainingError.invalidOption(
          "a callback replaced the model (a \(Self.self)) with a \(type(of: state.model)); change its parameters instead")
      }
      try engine.replaceModel(with: model)
      return decision
    }

    training: for epoch in startEpoch..<(startEpoch + epochs) {
      optimizer.learningRate = schedule.learningRate(base: baseRate, epoch: epoch)
      if try notify(.epochStarted(epoch: epoch, totalEpochs: startEpoch + epochs)) == .stop { break }
      // One generator per epoch, derived from the seed and the epoch, so that a run resumed
      // at epoch e shuffles exactly as the uninterrupted run would have.
      var generator = RandomGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
      let order = Array(0..<data.count).shuffled(using: &generator)
      engine.context = ForwardContext(isTraining: true, seed: generator.next())
      var totals = MetricTotals()
      for step in 0..<stepsPerEpoch {
        let rows = Array(order[(step * batchSize)..<Swift.min((step + 1) * batchSize, data.count)])
        // With a group, this rank's share of the batch, and the batch's gradients after the
        // all-reduce; the metrics below are then this rank's, added up over ranks at the
        // epoch's end.
        let batch = data.subset(group.map { DataParallel.shard(rows, rank: $0.rank, size: $0.size) } ?? rows)
        let gradients: TrainingStep<Self>.Gradients
        if let group {
          gradients = try DataParallel.gradients(
            engine, batch: batch, batchRows: rows.count, shapes: shapes, position: (epoch, step), group: group)
        } else {
          gradients = try engine.computeGradients(
            inputs: batch.features, labels: batch.labels, position: (epoch, step), foldedLearningRate: nil,
            wantsOutputs: true, wantsNamedGradients: !callbacks.isEmpty || clipGradientNorm != nil)
        }
        if let named = gradients.byName {
          _ = try notify(.gradientsComputed(epoch: epoch, step: step, gradients: named))
        }
        engine.update(with: gradients, optimizer: &optimizer, clipGradientNorm: clipGradientNorm)
        let (lossValue, outputs) = (gradients.loss, gradients.outputs)
        if let outputs {
          totals.add(
            loss: group == nil ? lossValue : gradients.shardLoss, outputs: outputs, labels: batch.labels, lossKind: loss,
            metrics: metrics)
        }
        if try notify(.batchFinished(epoch: epoch, step: step, stepsPerEpoch: stepsPerEpoch, loss: lossValue)) == .stop {
          break training  // after this step; the unfinished epoch gets no History entry
        }
      }
      if let group {
        totals = try totals.summed(over: group, keys: ["loss"] + metrics.map(\.key))
        var model = engine.model
        try DataParallel.broadcastBuffers(of: &model, over: group)
        try engine.replaceModel(with: model)
      }
      var figures = totals.averages(prefix: "")
      figures["lr"] = optimizer.learningRate
      if let validation {
        for (key, value) in engine.model.evaluate(validation, loss: loss, metrics: metrics, objective: objective) {
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
    return history
  }

  /// The loss and metrics of the model on `data`, in inference mode, averaged over rows.
  ///
  ///     let scores = model.evaluate(test, loss: .softmaxCrossEntropy)
  ///     scores["accuracy"]
  ///
  /// `objective`, when given, replaces `loss`'s formula as in ``fit(_:loss:optimizer:epochs:batchSize:validation:metrics:schedule:clipGradientNorm:seed:startEpoch:callbacks:objective:useFusedKernels:communicator:)``.
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

  /// The totals of every rank of `group` added up (sums and row counts of each of `keys`),
  /// the same on every rank: one all-reduce.
  func summed(over group: any Communicator, keys: [String]) throws -> MetricTotals {
    var buffer = keys.flatMap { [Float(sums[$0] ?? 0), Float(counts[$0] ?? 0)] }
    try group.allReduceSum(&buffer)
    var total = MetricTotals()
    for (index, key) in keys.enumerated() where buffer[2 * index + 1] > 0 {
      total.sums[key] = Double(buffer[2 * index])
      total.counts[key] = Int(buffer[2 * index + 1])
    }
    return total
  }

  func averages(prefix: String) -> [String: Float] {
    var result: [String: Float] = [:]
    for (key, sum) in sums { result[prefix + key] = Float(sum / Double(Swift.max(counts[key] ?? 1, 1))) }
    return result
  }
}
