/// How layers map onto the modules of the equivalent PyTorch `nn.Sequential`, which gives
/// parameter names (`0.weight`, `2.weight`) and the entries of a model file's
/// `dendrite.architecture.layers`. Model files are the reason this exists, so it lives
/// here and not in ``Layer``: a layer needs to know nothing of it.
///
/// | layer | modules | entries |
/// | --- | --- | --- |
/// | ``Dense`` | 1, or 2 with an activation (Linear, then the activation) | `{"type": "dense", "in", "out"}` (+ `{"type": "activation", "name"}`) |
/// | ``ActivationLayer`` | 1 (0 for `.linear`) | `{"type": "activation", "name"}` |
/// | ``Dropout`` | 1 | `{"type": "dropout", "rate"}` |
/// | ``Conv2D`` | 1, or 2 with an activation (Conv2d, then the activation) | `{"type": "conv2d", "in", "out", "kernel": [kh, kw], "stride", "padding"}` (+ activation) |
/// | ``MaxPool2D`` / ``AveragePool2D`` | 1 (MaxPool2d / AvgPool2d) | `{"type": "maxpool2d" / "avgpool2d", "kernel", "stride"}` |
/// | ``Flatten`` | 1 | `{"type": "flatten"}` |
/// | ``Unflatten`` | 1 (Unflatten(1, shape)) | `{"type": "unflatten", "shape": [C, H, W]}` |
/// | ``BatchNorm`` | 1 (BatchNorm1d for input rank 2 or 3, BatchNorm2d for 4; buffers `running_mean`, `running_var`, `num_batches_tracked`) | `{"type": "batchnorm", "features", "momentum", "epsilon", "input_rank"}` (`input_rank` absent when a custom layer before it hides the rank) |
/// | ``LayerNorm`` | 1 | `{"type": "layernorm", "features", "epsilon"}` |
/// | ``Residual`` | 1, its body numbered inside it as a nested `nn.Sequential` (`2.0.weight`): in PyTorch an `nn.Sequential` subclass whose forward returns x + super().forward(x) | `{"type": "residual", "layers": [its body's entries]}` |
/// | ``Sequential`` | the sum of its layers' (flattened) | its layers' entries |
/// | a ``SavableLayer`` | 1 | `{"type": "custom", "name", "config", "parameters"}` |
/// | any other layer | 1 | none: saving throws ``ModelFileError/Reason/unsavableLayer(layer:type:)`` |
enum ModuleNumbering {
  /// How many `nn.Sequential` modules `layer` takes.
  static func moduleCount(of layer: any Layer) -> Int {
    switch layer {
    case let dense as Dense: dense.activation == .linear ? 1 : 2
    case let convolution as Conv2D: convolution.activation == .linear ? 1 : 2
    case let activation as ActivationLayer: activation.activation == .linear ? 0 : 1
    case let sequential as Sequential: sequential.layers.reduce(0) { $0 + moduleCount(of: $1) }
    default: 1
    }
  }

  /// The model's `dendrite.architecture.layers` entries, one per module.
  ///
  /// - Throws: ``ModelFileError`` naming the first layer a model file cannot store.
  static func architecture(of model: Sequential) throws(ModelFileError) -> [JSONValue] {
    var entries: [JSONValue] = []
    try append(model.layers, path: "", to: &entries)
    var rank: Int? = 2  // a model file feeds rows
    return recordingInputRanks(entries, rank: &rank)
  }

  /// `entries` with each batchnorm entry's `input_rank` (2, 3 or 4: which of PyTorch's
  /// BatchNorm1d and BatchNorm2d it is), followed from `rank`, the rank going in; nil from
  /// a custom layer on, whose output rank the entries do not say.
  private static func recordingInputRanks(_ entries: [JSONValue], rank: inout Int?) -> [JSONValue] {
    entries.map { entry in
      guard case .object(var fields) = entry, case .string(let type)? = fields["type"] else { return entry }
      switch type {
      case "dense", "flatten": rank = 2
      case "conv2d", "maxpool2d", "avgpool2d": rank = 4
      case "unflatten": rank = fields["shape"]?.numbers.map { 1 + $0.count }
      case "custom": rank = nil
      case "batchnorm": if let rank { fields["input_rank"] = .number(Double(rank)) }
      case "residual":
        var inner = rank
        if case .array(let body)? = fields["layers"] { fields["layers"] = .array(recordingInputRanks(body, rank: &inner)) }
      default: break
      }
      return .object(fields)
    }
  }

  private static func append(_ layers: [any Layer], path: String, to entries: inout [JSONValue]) throws(ModelFileError) {
    for (index, layer) in layers.enumerated() {
      switch layer {
      case let dense as Dense:
        entries.append(["type": "dense", "in": .number(Double(dense.inputSize)), "out": .number(Double(dense.outputSize))])
        if dense.activation != .linear { entries.append(["type": "activation", "name": .string(dense.activation.name)]) }
      case let activation as ActivationLayer:
        if activation.activation != .linear {
          entries.append(["type": "activation", "name": .string(activation.activation.name)])
        }
      case let dropout as Dropout:
        entries.append(["type": "dropout", "rate": .float(dropout.rate)])
      case let convolution as Conv2D:
        entries.append([
          "type": "conv2d", "in": .number(Double(convolution.inChannels)), "out": .number(Double(convolution.outChannels)),
          "kernel": .array([convolution.kernelSize.height, convolution.kernelSize.width].map { .number(Double($0)) }),
          "stride": .number(Double(convolution.stride)), "padding": .number(Double(convolution.padding)),
        ])
        if convolution.activation != .linear {
          entries.append(["type": "activation", "name": .string(convolution.activation.name)])
        }
      case let pool as MaxPool2D:
        entries.append(["type": "maxpool2d", "kernel": .number(Double(pool.size)), "stride": .number(Double(pool.stride))])
      case let pool as AveragePool2D:
        entries.append(["type": "avgpool2d", "kernel": .number(Double(pool.size)), "stride": .number(Double(pool.stride))])
      case is Flatten:
        entries.append(["type": "flatten"])
      case let unflatten as Unflatten:
        entries.append(["type": "unflatten", "shape": .array(unflatten.shape.map { .number(Double($0)) })])
      case let batchNorm as BatchNorm:
        entries.append([
          "type": "batchnorm", "features": .number(Double(batchNorm.featureCount)), "momentum": .float(batchNorm.momentum),
          "epsilon": .float(batchNorm.epsilon),
        ])
      case let layerNorm as LayerNorm:
        entries.append(["type": "layernorm", "features": .number(Double(layerNorm.featureCount)), "epsilon": .float(layerNorm.epsilon)])
      case let residual as Residual:
        var body: [JSONValue] = []
        try append(residual.layers, path: "\(path)layer \(index) (Residual) › ", to: &body)
        entries.append(["type": "residual", "layers": .array(body)])
      case let sequential as Sequential:
        try append(sequential.layers, path: "\(path)layer \(index) (Sequential) › ", to: &entries)
      case let savable as any SavableLayer:
        let parameters = zip(savable.parameterNames, savable.parameterValues).map { name, value -> JSONValue in
          ["name": .string(name), "shape": .array(value.shape.map { .number(Double($0)) })]
        }
        entries.append([
          "type": "custom", "name": .string(type(of: savable).typeName), "config": savable.configuration,
          "parameters": .array(parameters),
        ])
      default:
        throw ModelFileError(
          .unsavableLayer(layer: "\(path)layer \(index) (\(layerSummary(layer)))", type: String(describing: type(of: layer))))
      }
    }
  }
}
