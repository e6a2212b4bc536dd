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
/// | ``Sequential`` | the sum of its layers' (flattened) | its layers' entries |
/// | a ``SavableLayer`` | 1 | `{"type": "custom", "name", "config", "parameters"}` |
/// | any other layer | 1 | none: saving throws ``ModelFileError/Reason/unsavableLayer(layer:type:)`` |
enum ModuleNumbering {
  /// How many `nn.Sequential` modules `layer` takes.
  static func moduleCount(of layer: any Layer) -> Int {
    switch layer {
    case let dense as Dense: dense.activation == .linear ? 1 : 2
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
    return entries
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
