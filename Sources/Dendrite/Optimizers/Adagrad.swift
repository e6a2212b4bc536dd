/// Adagrad (Duchi, Hazan & Singer, 2011), as PyTorch's `torch.optim.Adagrad` (no
/// learning-rate decay).
///
///     s ← s + g²
///     w ← w − η·g / (√s + ε)
///
/// The accumulator s starts at 0 and ε = 1e-10, both as PyTorch (Keras starts s at 0.1
/// and uses ε = 1e-7, which damps the first steps). Since s only grows, the effective step
/// η/√s shrinks: a parameter that has seen large gradients moves less. s is the slot
/// `"<parameter>.accumulator"` of ``state``.
///
///     var optimizer = Adagrad(learningRate: 0.01)
///     optimizer.update(&model, along: gradients)
public struct Adagrad: Optimizer {
  /// The step size η.
  public var learningRate: Float
  /// The constant ε added to √s in the denominator.
  public let epsilon: Float
  /// The value s starts from, for a parameter without an accumulator yet.
  public let initialAccumulatorValue: Float
  /// The step count and the accumulators `"<parameter>.accumulator"`.
  public var state = OptimizerState()

  /// Creates the optimizer with PyTorch's defaults.
  ///
  /// - Parameters:
  ///   - learningRate: the step size η (PyTorch's default is 0.01).
  ///   - epsilon: ε ≥ 0; 1e-10.
  ///   - initialAccumulatorValue: s before the first step, ≥ 0; 0.
  public init(learningRate: Float = 0.01, epsilon: Float = 1e-10, initialAccumulatorValue: Float = 0) {
    precondition(learningRate >= 0, "Adagrad: learning rate \(learningRate) is negative")
    precondition(epsilon >= 0, "Adagrad: epsilon \(epsilon) is negative")
    precondition(initialAccumulatorValue >= 0, "Adagrad: initial accumulator \(initialAccumulatorValue) is negative")
    self.learningRate = learningRate
    self.epsilon = epsilon
    self.initialAccumulatorValue = initialAccumulatorValue
  }

  /// `adagrad`.
  public var name: String { OptimizerKind.adagrad.name }

  /// One Adagrad step of `parameter` along `gradient` (formulas in the type's documentation).
  public mutating func update(_ parameter: inout Tensor, named name: String, gradient: Tensor) {
    checkGradient(gradient, matches: parameter, named: name, optimizer: "Adagrad")
    _ = state.stepNumber(updating: name)  // counted; the formula has no t
    let shape = parameter.shape
    var w = parameter.takeScalars()  // moved out: updated in place unless shared
    var s = state.takeSlotScalars("accumulator", of: name, shape: shape, initialValue: initialAccumulatorValue)
    Kernels.adagradUpdate(&w, gradient: gradient.scalars, accumulator: &s, epsilon: epsilon, learningRate: learningRate)
    state.setSlot("accumulator", of: name, shape: shape, scalars: s)
    parameter = Tensor(shape: shape, scalars: w)
  }
}
