/// Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as PyTorch's
/// `torch.optim.AdamW`.
///
///     w ← w − η·λ·w                            (decay, outside the moments)
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     w ← w − η·m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
///
/// Unlike ``Adam``'s L2 term, the decay is not divided by √v̂, so every weight shrinks by the
/// same fraction η·λ per step. Defaults as PyTorch: λ = 0.01, β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
/// The moments are the slots `"<parameter>.m"` and `"<parameter>.v"` of ``state``.
///
///     var optimizer = AdamW(learningRate: 1e-3, weightDecay: 0.01)
///     optimizer.update(&model, along: gradients)
public struct AdamW: Optimizer {
  /// The step size η.
  public var learningRate: Float
  /// The decay rate β₁ of the first moment.
  public let beta1: Float
  /// The decay rate β₂ of the second moment.
  public let beta2: Float
  /// The constant ε added to √v̂ in the denominator.
  public let epsilon: Float
  /// The decoupled weight decay λ: each step multiplies the weights by 1 − η·λ.
  public let weightDecay: Float
  /// The step count (for bias correction) and the moments `"<parameter>.m"`, `"<parameter>.v"`.
  public var state = OptimizerState()

  /// Creates the optimizer with PyTorch's defaults.
  ///
  /// - Parameters:
  ///   - learningRate: the step size η.
  ///   - beta1: β₁ in [0, 1); 0.9.
  ///   - beta2: β₂ in [0, 1); 0.999.
  ///   - epsilon: ε ≥ 0; 1e-8.
  ///   - weightDecay: the decoupled decay λ ≥ 0; 0.01.
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 0.01
  ) {
    checkAdamHyperparameters(learningRate, beta1, beta2, epsilon, weightDecay, optimizer: "AdamW")
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  /// `adamw`.
  public var name: String { OptimizerKind.adamw.name }

  /// One AdamW step of `parameter` along `gradient`: the decay, then the Adam step, with t
  /// from ``OptimizerState/stepNumber(updating:)``.
  public mutating func update(_ parameter: inout Tensor, named name: String, gradient: Tensor) {
    if weightDecay != 0 {
      let keep = 1 - learningRate * weightDecay
      parameter = Tensor(shape: parameter.shape, scalars: parameter.scalars.map { $0 * keep })
    }
    adamStep(
      &parameter, named: name, gradient: gradient, state: &state, learningRate: learningRate,
      beta1: beta1, beta2: beta2, epsilon: epsilon, l2: 0, optimizer: "AdamW")
  }
}
