extension ArchitectureSpecification {
  /// The most values one sample may hold after a convolution (2²⁴ floats, 64 MiB per
  /// sample): larger activations would exhaust memory within a batch.
  ///
  ///     ArchitectureSpecification.maximumSampleSize   // 16_777_216
  public static let maximumSampleSize = 1 << 24
  /// The most weights one convolution or dense layer may have (2²⁶ floats, 256 MiB), as
  /// `--layers` allows between two hidden layers.
  ///
  ///     ArchitectureSpecification.maximumWeights   // 67_108_864
  public static let maximumWeights = 1 << 26

  /// Builds the model for data of the given shape: the specification's layers, then a
  /// dense output layer of `outputSize` units with `outputActivation`, every parameter
  /// initialised from `seed` (as ``Sequential/init(seed:layers:)`` does).
  ///
  /// Rows `[N, D]` are what a ``Dataset`` holds, so when the specification takes images
  /// and `inputShape` is `[C, H, W]`, the model starts with `Unflatten(shape: inputShape)`.
  /// An activation right after a convolution or dense layer becomes that layer's own (so
  /// it gets He initialisation when ReLU-like), which computes the same function.
  ///
  ///     let spec = try ArchitectureSpecification(parsing: "conv(4,3),relu,maxpool(2),flatten,dense(16),relu")
  ///     let model = try spec.makeModel(inputShape: [1, 8, 8], outputSize: 3, seed: 7)
  ///     model(Tensor.zeros(shape: [5, 64])).shape   // [5, 3]
  ///
  /// - Parameters:
  ///   - inputShape: one sample: `[D]` for rows of D features, `[C, H, W]` for images.
  ///   - outputSize: the output layer's units (classes, or regression outputs).
  ///   - outputActivation: the output layer's activation (the loss's, say).
  ///   - seed: seeds the initial parameters.
  /// - Throws: ``ArchitectureSpecificationError`` naming the first layer that does not fit
  ///   its input and both shapes: `layer 7 dense(128) needs rows [N, D] but gets [N, 64, 5, 5];
  ///   put flatten before it`.
  public func makeModel(
    inputShape: [Int], outputSize: Int, outputActivation: Activation = .linear, seed: UInt64 = 42
  ) throws(ArchitectureSpecificationError) -> Sequential {
    guard (inputShape.count == 1 || inputShape.count == 3) && inputShape.allSatisfy({ $0 > 0 }) else {
      throw ArchitectureSpecificationError(
        "the input shape must be [D] for rows or [C, H, W] for images, with positive sizes, got \(inputShape)")
    }
    guard outputSize > 0 else { throw ArchitectureSpecificationError("the output layer needs at least one unit, got \(outputSize)") }
    let readsImages = takesImages && inputShape.count == 3
    var shape = readsImages ? inputShape : [inputShape.reduce(1, *)]
    var built: [any Layer] = readsImages ? [Unflatten(shape: inputShape)] : []
    built += try Self.build(layers, shape: &shape, prefix: "")
    let output = "the output layer dense(\(outputSize))"
    guard shape.count == 1 else {
      throw .misfit(output, "needs rows [N, D] but gets \(Self.show(shape)); end the specification with flatten")
    }
    try Self.checkWeights(Self.product([shape[0], outputSize]), layer: output)
    let outputLayer = Dense(inputSize: shape[0], outputSize: outputSize, activation: outputActivation)
    return Sequential(seed: seed) {
      built
      outputLayer
    }
  }

  /// `[N, 64, 5, 5]`: a shape with its batch axis.
  static func show(_ shape: [Int]) -> String { "[N, " + shape.map(String.init).joined(separator: ", ") + "]" }

  private static func checkWeights(_ count: Int, layer: String) throws(ArchitectureSpecificationError) {
    guard count <= maximumWeights else {
      throw .misfit(layer, "would have \(count) weights, more than \(maximumWeights) (256 MiB); use fewer units or filters, or more pooling before it")
    }
  }

