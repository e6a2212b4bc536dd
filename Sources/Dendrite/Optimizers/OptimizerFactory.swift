/// The command-line names of the optimizers, in the order `--help` lists them
/// (``CommandLineNames/optimizers``).
///
///     optimizerNames   // ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"]
public var optimizerNames: [String] { CommandLineNames.optimizers }

/// The optimizer with a command-line name and learning rate, with every other
/// hyperparameter at its default; nil for an unknown name. See
/// ``OptimizerKind/makeOptimizer(learningRate:)``.
///
///     var optimizer = makeOptimizer(name: "adam", learningRate: 1e-3)!
///     optimizer.name   // "adam"
public func makeOptimizer(name: String, learningRate: Float) -> (any Optimizer)? {
  OptimizerKind(name: name)?.makeOptimizer(learningRate: learningRate)
}

extension OptimizerKind {
  /// The optimizer of this kind with a learning rate, every other hyperparameter at its
  /// default.
  ///
  /// | kind | optimizer |
  /// | --- | --- |
  /// | `sgd` | `SGD(learningRate:)` |
  /// | `momentum` | `SGD.momentum(learningRate:)`, μ = 0.9 |
  /// | `nesterov` | `SGD.nesterov(learningRate:)`, μ = 0.9, Nesterov |
  /// | `adam` | `Adam(learningRate:)`, β = (0.9, 0.999), ε = 1e-8 |
  /// | `adamw` | `AdamW(learningRate:)`, λ = 0.01 |
  /// | `rmsprop` | `RMSProp(learningRate:)`, ρ = 0.9, ε = 1e-7 |
  /// | `adagrad` | `Adagrad(learningRate:)`, ε = 1e-10 |
  ///
  /// Each optimizer's ``Optimizer/name`` is the name of the kind that built it.
  ///
  ///     OptimizerKind.adam.makeOptimizer(learningRate: 1e-3).name   // "adam"
  public func makeOptimizer(learningRate: Float) -> any Optimizer {
    switch self {
    case .sgd: SGD(learningRate: learningRate)
    case .momentum: SGD.momentum(learningRate: learningRate)
    case .nesterov: SGD.nesterov(learningRate: learningRate)
    case .adam: Adam(learningRate: learningRate)
    case .adamw: AdamW(learningRate: learningRate)
    case .rmsprop: RMSProp(learningRate: learningRate)
    case .adagrad: Adagrad(learningRate: learningRate)
    }
  }

  /// The learning rate `dendrite train` uses when none is given: 0.001 for the adaptive
  /// optimizers that scale steps by a running gradient size (Adam, AdamW, RMSProp), 0.01
  /// for the others.
  ///
  ///     OptimizerKind.rmsprop.defaultLearningRate   // 0.001
  public var defaultLearningRate: Float {
    switch self {
    case .adam, .adamw, .rmsprop: 1e-3
    case .sgd, .momentum, .nesterov, .adagrad: 1e-2
    }
  }
}

// Helpers shared by the optimizers' `update`s.

extension OptimizerState {
  /// The scalars of slot `"<parameter>.<slot>"`, or `initialValue` everywhere when the
  /// parameter has no such slot yet, taken out of the state so that the caller owns the
  /// only copy and updates it in place; put them back with ``setSlot(_:of:shape:scalars:)``.
  ///
  /// - Precondition: a stored slot has the parameter's shape (a mismatch means the state
  ///   belongs to another model).
  mutating func takeSlotScalars(_ slot: String, of parameter: String, shape: [Int], initialValue: Float = 0) -> [Float] {
    let key = "\(parameter).\(slot)"
    guard let tensor = slots.removeValue(forKey: key) else {
      return [Float](repeating: initialValue, count: shape.reduce(1, *))
    }
    precondition(
      tensor.shape == shape,
      "optimizer slot \"\(key)\" has shape \(tensor.shape) but the parameter has shape \(shape) (state of another model?)")
    return tensor.scalars
  }

  /// Stores slot `"<parameter>.<slot>"`.
  mutating func setSlot(_ slot: String, of parameter: String, shape: [Int], scalars: [Float]) {
    slots["\(parameter).\(slot)"] = Tensor(shape: shape, scalars: scalars)
  }
}

/// Stops with a message naming the parameter when its gradient has another shape.
func checkGradient(_ gradient: Tensor, matches parameter: Tensor, named name: String, optimizer: String) {
  precondition(
    gradient.shape == parameter.shape,
    "\(optimizer): gradient of \"\(name)\" has shape \(gradient.shape) but the parameter has shape \(parameter.shape)")
}
