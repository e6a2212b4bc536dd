/// An optimizer's internal state, saved in checkpoints so that training can resume:
/// the step count and one tensor per slot and parameter (e.g. Adam's `0.weight.m`).
public struct OptimizerState: Sendable, Equatable {
  /// Updates taken so far.
  public var step: Int
  /// Slot tensors keyed `"<parameter name>.<slot>"`.
  public var slots: [String: Tensor]

  /// Creates a state.
  public init(step: Int = 0, slots: [String: Tensor] = [:]) {
    self.step = step
    self.slots = slots
  }
}

/// Updates a model's parameters from their gradients.
///
///     var optimizer = Adam(learningRate: 1e-3)
///     let (loss, gradients) = model.valueWithGradients { lossOf($0) }
///     optimizer.update(&model, along: gradients)
public protocol Optimizer: Sendable {
  /// The step size; schedules change it between epochs.
  var learningRate: Float { get set }
  /// The state to save in a checkpoint and restore on resume.
  var state: OptimizerState { get set }
  /// The command-line name (`sgd`, `adam`, …).
  var name: String { get }
  /// One update of `parameter` (named `name`) given its gradient.
  mutating func update(_ parameter: inout Tensor, named name: String, gradient: Tensor)
  /// Called once per step, before the parameters are updated (advances step counts).
  mutating func beginStep()
}

extension Optimizer {
  /// Applies one step to every parameter of `model` that has a gradient.
  public mutating func update<Model: Layer>(_ model: inout Model, along gradients: [String: Tensor]) {
    beginStep()
    var values = model.parameterValues
    for (index, name) in model.parameterNames.enumerated() {
      guard let gradient = gradients[name] else { continue }
      update(&values[index], named: name, gradient: gradient)
    }
    model.parameterValues = values
  }
}
