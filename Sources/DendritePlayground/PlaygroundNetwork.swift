import Dendrite

/// How a config becomes a network, and how the network's outputs are read: the output
/// width and activation as `dendrite train` decides them, and the positive-class
/// probability or class the page draws.
///
///     let network = PlaygroundNetwork(config: config, inputCount: 2, classCount: 2)
///     network.outputCount   // 1 for sigmoid cross-entropy on two classes
struct PlaygroundNetwork: Sendable {
  /// The loss trained.
  var loss: Loss
  /// The output layer's activation: the config's, else the loss's (`Loss.outputLayerActivation`).
  var outputActivation: Activation
  /// Output units: 1 for two classes under a one-unit loss (sigmoid or binary
  /// cross-entropy) as `dendrite train` decides, and also — unlike `dendrite train`, which
  /// gives MSE two units — under any loss behind a sigmoid output the config asks for (the
  /// study's single sigmoid unit, and the page's positive-class probability); else one per
  /// class; 1 for regression.
  var outputCount: Int
  /// The number of classes; nil for regression.
  var classCount: Int?

  init(config: PlaygroundConfig, inputCount: Int, classCount: Int?) {
    loss = config.loss
    outputActivation = config.outputActivation ?? config.loss.outputLayerActivation
    self.classCount = classCount
    if let classCount {
      let single =
        classCount == 2
        && (loss == .sigmoidCrossEntropy || loss == .binaryCrossEntropy || (config.outputActivation == .sigmoid && loss != .softmaxCrossEntropy && loss != .negativeLogLikelihood))
      outputCount = single ? 1 : classCount
    } else {
      outputCount = 1
    }
  }

  /// The model: dense hidden layers (each with its activation, dropout after each when
  /// asked), then the output layer, initialised from the config's seed; every weight and
  /// bias set to the preset's start value when it has one.
  func makeModel(config: PlaygroundConfig, inputCount: Int) -> Sequential {
    let sizes = [inputCount] + config.layers
    let initializer = config.initialization.initializer
    var layers: [any Layer] = []
    for (index, (input, output)) in zip(sizes, sizes.dropFirst()).enumerated() {
      layers.append(
        Dense(inputSize: input, outputSize: output, activation: config.activation(ofLayer: index), weightInitializer: initializer))
      if config.dropout > 0 { layers.append(Dropout(rate: config.dropout)) }
    }
    layers.append(
      Dense(
        inputSize: sizes[sizes.count - 1], outputSize: outputCount, activation: outputActivation,
        weightInitializer: initializer))
    var model = Sequential(seed: config.seed) { layers }
    if let start = config.preset?.initialParameterValue {
      model.parameterValues = model.parameterValues.map { Tensor(repeating: start, shape: $0.shape) }
    }
    return model
  }

  /// The outputs as the page reads them: probabilities for classes (the loss's implied
  /// softmax or sigmoid applied, exp after log-softmax), values for regression; `[N, outputs]`.
  func readable(_ outputs: Tensor) -> Tensor {
    if let implied = loss.impliedOutputActivation { return implied.apply(outputs) }
    if outputActivation == .logSoftmax { return exp(outputs) }
    return outputs
  }

  /// Per row of readable outputs: the predicted class and its probability (two classes
  /// on one unit: class 1 when p ≥ 0.5), or the value for regression (class nil).
  func predictions(_ readable: Tensor) -> [(classIndex: Int?, value: Float)] {
    let width = readable.shape[1]
    let scalars = readable.scalars
    return (0..<readable.shape[0]).map { row in
      let values = scalars[(row * width)..<((row + 1) * width)]
      guard classCount != nil else { return (nil, values.first ?? 0) }
      if width == 1 {
        let p = values[values.startIndex]
        return (p >= 0.5 ? 1 : 0, p)
      }
      var best = values.startIndex
      for index in values.indices where values[index] > values[best] { best = index }
      return (best - values.startIndex, values[best])
    }
  }

  /// The value the boundary shows for a row of readable outputs: the positive class's
  /// probability (two classes), `class + p` with p ≤ 0.999 (three or more), or the value.
  func boundaryValue(_ readable: ArraySlice<Float>) -> Float {
    guard let classCount, let first = readable.first else { return readable.first ?? 0 }
    if readable.count == 1 { return first }
    if classCount == 2 { return readable[readable.startIndex + 1] }
    var best = readable.startIndex
    for index in readable.indices where readable[index] > readable[best] { best = index }
    return Float(best - readable.startIndex) + Swift.min(readable[best], 0.999)
  }
}
