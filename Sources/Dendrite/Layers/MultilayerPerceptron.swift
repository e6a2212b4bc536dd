extension Sequential {
  /// A multilayer perceptron: dense hidden layers of the given widths with one activation,
  /// then a dense output layer with its own activation.
  ///
  ///     // 64 → 32 (ReLU) → 10 logits
  ///     let model = Sequential.multilayerPerceptron(
  ///       inputSize: 64, hiddenSizes: [32], activation: .relu, outputSize: 10)
  ///
  /// Weights use ``Initializer/defaultWeights(for:)`` for each layer's activation unless
  /// `weightInitializer` overrides it for every layer; the whole model is initialised from
  /// `seed`. With `dropout` above 0, a ``Dropout`` layer of that rate follows every hidden
  /// layer.
  public static func multilayerPerceptron(
    inputSize: Int, hiddenSizes: [Int], activation: Activation, outputSize: Int,
    outputActivation: Activation = .linear, weightInitializer: Initializer? = nil, dropout: Float = 0,
    seed: UInt64 = 42
  ) -> Sequential {
    let sizes = [inputSize] + hiddenSizes
    return Sequential(seed: seed) {
      for (input, output) in zip(sizes, sizes.dropFirst()) {
        Dense(inputSize: input, outputSize: output, activation: activation, weightInitializer: weightInitializer)
        if dropout > 0 { Dropout(rate: dropout) }
      }
      Dense(
        inputSize: sizes[sizes.count - 1], outputSize: outputSize, activation: outputActivation,
        weightInitializer: weightInitializer)
    }
  }
}
