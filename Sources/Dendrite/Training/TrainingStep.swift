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
  /// The input width a trial pass has accepted, and the output width it measured.
  private var checkedWidths: (inputs: Int, outputs: [Int])?

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
    if checkedWidths?.inputs != width {
      switch trialForward(model, input: Tensor.zeros(shape: [1, width])) {
      case .failure(let error):
        throw TrainingError.dataMismatch("\(dataName) has \(width) features, but \(error)")
      case .success(let shape):
        checkedWidths = (width, shape)
      }
    }
    guard let outputs = checkedWidths?.outputs else { return }
    guard outputs.count == 2 else {
      throw TrainingError.dataMismatch(
        "the model turns rows of \(width) features into shape \(outputs), not [batch, outputs]")
    }
    if objective == nil, let problem = loss.outputProblem(units: outputs[1], labels: labels) {
      throw TrainingError.dataMismatch("\(dataName) \(problem)")
    }
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
    let batch = inputs.shape[0]
    network.forward(inputs.scalars, batch: batch)
    let lossValue = network.lossAndOutputGradient(loss, labels: labels, batch: batch)
    // A folded step updates as it goes back, so it must not start from a non-finite loss.
    if foldedLearningRate != nil && !lossValue.isFinite { throw diverged(lossValue, nil) }
    let outputs = wantsOutputs ? network.outputs(batch: batch) : nil
    network.backward(inputs: inputs.scalars, batch: batch, foldedLearningRate: foldedLearningRate)
    if foldedLearningRate != nil {
      // The update is done. Every δ passes through some bias's column sum, so a non-finite
      // gradient shows in a bias.
      if let index = network.layers.firstIndex(where: { !$0.bias.allSatisfy(\.isFinite) }) {
        throw diverged(lossValue, parameterNames[2 * index + 1])
      }
      return Gradients(loss: lossValue, outputs: outputs, byName: nil, isFolded: true)
    }
    for (index, layer) in network.layers.enumerated() {
      if !layer.weightGradient.allSatisfy(\.isFinite) { throw diverged(lossValue, parameterNames[2 * index]) }
      if !layer.biasGradient.allSatisfy(\.isFinite) { throw diverged(lossValue, parameterNames[2 * index + 1]) }
    }
    if !lossValue.isFinite { throw diverged(lossValue, nil) }
    let byName = wantsNamedGradients ? Dictionary(uniqueKeysWithValues: zip(parameterNames, network.gradientValues)) : nil
    return Gradients(loss: lossValue, outputs: outputs, byName: byName, isFolded: false)
  }

  /// Clips the gradients (when asked) and lets the optimizer update every parameter that
  /// has one: one optimizer step.
  func update<Opt: Optimizer>(with gradients: Gradients, optimizer: inout Opt, clipGradientNorm: Float?) {
    guard !gradients.isFolded else {
      optimizer.state.startStep()
      return
    }
    guard var byName = gradients.byName else {
      // The fused path's gradients, straight from the network's buffers: each parameter's
      // tensor takes its buffer and gives it back, so the built-in optimizers update in place.
      precondition(network != nil && clipGradientNorm == nil, "named gradients are needed to clip")
      optimizer.state.startStep()
      for (index, layer) in network?.layers.enumerated() ?? [].enumerated() {
        update(&layer.weight, layer.weightShape, Tensor(shape: layer.weightShape, scalars: layer.weightGradient),
               parameterNames[2 * index], &optimizer)
        update(&layer.bias, layer.biasShape, Tensor(shape: layer.biasShape, scalars: layer.biasGradient),
               parameterNames[2 * index + 1], &optimizer)
      }
      return
    }
    if let clipGradientNorm { _ = clipByGlobalNorm(&byName, maxNorm: clipGradientNorm) }
    guard let network else {
      optimizer.update(&template, along: byName)
      return
    }
    optimizer.state.startStep()
    for (index, layer) in network.layers.enumerated() {
      let (weightName, biasName) = (parameterNames[2 * index], parameterNames[2 * index + 1])
      if let gradient = byName[weightName] { update(&layer.weight, layer.weightShape, gradient, weightName, &optimizer) }
      if let gradient = byName[biasName] { update(&layer.bias, layer.biasShape, gradient, biasName, &optimizer) }
    }
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
