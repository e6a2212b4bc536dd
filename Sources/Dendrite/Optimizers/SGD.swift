/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight
/// decay, as PyTorch's `torch.optim.SGD` (dampening 0).
///
///     g ← g + λ·w                                  (weight decay, when λ > 0)
///     v ← μ·v + g                                  (momentum, when μ > 0; v starts at 0, so v = g on step 1)
///     w ← w − η·v                                  (classical momentum)
///     w ← w − η·(g + μ·v)                          (Nesterov)
///     w ← w − η·g                                  (plain SGD, μ = 0)
///
/// The momentum buffer v is the slot `"<parameter>.momentum"` of ``state``, so a
/// checkpoint restores it. The command-line names `sgd`, `momentum` (μ = 0.9) and
/// `nesterov` (μ = 0.9, Nesterov) all build this type; ``name`` reports which one it is.
///
///     var optimizer = SGD(learningRate: 0.1, momentum: 0.9)   // or SGD.momentum(learningRate: 0.1)
///     let (loss, gradients) = model.valueWithGradients { lossOf($0) }
///     optimizer.update(&model, along: gradients)
public struct SGD: Optimizer {
  /// The step size η.
  public var learningRate: Float
  /// The momentum coefficient μ; 0 for plain SGD.
  public let momentum: Float
  /// Whether the step uses Nesterov momentum, g + μ·v, rather than v.
  public let nesterov: Bool
  /// The L2 penalty λ added to the gradient as λ·w (coupled weight decay).
  public let weightDecay: Float
  /// The step count and the momentum buffers (`"<parameter>.momentum"`).
  public var state = OptimizerState()

  /// Creates the optimizer.
  ///
  /// - Parameters:
  ///   - learningRate: the step size η.
  ///   - momentum: μ ≥ 0; 0 (the default) turns momentum off.
  ///   - nesterov: Nesterov momentum; needs μ > 0.
  ///   - weightDecay: the L2 coefficient λ ≥ 0 (PyTorch's `weight_decay`).
  public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
    precondition(learningRate >= 0, "SGD: learning rate \(learningRate) is negative")
    precondition(momentum >= 0, "SGD: momentum \(momentum) is negative")
    precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs a momentum above 0")
    precondition(weightDecay >= 0, "SGD: weight decay \(weightDecay) is negative")
    self.learningRate = learningRate
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
  }

  /// SGD with classical momentum μ = 0.9: the command line's `momentum`.
  ///
  ///     var optimizer = SGD.momentum(learningRate: 0.01)
  public static func momentum(learningRate: Float, weightDecay: Float = 0) -> SGD {
    SGD(learningRate: learningRate, momentum: 0.9, weightDecay: weightDecay)
  }

  /// SGD with Nesterov momentum μ = 0.9: the command line's `nesterov`.
  ///
  ///     var optimizer = SGD.nesterov(learningRate: 0.01)
  public static func nesterov(learningRate: Float, weightDecay: Float = 0) -> SGD {
    SGD(learningRate: learningRate, momentum: 0.9, nesterov: true, weightDecay: weightDecay)
  }

  /// `nesterov` with Nesterov momentum, `momentum` with classical momentum, `sgd` without:
  /// the command-line name that rebuilds this kind of optimizer with ``makeOptimizer(name:learningRate:)``.
  public var name: String { (nesterov ? OptimizerKind.nesterov : momentum > 0 ? .momentum : .sgd).name }

  /// One SGD step of `parameter` along `gradient` (formulas in the type's documentation).
  public mutating func update(_ parameter: inout Tensor, named name: String, gradient: Tensor) {
    checkGradient(gradient, matches: parameter, named: name, optimizer: "SGD")
    _ = state.stepNumber(updating: name)  // counted; the formula has no t
    let shape = parameter.shape
    var w = parameter.takeScalars()  // moved out: updated in place unless shared
    var velocity = momentum == 0 ? nil : state.takeSlotScalars("momentum", of: name, shape: shape)
    Kernels.sgdUpdate(
      &w, gradient: gradient.scalars, velocity: &velocity, learningRate: learningRate, momentum: momentum,
      nesterov: nesterov, weightDecay: weightDecay)
    if let velocity { state.setSlot("momentum", of: name, shape: shape, scalars: velocity) }
    parameter = Tensor(shape: shape, scalars: w)
  }
}
