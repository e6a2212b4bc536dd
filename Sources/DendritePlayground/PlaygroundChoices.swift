import Dendrite

/// The optimizers the playground offers (the `optimizer` key).
///
///     PlaygroundOptimizer(rawValue: "momentum")?.makeOptimizer(learningRate: 0.03).name   // "momentum"
public enum PlaygroundOptimizer: String, Sendable, CaseIterable {
  /// Plain stochastic gradient descent.
  case sgd
  /// SGD with momentum 0.9.
  case momentum
  /// Adam with its default betas.
  case adam
  /// RMSProp with ρ = 0.9.
  case rmsprop

  /// The Dendrite optimizer of this kind (see `OptimizerKind.makeOptimizer(learningRate:)`).
  ///
  ///     PlaygroundOptimizer.adam.makeOptimizer(learningRate: 0.01).learningRate   // 0.01
  public func makeOptimizer(learningRate: Float) -> any Optimizer {
    switch self {
    case .sgd: OptimizerKind.sgd.makeOptimizer(learningRate: learningRate)
    case .momentum: OptimizerKind.momentum.makeOptimizer(learningRate: learningRate)
    case .adam: OptimizerKind.adam.makeOptimizer(learningRate: learningRate)
    case .rmsprop: OptimizerKind.rmsprop.makeOptimizer(learningRate: learningRate)
    }
  }
}

/// How the initial weights are drawn (the `init` key); biases start at zero.
///
///     PlaygroundInitialization.he.initializer   // .heNormal
public enum PlaygroundInitialization: String, Sendable, CaseIterable {
  /// N(0, 1): the study's badly scaled start.
  case normal
  /// Glorot (Xavier) uniform.
  case glorot
  /// He normal.
  case he

  /// The Dendrite initializer.
  ///
  ///     PlaygroundInitialization.normal.initializer   // .normal(standardDeviation: 1)
  public var initializer: Initializer {
    switch self {
    case .normal: .normal(standardDeviation: 1)
    case .glorot: .glorotUniform
    case .he: .heNormal
    }
  }
}

/// The weight penalty added to the weight gradients each step (the `regularization` key).
///
///     PlaygroundRegularization.l2.rawValue   // "l2"
public enum PlaygroundRegularization: String, Sendable, CaseIterable {
  /// No penalty.
  case none
  /// rate·sign(W) added to ∂J/∂W.
  case l1
  /// rate·W added to ∂J/∂W.
  case l2
}

/// What a race varies between its two networks (the `compare` key).
///
///     PlaygroundComparison.loss.defaultCompareWith   // "mse"
public enum PlaygroundComparison: String, Sendable, CaseIterable {
  /// The loss (and, with `outputActivation=auto`, the output layer it implies).
  case loss
  /// The hidden activation of every layer.
  case activation
  /// The weight initialisation.
  case `init`

  /// The second network's value when `compareWith` is not given.
  public var defaultCompareWith: String {
    switch self {
    case .loss: Loss.meanSquaredError.name
    case .activation: Activation.relu.name
    case .`init`: PlaygroundInitialization.normal.rawValue
    }
  }
}
