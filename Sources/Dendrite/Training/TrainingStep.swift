/// One training step — forward, loss, backward, the NaN guard, the gradients' observers,
/// clipping and the optimizer's update — for any model: the only place Dendrite performs
/// one. ``Trainer`` is a step at a time of it; `fit` is epochs, batches and callbacks
/// around it.
///
/// The path is chosen once, by ``FusedNetwork/plan(for:)``: on the fused path the network's
/// buffers hold the parameters between steps (``model`` rebuilds the model from them), on
/// the tape the model itself does.
///
///     forward + loss      fused kernels, or the model's forward pass recorded on the tape
///     NaN guard           a non-finite loss or gradient throws TrainingError.diverged
///     observers           see the gradients before clipping (callbacks, gradient flow)
///     clipping            the global norm, when asked
///     update              the optimizer, one call per parameter; plain SGD with no observer
///                         and no clipping folds into the gradient GEMMs (Trainer only)
final class TrainingStep<Model: Layer> {
  let loss: Loss
  let path: TrainingPath
  let parameterNames: [String]
  /// The dropout masks' generator; `fit` sets a fresh one every epoch.
  var context: ForwardContext

  private let network: FusedNetwork?
  /// On the tape, the model; on the fused path, the model as given (parameters stale).
  private var template: Model
  private let objective: ((_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor)?
  /// The input width a trial pass has accepted, and the output shape it measured.
  private var checkedInputs: Int?
  private var checkedOutputShape: [Int] = []
  /// The labels' class count or target width last checked against the outputs.
  private var checkedLabels: (classes: Int?, columns: Int?)?

  init(
    model: Model, loss: Loss, objective: ((_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor)? = nil,
    seed: UInt64, useFusedKernels: Bool
  ) {
    self.loss = loss
    self.template = model
    self.objective = objective
    self.parameterNames = model.parameterNames
    self.context = ForwardContext(isTraining: true, seed: seed)
    if objective != nil {
      (network, path) = (nil, .tape(reason: "a custom objective replaces the loss"))
    } else if !useFusedKernels {
      (network, path) = (nil, .tape(reason: "fused kernels turned off"))
    } else {
      (network, path) = FusedNetwork.plan(for: model)
    }
  }

  /// The model with the parameters trained so far.
  var model: Model {
    guard let network else { return template }
    var model = template
    model.parameterValues = network.parameterValues
    return model
  }

  /// Puts `model` (a callback's change, say) in place of the one being trained.
  ///
  /// - Throws: ``TrainingError/invalidOption(_:)`` when its parameters have other names or shapes.
  func replaceModel(with model: Model) throws {
    let shapes = model.parameterValues.map(\.shape)
    guard model.parameterNames == parameterNames, shapes == template.parameterValues.map(\.shape) else {
      throw TrainingError.invalidOption(
        "a callback replaced the model with one whose parameters \(model.parameterNames) (shapes \(shapes)) "
          + "differ from the model being trained")
    }
    template = model
    if let network, let sequential = model as? Sequential { network.load(sequential) }
  }

  // MARK: Checks

  /// Checks, before any step, that rows of `width` features run through the model (a trial
  /// pass of one row, repeated only when the width changes) and that its outputs fit
  /// `labels` under the loss.
  ///
  /// - Throws: ``TrainingError/dataMismatch(_:)`` naming the layer and both widths, or the
  ///   output units against the classes or target columns.
  func checkFits(featureWidth width: Int, labels: Dataset.Labels, dataName: String) throws {
    if checkedInputs != width {
      switch trialForward(model, input: Tensor.zeros(shape: [1, width])) {
      case .failure(let error):
        throw TrainingError.dataMismatch("\(dataName) has \(width) features, but \(error)")
      case .success(let shape):
        guard shape.count == 2 else {
          throw TrainingError.dataMismatch(
            "the model turns rows of \(width) features into shape \(shape), not [batch, outputs]")
        }
        (checkedInputs, checkedOutputShape, checkedLabels) = (width, shape, nil)
      }
    }
    // The output rule, once per kind of labels (every step of a Trainer has the same).
    let key: (classes: Int?, columns: Int?) =
      switch labels {
      case .classes(_, let classCount): (classCount, nil)
      case .targets(let targets): (nil, targets.shape.last)
      }
    if let checked = checkedLabels, checked.classes == key.classes, checked.columns == key.columns { return }
    if objective == nil, let problem = loss.outputProblem(units: checkedOutputShape[1], labels: labels) {
      throw TrainingError.dataMismatch("\(dataName) \(problem)")
    }
    checkedLabels = key
  }

  /// Checks a batch handed to ``Trainer/step(inputs:labels:)``: rows, label count and range.
  func checkBatch(inputs: Tensor, labels: Dataset.Labels) throws {
    guard inputs.rank == 2, inputs.shape[0] > 0 else {
      throw TrainingError.dataMismatch("a training batch must be [batch, features] with at least one row, got \(inputs.shape)")
    }
    switch labels {
    case .classes(let classes, let classCount):
      guard classes.count == inputs.shape[0] else {
        throw TrainingError.dataMismatch("\(classes.count) labels for a batch of \(inputs.shape[0]) rows")
      }
      if let bad = classes.first(where: { $0 < 0 || $0 >= classCount }) {
        throw TrainingError.dataMismatch("class index \(bad) is outside 0..<\(classCount)")
      }
    case .targets(let targets):
      guard targets.rank == 2, targets.shape[0] == inputs.shape[0] else {
        throw TrainingError.dataMismatch("targets of shape \(targets.shape) for a batch of \(inputs.shape[0]) rows")
      }
    }
    try checkFits(featureWidth: inputs.shape[1], labels: labels, dataName: "the batch")
  }

  // MARK: The step

  /// A step's loss, outputs and gradients, between ``computeGradients(inputs:labels:position:foldedLearningRate:wantsOutputs:wantsNamedGradients:)``
  /// and ``update(with:optimizer:clipGradientNorm:)``.
  struct Gradients {
    /// The batch loss, before the update.
    var loss: Float
    /// The network's outputs for the batch, when asked for.
    var outputs: Tensor?
    /// The gradients keyed by parameter name: always on the tape; on the fused path when
    /// asked for (otherwise they stay in the network's buffers).
    var byName: [String: Tensor]?
    /// Whether plain SGD was folded into the backward pass (the update is done).
    var isFolded: Bool
    /// In data-parallel training, this rank's shard's loss (``loss`` is the batch's).
    var shardLoss: Float = .nan
  }

  /// Runs one step on a batch and returns its loss (before the update) and, when asked,
  /// the network's outputs: ``computeGradients(inputs:labels:position:foldedLearningRate:wantsOutputs:wantsNamedGradients:)``
  /// then ``update(with:optimizer:clipGradientNorm:)``. Plain SGD folds into the gradient
  /// GEMMs when `foldsPlainSGD` and nothing clips.
  func run<Opt: Optimizer>(
    inputs: Tensor, labels: Dataset.Labels, optimizer: inout Opt, clipGradientNorm: Float?,
    position: (epoch: Int, step: Int), foldsPlainSGD: Bool
  ) throws -> Float {
    let folded = foldsPlainSGD && clipGradientNorm == nil ? Self.plainSGDRate(optimizer) : nil
    let gradients = try computeGradients(
      inputs: inputs, labels: labels, position: position, foldedLearningRate: folded, wantsOutputs: false,
      wantsNamedGradients: clipGradientNorm != nil)
    update(with: gradients, optimizer: &optimizer, clipGradientNorm: clipGradientNorm)
    return gradients.loss
  }

  /// Forward, loss and backward on a batch, with the NaN guard.
  ///
  /// - Parameters:
  ///   - position: the epoch and step, for the NaN guard's message.
  ///   - foldedLearningRate: on the fused path, apply plain SGD with this rate inside the
  ///     gradient GEMMs (the parameters are then already updated).
  ///   - wantsNamedGradients: return the fused path's gradients keyed by name (for
  ///     observers and clipping).
  /// - Throws: ``TrainingError/diverged(epoch:step:loss:firstNonFiniteGradient:)`` when the
  ///   loss or a gradient is not finite.
  func computeGradients(
    inputs: Tensor, labels: Dataset.Labels, position: (epoch: Int, step: Int), foldedLearningRate: Float?,
    wantsOutputs: Bool, wantsNamedGradients: Bool
  ) throws -> Gradients {
    func diverged(_ loss: Float, _ parameter: String?) -> TrainingError {
      .diverged(epoch: position.epoch, step: position.step, loss: loss, firstNonFiniteGradient: parameter)
    }
    guard let network else {
      var outputs = Tensor(scalar: 0)
      let objective = objective ?? { [loss] outputs, labels in loss.compute(outputs: outputs, labels: labels) }
      var context = self.context
      let (value, gradients) = template.valueWithGradients { model in
        outputs = model.forward(inputs, context: &context)
        return objective(outputs, labels)
      }
      self.context = context
      let firstBad = parameterNames.first { gradients[$0]?.isFinite == false }
      if !value.scalar.isFinite || firstBad != nil { throw diverged(value.scalar, firstBad) }
      return Gradients(loss: value.scalar, outputs: outputs.withoutDerivative(), byName: gradients, isFolded: false)
    }
    let pass = network.pass(
      inputs: inputs, labels: labels, loss: loss, foldedLearningRate: foldedLearningRate, wantsOutputs: wantsOutputs)
    if pass.diverged { throw diverged(pass.loss, pass.nonFiniteParameter.map { parameterNames[$0] }) }
    if foldedLearningRate != nil { return Gradients(loss: pass.loss, outputs: pass.outputs, byName: nil, isFolded: true) }
    let byName = wantsNamedGradients ? Dictionary(uniqueKeysWithValues: zip(parameterNames, network.gradientValues)) : nil
    return Gradients(loss: pass.loss, outputs: pass.outputs, byName: byName, isFolded: false)
  }

  /// Clips the gradients (when asked) and lets the optimizer update every parameter that
  /// has one: one optimizer step.
  func update<Opt: Optimizer>(with gradients: Gradients, optimizer: inout Opt, clipGradientNorm: Float?) {
    guard !gradients.isFolded else {
      optimizer.state.countWholeStep()
      return
    }
    guard var byName = gradients.byName else {
      // The fused path's gradients, straight from the network's buffers: each parameter's
      // tensor takes its buffer and gives it back, so the built-in optimizers update in place.
      precondition(network != nil && clipGradientNorm == nil, "named gradients are needed to clip")
      optimizer.state.beginWholeStep()
      for (index, layer) in network?.layers.enumerated() ?? [].enumerated() {
        update(&layer.weight, layer.weightShape, Tensor(shape: layer.weightShape, scalars: layer.weightGradient),
               parameterNames[2 * index], &optimizer)
        update(&layer.bias, layer.biasShape, Tensor(shape: layer.biasShape, scalars: layer.biasGradient),
               parameterNames[2 * index + 1], &optimizer)
      }
      optimizer.state.endWholeStep()
      return
    }
    if let clipGradientNorm { _ = clipByGlobalNorm(&byName, maxNorm: clipGradientNorm) }
    guard let network else {
      optimizer.update(&template, along: byName)
      return
    }
    optimizer.state.beginWholeStep()
    for (index, layer) in network.layers.enumerated() {
      let (weightName, biasName) = (parameterNames[2 * index], parameterNames[2 * index + 1])
      if let gradient = byName[weightName] { update(&layer.weight, layer.weightShape, gradient, weightName, &optimizer) }
      if let gradient = byName[biasName] { update(&layer.bias, layer.biasShape, gradient, biasName, &optimizer) }
    }
    optimizer.state.endWholeStep()
  }

  /// One parameter's optimizer update, on a tensor that holds the buffer's only reference
  /// while the optimizer runs.
  private func update<Opt: Optimizer>(
    _ buffer: inout [Float], _ shape: [Int], _ gradient: Tensor, _ name: String, _ optimizer: inout Opt
  ) {
    var parameter = Tensor(shape: shape, scalars: buffer)
    buffer = []
    optimizer.update(&parameter, named: name, gradient: gradient)
    precondition(
      parameter.shape == shape, "\(optimizer.name) changed the shape of \(name) from \(shape) to \(parameter.shape)")
    buffer = parameter.takeScalars()
  }

  /// The learning rate of plain SGD (no momentum, no weight decay), which folds into the
  /// gradient GEMMs; nil for any other optimizer.
  private static func plainSGDRate<Opt: Optimizer>(_ optimizer: Opt) -> Float? {
    guard let sgd = optimizer as? SGD, sgd.momentum == 0, sgd.weightDecay == 0 else { return nil }
    return sgd.learningRate
  }
}

