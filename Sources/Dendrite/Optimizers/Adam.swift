#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Adam (Kingma & Ba, 2015) with bias correction, as PyTorch's `torch.optim.Adam`,
/// including its optional L2 weight decay added to the gradient.
///
///     g ← g + λ·w                              (L2 weight decay, when λ > 0)
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)    (t = state.step, from 1)
///     w ← w − η·m̂ / (√v̂ + ε)
///
/// ε = 1e-8 as PyTorch, added to √v̂ (Algorithm 1 of the paper). Keras uses 1e-7 and adds
/// it to the uncorrected √v ("ε-hat"), which differs only while v is tiny. The moments are
/// the slots `"<parameter>.m"` and `"<parameter>.v"` of ``state``. For weight decay that
/// does not pass through the moments, use ``AdamW``.
///
///     var optimizer = Adam(learningRate: 1e-3)
///     let (loss, gradients) = model.valueWithGradients { lossOf($0) }
///     optimizer.update(&model, along: gradients)
public struct Adam: Optimizer {
  /// The step size η.
  public var learningRate: Float
  /// The decay rate β₁ of the first moment (mean of the gradients).
  public let beta1: Float
  /// The decay rate β₂ of the second moment (mean of the squared gradients).
  public let beta2: Float
  /// The constant ε added to √v̂ in the denominator.
  public let epsilon: Float
  /// The L2 penalty λ added to the gradient as λ·w (PyTorch Adam's `weight_decay`).
  public let weightDecay: Float
  /// The step count (for bias correction) and the moments `"<parameter>.m"`, `"<parameter>.v"`.
  public var state = OptimizerState()

  /// Creates the optimizer with PyTorch's defaults.
  ///
  /// - Parameters:
  ///   - learningRate: the step size η (1e-3 is the usual choice).
  ///   - beta1: β₁ in [0, 1); 0.9.
  ///   - beta2: β₂ in [0, 1); 0.999.
  ///   - epsilon: ε ≥ 0; 1e-8.
  ///   - weightDecay: the L2 coefficient λ ≥ 0; 0.
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 0
  ) {
    checkAdamHyperparameters(learningRate, beta1, beta2, epsilon, weightDecay, optimizer: "Adam")
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  /// `adam`.
  public var name: String { OptimizerKind.adam.name }

  /// One Adam step of `parameter` along `gradient` (formulas in the type's documentation),
  /// with t from ``OptimizerState/stepNumber(updating:)``.
  public mutating func update(_ parameter: inout Tensor, named name: String, gradient: Tensor) {
    adamStep(
      &parameter, named: name, gradient: gradient, state: &state, learningRate: learningRate,
      beta1: beta1, beta2: beta2, epsilon: epsilon, l2: weightDecay, optimizer: "Adam")
  }
}

/// The Adam step shared by ``Adam`` and ``AdamW``, in PyTorch's arithmetic order:
/// w ← w − (η / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε), the corrections computed in Double.
func adamStep(
  _ parameter: inout Tensor, named name: String, gradient: Tensor, state: inout OptimizerState,
  learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, l2: Float, optimizer: String
) {
  checkGradient(gradient, matches: parameter, named: name, optimizer: optimizer)
  let t = Double(state.stepNumber(updating: name))
  let shape = parameter.shape
  var w = parameter.takeScalars()  // moved out: updated in place unless shared
  var m = state.takeSlotScalars("m", of: name, shape: shape)
  var v = state.takeSlotScalars("v", of: name, shape: shape)
  let stepSize = learningRate / Float(1 - pow(Double(beta1), t))
  let rootCorrection2 = Float((1 - pow(Double(beta2), t)).squareRoot())
  Kernels.adamUpdate(
    &w, gradient: gradient.scalars, m: &m, v: &v, beta1: beta1, beta2: beta2, epsilon: epsilon, l2: l2,
    stepSize: stepSize, rootCorrection2: rootCorrection2)
  state.setSlot("m", of: name, shape: shape, scalars: m)
  state.setSlot("v", of: name, shape: shape, scalars: v)
  parameter = Tensor(shape: shape, scalars: w)
}

/// The preconditions on Adam's and AdamW's constructor arguments, as PyTorch checks them.
func checkAdamHyperparameters(
  _ learningRate: Float, _ beta1: Float, _ beta2: Float, _ epsilon: Float, _ weightDecay: Float,
  optimizer: String
) {
  precondition(learningRate >= 0, "\(optimizer): learning rate \(learningRate) is negative")
  precondition(beta1 >= 0 && beta1 < 1, "\(optimizer): beta1 \(beta1) is outside [0, 1)")
  precondition(beta2 >= 0 && beta2 < 1, "\(optimizer): beta2 \(beta2) is outside [0, 1)")
  precondition(epsilon >= 0, "\(optimizer): epsilon \(epsilon) is negative")
  precondition(weightDecay >= 0, "\(optimizer): weight decay \(weightDecay) is negative")
}
