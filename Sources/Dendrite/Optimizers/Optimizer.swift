/// An optimizer's internal state, saved in checkpoints so that training can resume:
/// the step count and one tensor per slot and parameter (e.g. Adam's `0.weight.m`).
///
/// The state counts the steps itself, so that an optimizer's per-parameter update knows
/// which step it belongs to (Adam's bias correction needs t): see
/// ``stepNumber(updating:)``. Which parameters the step in progress has updated is kept
/// alongside but is not part of the state proper: `==` compares ``step`` and ``slots``
/// only, and a checkpoint saves only those (a restored state starts a new step with its
/// first update, so save between steps).
public struct OptimizerState: Sendable, Equatable {
  /// The number of steps begun: between steps, the steps taken; during one, its number t
  /// (from 1).
  public var step: Int
  /// Slot tensors keyed `"<parameter name>.<slot>"`.
  public var slots: [String: Tensor]
  /// Whether a step is in progress: false in a new or restored state, until the first
  /// update or ``startStep()``.
  private var stepInProgress = false
  /// The parameters updated in the step in progress. Emptied, not replaced, when a step
  /// begins, so that a warm step allocates nothing.
  private var updatedInStep: Set<String> = []
  /// Whether a whole-model step (``beginWholeStep()``) is in progress: every update joins
  /// it without the bookkeeping of names.
  private var isWholeStep = false

  /// Creates a state with no step in progress.
  public init(step: Int = 0, slots: [String: Tensor] = [:]) {
    self.step = step
    self.slots = slots
  }

  /// Counts an update of the parameter `name` and returns the number of the step it
  /// belongs to (from 1).
  ///
  /// A new step begins (``step`` + 1) when none is in progress or when `name` has already
  /// been updated in the current one; otherwise the update joins the current step. So
  /// updating each parameter once per step, in any order, numbers the steps 1, 2, 3, …
  /// A step in which every parameter is new to the previous step cannot be told apart from
  /// it: ``Optimizer/update(_:along:)`` begins each step explicitly and has no such case.
  ///
  ///     var state = OptimizerState()
  ///     state.stepNumber(updating: "w")   // 1
  ///     state.stepNumber(updating: "b")   // 1
  ///     state.stepNumber(updating: "b")   // 2
  ///     state.stepNumber(updating: "w")   // 2
  public mutating func stepNumber(updating name: String) -> Int {
    if isWholeStep { return step }
    if !stepInProgress || updatedInStep.contains(name) { startStep() }
    updatedInStep.insert(name)
    return step
  }

  /// Begins a step (``step`` + 1) that the next update of each parameter joins: one
  /// whole-model step, whichever parameters it updates.
  mutating func startStep() {
    step += 1
    stepInProgress = true
    if !updatedInStep.isEmpty { updatedInStep.removeAll(keepingCapacity: true) }
  }

  /// Begins a whole-model step (``step`` + 1) that every update joins until
  /// ``endWholeStep()``: what ``Optimizer/update(_:along:)`` and the training step do.
  mutating func beginWholeStep() {
    step += 1
    isWholeStep = true
  }

  /// Ends a whole-model step: the next per-parameter update begins a new one.
  mutating func endWholeStep() {
    isWholeStep = false
    stepInProgress = false
    if !updatedInStep.isEmpty { updatedInStep.removeAll(keepingCapacity: true) }
  }

  /// Counts a whole-model step whose updates were applied elsewhere (plain SGD folded
  /// into the gradient GEMMs): ``beginWholeStep()`` and ``endWholeStep()`` in one.
  mutating func countWholeStep() {
    step += 1
    if isWholeStep || stepInProgress { endWholeStep() }
  }

  /// Whether two states have the same step count and slots (the parameters updated in
  /// the step in progress do not count).
  public static func == (lhs: OptimizerState, rhs: OptimizerState) -> Bool {
    lhs.step == rhs.step && lhs.slots == rhs.slots
  }
}

/// Updates a model's parameters from their gradients.
///
///     var optimizer = Adam(learningRate: 1e-3)
///     let (loss, gradients) = model.valueWithGradients { lossOf($0) }
///     optimizer.update(&model, along: gradients)
///
/// One call of ``update(_:along:)`` is one step. ``update(_:named:gradient:)`` updates a
/// single parameter and works on its own too: call it once per parameter per step, in any
/// order, and the state numbers the steps.
///
/// A custom optimizer counts steps through its ``state``: its `update(_:named:gradient:)`
/// calls `state.stepNumber(updating: name)` once and uses the result as the step number t
/// (from 1), even if its formula does not need t, so that ``OptimizerState/step`` counts
/// the steps taken and a checkpoint resumes at the right t.
public protocol Optimizer: Sendable {
  /// The step size; schedules change it between epochs.
  var learningRate: Float { get set }
  /// The state to save in a checkpoint and restore on resume.
  var state: OptimizerState { get set }
  /// The command-line name (`sgd`, `adam`, …).
  var name: String { get }
  /// One update of `parameter` (named `name`) given its gradient, in the step that
  /// ``OptimizerState/stepNumber(updating:)`` assigns it.
  mutating func update(_ parameter: inout Tensor, named name: String, gradient: Tensor)
}

extension Optimizer {
  /// Applies one step to every parameter of `model` that has a gradient.
  public mutating func update<Model: Layer>(_ model: inout Model, along gradients: [String: Tensor]) {
    state.beginWholeStep()
    var values = model.parameterValues
    for (index, name) in model.parameterNames.enumerated() {
      guard let gradient = gradients[name] else { continue }
      update(&values[index], named: name, gradient: gradient)
    }
    state.endWholeStep()
    model.parameterValues = values
  }
}
