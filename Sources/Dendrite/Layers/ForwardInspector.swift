/// What an instrumented forward pass records, for the two tools that must see a model as it
/// really runs rather than as its type suggests:
///
/// - the **trial pass** (``trialForward(_:input:)``): one row through the model before
///   training, in which a width mismatch is recorded (naming the layer and both widths)
///   instead of trapping, so that `fit` and ``Trainer`` can throw it as a ``TrainingError``;
/// - the **gradient-flow probe** (``GradientFlowSnapshot``): every dense layer's
///   pre-activation z is marked on the tape so that the backward pass hands back
///   δ = ∂J/∂z, and its activation output a is kept for the saturation figures.
///
/// The inspector travels as a task-local value, so layers need no extra parameter and a
/// model of any shape (a ``Sequential``, a struct with two towers) is inspected the same
/// way. Outside an inspection the only cost is one task-local read on a failure path
/// (trial) or per dense layer (probe).
final class ForwardInspector: @unchecked Sendable {
  /// The inspection running on this task, if any.
  @TaskLocal static var current: ForwardInspector?

  /// What this inspection is for.
  enum Purpose { case trial, probe }
  let purpose: Purpose

  /// The path of the layer running now, outermost first: `["layer 1 (Projection)"]`.
  private(set) var path: [String] = []
  /// The first width mismatch of a trial pass.
  private(set) var mismatch: String?

  /// One dense layer seen by a probe, in the order the forward pass ran them.
  final class DenseRecord {
    /// Position of the layer's weight among the differentiated parameters (its tape leaf).
    let weightLeaf: Int?
    let units: Int
    var activation: Activation
    /// z (pre-activation) and a = f(z), without derivative.
    let z: Tensor
    var a: Tensor
    /// The tape position of the marked z, to attach a following activation layer.
    var outputPosition: Int?
    /// δ = ∂J/∂z, filled in by the backward pass.
    var delta: Tensor?

    init(weightLeaf: Int?, units: Int, activation: Activation, z: Tensor, a: Tensor) {
      self.weightLeaf = weightLeaf
      self.units = units
      self.activation = activation
      self.z = z
      self.a = a
    }
  }

  /// The dense layers a probe saw.
  private(set) var denseRecords: [DenseRecord] = []

  init(_ purpose: Purpose) { self.purpose = purpose }

  // MARK: Layer paths

  /// Runs `body` with `name` appended to the current layer path.
  func inLayer<Result>(_ name: String, _ body: () -> Result) -> Result {
    path.append(name)
    defer { path.removeLast() }
    return body()
  }

  /// Where in the model the layer running now sits: `layer 2 (Dense 8 → 2)` or, nested,
  /// `layer 1 (Sequential) › layer 0 (Dense 8 → 2)`; `the model` at the top.
  var currentLayer: String { path.isEmpty ? "the model" : path.joined(separator: " › ") }

  // MARK: Trial pass

  /// Records a width mismatch of a trial pass (the first one wins) and says whether the
  /// caller may go on with a stand-in value (true inside a trial pass; false otherwise,
  /// when the caller must trap as before).
  static func reportMismatch(_ problem: @autoclosure () -> String, layer: String? = nil) -> Bool {
    guard let inspector = current, inspector.purpose == .trial else { return false }
    if inspector.mismatch == nil {
      inspector.mismatch = "\(layer ?? inspector.currentLayer) \(problem())"
    }
    return true
  }

  // MARK: Probe

  /// In a probe, marks a dense layer's pre-activation z on the tape (so that δ = ∂J/∂z
  /// comes back) and returns the activation applied to it; nil outside a probe.
  static func probeDense(z: Tensor, weight: Tensor, activation: Activation) -> Tensor? {
    guard let inspector = current, inspector.purpose == .probe else { return nil }
    let record = DenseRecord(
      weightLeaf: weight.tapeHandle?.position, units: z.shape.last ?? 0, activation: activation,
      z: z.withoutDerivative(), a: z.withoutDerivative())
    // An identity op whose pullback keeps the gradient arriving at z.
    let marked = Tensor.recording(z, from: z) { upstream in
      record.delta = record.delta.map { $0 + upstream } ?? upstream
      return upstream
    }
    record.outputPosition = marked.tapeHandle?.position
    let output = activation.apply(marked)
    record.a = output.withoutDerivative()
    inspector.denseRecords.append(record)
    return output
  }

  /// In a probe, attaches an activation layer to the dense layer whose z it consumes, so
  /// that `Dense` + `ActivationLayer` report what a `Dense` with that activation reports.
  static func probeActivation(_ activation: Activation, input: Tensor, output: Tensor) {
    guard let inspector = current, inspector.purpose == .probe, activation != .linear,
      let position = input.tapeHandle?.position,
      let record = inspector.denseRecords.last, record.outputPosition == position, record.activation == .linear
    else { return }
    record.activation = activation
    record.a = output.withoutDerivative()
  }
}

/// Runs `model` on `input` in inference mode with width mismatches recorded instead of
/// trapping, and returns the output shape, or the first mismatch (naming the layer and both
/// widths).
///
/// Dense layers, the `linear` and `matmul` ops and broadcasting arithmetic (a skip
/// connection adding tensors of different widths) check their shapes this way; another op
/// of a custom layer that cannot take its input still traps with a message naming both
/// shapes.
func trialForward(_ model: any Layer, input: Tensor) -> Result<[Int], TrainingError> {
  let inspector = ForwardInspector(.trial)
  let output = ForwardInspector.$current.withValue(inspector) {
    var context = ForwardContext.inference
    return model.forward(input, context: &context)
  }
  if let mismatch = inspector.mismatch { return .failure(.dataMismatch(mismatch)) }
  return .success(output.shape)
}
