extension ArchitectureSpecification {
  /// The specification of a model's layers, read back from the layers themselves: the
  /// inverse of ``makeModel(inputShape:outputSize:outputActivation:seed:)``, output layer
  /// included (a model loaded from a file, say, has no text of its own). An `Unflatten` is
  /// left out (it is the input shape, not a layer of the text), and so is a linear
  /// activation; nested `Sequential`s are read in place.
  ///
  ///     let model = try ArchitectureSpecification(parsing: "conv(4,3),relu,flatten")
  ///       .makeModel(inputShape: [1, 8, 8], outputSize: 10)
  ///     ArchitectureSpecification(describing: model)?.description   // "conv(4,3),relu,flatten,dense(10)"
  ///
  /// - Returns: nil when a layer has no text in the grammar (a custom layer, a convolution
  ///   with a kernel that is not square).
  public init?(describing model: Sequential) {
    guard let layers = Self.read(model.layers) else { return nil }
    self.init(layers: layers)
  }

  private static func read(_ layers: [any Layer]) -> [LayerSpecification]? {
    var result: [LayerSpecification] = []
    for layer in layers {
      var activation = Activation.linear
      switch layer {
      case is Unflatten:
        continue
      case let convolution as Conv2D:
        let kernel = convolution.kernelSize
        guard kernel.height == kernel.width else { return nil }
        result.append(.convolution(
          filters: convolution.outChannels, kernelSize: kernel.height, stride: convolution.stride, padding: convolution.padding))
        activation = convolution.activation
      case let dense as Dense:
        result.append(.dense(units: dense.outputSize))
        activation = dense.activation
      case let pool as MaxPool2D:
        result.append(.maxPool(size: pool.size, stride: pool.stride == pool.size ? nil : pool.stride))
      case let pool as AveragePool2D:
        result.append(.averagePool(size: pool.size, stride: pool.stride == pool.size ? nil : pool.stride))
      case let layer as ActivationLayer:
        activation = layer.activation
      case is BatchNorm:
        result.append(.batchNorm)
      case is LayerNorm:
        result.append(.layerNorm)
      case let dropout as Dropout:
        result.append(.dropout(rate: dropout.rate))
      case is Flatten:
        result.append(.flatten)
      case let residual as Residual:
        guard let body = read(residual.layers) else { return nil }
        result.append(.residual(body))
      case let sequential as Sequential:
        guard let inner = read(sequential.layers) else { return nil }
        result += inner
      default:
        return nil
      }
      if activation != .linear { result.append(.activation(activation)) }
    }
    return result
  }
}