  /// The layers for `specifications` on samples of `shape`, which becomes their output's shape.
  private static func build(
    _ specifications: [LayerSpecification], shape: inout [Int], prefix: String
  ) throws(ArchitectureSpecificationError) -> [any Layer] {
    var layers: [any Layer] = []
    var index = 0
    while index < specifications.count {
      let specification = specifications[index]
      let name = "\(prefix)layer \(index + 1) \(specification)"
      // An activation right after a convolution or dense layer is folded into it.
      var activation = Activation.linear
      if index + 1 < specifications.count, case .activation(let next) = specifications[index + 1] {
        switch specification {
        case .convolution, .dense: activation = next; index += 1
        default: break
        }
      }
      index += 1
      switch specification {
      case .convolution(let filters, let kernelSize, let stride, let padding):
        let (channels, height, width) = try imageAxes(shape, layer: name)
        let smallest = kernelSize - 2 * padding
        guard height >= smallest && width >= smallest else {
          throw .misfit(
            name, "needs images of at least \(smallest) × \(smallest) (kernel \(kernelSize), padding \(padding)) "
              + "but gets \(show(shape)); add padding or take out a pooling layer before it")
        }
        try checkWeights(product([filters, channels, kernelSize, kernelSize]), layer: name)
        shape = [filters, (height + 2 * padding - kernelSize) / stride + 1, (width + 2 * padding - kernelSize) / stride + 1]
        try checkSampleSize(shape, layer: name)
        // The convolution unfolds every window of the input into a row (im2col).
        let unfolded = product([shape[1], shape[2], channels, kernelSize, kernelSize])
        guard unfolded <= maximumWeights else {
          throw .misfit(
            name, "would unfold \(unfolded) values per sample for its kernel windows, more than \(maximumWeights); "
              + "use a smaller kernel, less padding or a larger stride")
        }
        layers.append(Conv2D(
          inChannels: channels, outChannels: filters, kernelSize: kernelSize, stride: stride, padding: padding,
          activation: activation))
      case .maxPool(let size, let stride), .averagePool(let size, let stride):
        let (channels, height, width) = try imageAxes(shape, layer: name)
        guard height >= size && width >= size else {
          throw .misfit(name, "needs images of at least \(size) × \(size) but gets \(show(shape)); take out a pooling layer or use a smaller size")
        }
        let step = stride ?? size
        shape = [channels, (height - size) / step + 1, (width - size) / step + 1]
        if case .maxPool = specification {
          layers.append(MaxPool2D(size: size, stride: step))
        } else {
          layers.append(AveragePool2D(size: size, stride: step))
        }
      case .dense(let units):
        let features = try rowWidth(shape, layer: name, needs: "needs")
        try checkWeights(product([features, units]), layer: name)
        shape = [units]
        layers.append(Dense(inputSize: features, outputSize: units, activation: activation))
      case .activation(let activation):
        layers.append(ActivationLayer(activation))
      case .batchNorm:
        layers.append(BatchNorm(featureCount: shape[0]))
      case .layerNorm:
        layers.append(LayerNorm(featureCount: try rowWidth(shape, layer: name, needs: "normalises")))
      case .dropout(let rate):
        layers.append(Dropout(rate: rate))
      case .flatten:
        shape = [shape.reduce(1, *)]
        layers.append(Flatten())
      case .residual(let body):
        var inner = shape
        let branch = try build(body, shape: &inner, prefix: "\(prefix)layer \(index) residual › ")
        guard inner == shape else {
          throw .misfit(
            name, "changes the shape \(show(shape)) → \(show(inner)); the layers inside residual(…) must keep their input's shape")
        }
        layers.append(Residual(layers: branch))
      }
    }
    return layers
  }

  private static func imageAxes(
    _ shape: [Int], layer: String
  ) throws(ArchitectureSpecificationError) -> (channels: Int, height: Int, width: Int) {
    guard shape.count == 3 else {
      throw .misfit(layer, "needs images [N, C, H, W] but gets rows \(show(shape)); give the data's image shape (C, H, W), and put no flatten before it")
    }
    return (shape[0], shape[1], shape[2])
  }

  private static func rowWidth(_ shape: [Int], layer: String, needs verb: String) throws(ArchitectureSpecificationError) -> Int {
    guard shape.count == 1 else {
      throw .misfit(layer, "\(verb) rows [N, D] but gets \(show(shape)); put flatten before it")
    }
    return shape[0]
  }

  private static func checkSampleSize(_ shape: [Int], layer: String) throws(ArchitectureSpecificationError) {
    let size = product(shape)
    guard size <= maximumSampleSize else {
      throw .misfit(layer, "makes samples of \(size) values (\(show(shape))), more than \(maximumSampleSize); use fewer filters or a larger stride")
    }
  }

  /// The product of `values`, or `Int.max` when it would overflow (every limit is far below).
  private static func product(_ values: [Int]) -> Int {
    var result = 1
    for value in values {
      let (next, overflow) = result.multipliedReportingOverflow(by: value)
      if overflow { return Int.max }
      result = next
    }
    return result
  }
}
