import Dendrite

/// The study's set-ups as playground configs (the `preset` key); the other keys of a hash
/// override what a preset sets.
///
/// | preset | set-up |
/// | --- | --- |
/// | `saturated-neuron` | one sigmoid neuron on `gauss` (no hidden layer) starting from w = b = 2, confidently wrong on every point: MSE (κ′(z) ≈ 0 stalls it) raced against binary cross-entropy |
/// | `mse-vs-cross-entropy` | a 8-unit sigmoid network with a sigmoid output on `circle` from N(0, 1) weights: MSE raced against binary cross-entropy, same initial weights |
/// | `deep-sigmoid` | six hidden sigmoid layers of 8 on `circle`: vanishing gradients, raced against ReLU |
/// | `init-normal-vs-he` | six ReLU layers of 8 on `circle`: N(0, 1) weights (a starting loss in the tens) raced against He |
///
///     var config = PlaygroundConfig()
///     PlaygroundPreset.deepSigmoid.apply(to: &config)
///     config.layers   // [8, 8, 8, 8, 8, 8]
public enum PlaygroundPreset: String, Sendable, CaseIterable {
  /// One saturated sigmoid neuron, MSE against cross-entropy.
  case saturatedNeuron = "saturated-neuron"
  /// A sigmoid-output network, MSE against cross-entropy.
  case mseVersusCrossEntropy = "mse-vs-cross-entropy"
  /// A deep sigmoid stack against the same with ReLU.
  case deepSigmoid = "deep-sigmoid"
  /// A deep ReLU stack from N(0, 1) against He initialisation.
  case initNormalVersusHe = "init-normal-vs-he"

  /// The value every weight and bias starts from, for presets that fix the start
  /// (`saturated-neuron`: 2); nil for drawn weights.
  ///
  ///     PlaygroundPreset.saturatedNeuron.initialParameterValue   // 2
  public var initialParameterValue: Float? {
    self == .saturatedNeuron ? 2 : nil
  }

  /// Sets the preset's keys on `config` (and records the preset in it).
  ///
  ///     var config = PlaygroundConfig()
  ///     PlaygroundPreset.saturatedNeuron.apply(to: &config)
  ///     config.compare   // .loss
  public func apply(to config: inout PlaygroundConfig) {
    config.preset = self
    config.regularization = .none
    config.regularizationRate = 0
    config.dropout = 0
    config.noise = 0
    config.features = [.x1, .x2]
    config.optimizer = .sgd
    config.batchSize = 10
    switch self {
    case .saturatedNeuron:
      config.dataset = .gauss
      config.layers = []
      config.activations = [.sigmoid]
      config.outputActivation = .sigmoid
      config.loss = .meanSquaredError
      config.learningRate = 0.15
      config.initialization = .normal
      config.compare = .loss
      config.compareWith = Loss.binaryCrossEntropy.name
    case .mseVersusCrossEntropy:
      config.dataset = .circle
      config.layers = [8]
      config.activations = [.sigmoid]
      config.outputActivation = .sigmoid
      config.loss = .meanSquaredError
      config.learningRate = 0.1
      config.initialization = .normal
      config.compare = .loss
      config.compareWith = Loss.binaryCrossEntropy.name
    case .deepSigmoid:
      config.dataset = .circle
      config.layers = Array(repeating: 8, count: 6)
      config.activations = [.sigmoid]
      config.outputActivation = nil
      config.loss = .sigmoidCrossEntropy
      config.learningRate = 0.03
      config.initialization = .glorot
      config.compare = .activation
      config.compareWith = Activation.relu.name
    case .initNormalVersusHe:
      config.dataset = .circle
      config.layers = Array(repeating: 8, count: 6)
      config.activations = [.relu]
      config.outputActivation = nil
      config.loss = .sigmoidCrossEntropy
      config.learningRate = 0.01
      config.initialization = .normal
      config.compare = .`init`
      config.compareWith = PlaygroundInitialization.he.rawValue
    }
  }
}
