/// RMSProp (Hinton, Coursera lecture 6e), as Keras 3's `keras.optimizers.RMSprop`
/// (no momentum, not centred).
///
///     s ← ρ·s + (1 − ρ)·g²
///     w ← w − η·g / √(s + ε)
///
/// Defaults follow Keras: ρ = 0.9 (Hinton's value; PyTorch's `alpha` defaults to 0.99, a
/// slower average) and ε = 1e-7 *inside* the square root, so the denominator is never below
/// √ε ≈ 3.2e-4. PyTorch instead divides by √s + ε with ε = 1e-8; to reproduce a PyTorch
/// run, pass `rho: 0.99` and expect small differences only while s is below ~1e-7.
/// The running mean square s is the slot `"<parameter>.meanSquare"` of ``state``,
/// starting at 0.
///
///     var optimizer = RMSProp(learningRate: 1e-3)
///     optimizer.update(&model, along: gradients)
public struct RMSProp: Optimizer {
  /// The step size η.
  public var learningRate: Float
  /// The decay rate ρ of the running mean of g².
  public let rho: Float
  /// The constant ε added to s under the square root.
  public let epsilon: Float
  /// The step count and the running mean squares `"<parameter>.meanSquare"`.
  public var state = OptimizerState()

  /// Creates the optimizer with Keras's defaults.
  ///
  /// - Parameters:
  ///   - learningRate: the step size η (Keras's default is 1e-3).
  ///   - rho: ρ in [0, 1); 0.9.
  ///   - epsilon: ε ≥ 0; 1e-7.
  public init(learningRate: Float = 1e-3, rho: Float = 0.9, epsilon: Float = 1e-7) {
    precondition(learningRate >= 0, "RMSProp: learning rate \(learningRate) is negative")
    precondition(rho >= 0 && rho < 1, "RMSProp: rho \(rho) is outside [0, 1)")
    precondition(epsilon >= 0, "RMSProp: epsilon \(epsilon) is negative")
    self.learningRate = learningRate
    self.rho = rho
    self.epsilon = epsilon
  }

  /// `rmsprop`.
  public var name: String { OptimizerKind.rmsprop.name }

  /// One RMSProp step of `parameter` along `gradient` (formulas in the type's documentation).
  public mutating func update(_ parameter: inout Tensor, named name: String, gradient: Tensor) {
    checkGradient(gradient, matches: parameter, named: name, optimizer: "RMSProp")
    _ = state.stepNumber(updating: name)  // counted; the formula has no t
    let shape = parameter.shape
    var w = parameter.takeScalars()  // moved out: updated in place unless shared
    var s = state.takeSlotScalars("meanSquare", of: name, shape: shape)
    Kernels.rmsPropUpdate(&w, gradient: gradient.scalars, meanSquare: &s, rho: rho, epsilon: epsilon, learningRate: learningRate)
    state.setSlot("meanSquare", of: name, shape: shape, scalars: s)
    parameter = Tensor(shape: shape, scalars: w)
  }
}
