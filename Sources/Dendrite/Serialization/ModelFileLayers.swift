// The modules of a model file's `dendrite.architecture.layers`: what each entry says, the
// checks that keep it buildable, and the tensors (parameters and buffers) it implies.

extension ModelFileFormat {
  /// One module of `dendrite.architecture.layers` (ModuleNumbering writes them).
  enum LayerSpec: Equatable {
    case dense(in: Int, out: Int)
    case activation(Activation)
    case dropout(Float)
    /// `nn.Conv2d(in, out, kernel, stride, padding)`; `kernel` is `[height, width]`.
    case conv2d(in: Int, out: Int, kernel: [Int], stride: Int, padding: Int)
    /// `nn.MaxPool2d(kernel, stride)`.
    case maxPool2d(kernel: Int, stride: Int)
    /// `nn.AvgPool2d(kernel, stride)`.
    case avgPool2d(kernel: Int, stride: Int)
    /// `nn.Flatten()`.
    case flatten
    /// `nn.Unflatten(1, shape)`.
    case unflatten(shape: [Int])
    /// `nn.BatchNorm1d` / `nn.BatchNorm2d(features, eps, momentum)`, with buffers.
    case batchNorm(features: Int, momentum: Float, epsilon: Float)
    /// `nn.LayerNorm(features, eps)`.
    case layerNorm(features: Int, epsilon: Float)
    /// y = x + body(x), body numbered as a nested `nn.Sequential`.
    case residual([LayerSpec])
    /// A ``SavableLayer``: its type name, configuration and parameters (name and shape).
    case custom(name: String, configuration: JSONValue, parameters: [ParameterSpec])
  }

  /// A custom layer's parameter as the architecture lists it.
  struct ParameterSpec: Equatable {
    var name: String
    var shape: [Int]
  }

  /// The buffer names of a batch-norm module, PyTorch's, with their shapes for `features` channels.
  static func batchNormBuffers(features: Int) -> [(name: String, shape: [Int])] {
    [("running_mean", [features]), ("running_var", [features]), ("num_batches_tracked", [])]
  }

  /// The modules of an architecture's `layers`, checked: known types, valid sizes, rates
  /// and options, and dense and normalisation layers whose widths chain where they are known.
  /// `width` is the row width going in, when known; `path` prefixes layer numbers in messages
  /// (`2.` inside the residual block that is module 2).
  static func parseLayers(
    _ value: JSONValue, width: Int? = nil, path: String = "", fail: (String) -> ModelFileError
  ) throws(ModelFileError) -> [LayerSpec] {
    guard case .array(let entries) = value else {
      throw fail(path.isEmpty ? "\"layers\" is not an array" : "residual layer \(path.dropLast()) has no \"layers\" array")
    }
    var layers: [LayerSpec] = []
    var width = width
    for (position, entry) in entries.enumerated() {
      let index = "\(path)\(position)"
      guard case .string(let type) = entry["type"] else { throw fail("layer \(index) has no \"type\"") }
      func integer(_ key: String, minimum: Int = 1) -> Int? {
        guard let value = entry[key].flatMap({ JSONText.nonNegativeIntegers([$0])?.first }), value >= minimum else {
          return nil
        }
        return value
      }
      /// A finite number in `range`, or nil.
      func number(_ key: String, in range: ClosedRange<Double>) -> Float? {
        guard case .number(let value)? = entry[key], range.contains(value), Float(value).isFinite else { return nil }
        return Float(value)
      }
      func checkWidth(_ features: Int, _ what: String) throws(ModelFileError) {
        if let width, width != features {
          throw fail("\(what) layer \(index) takes \(features) features but the layer before gives \(width)")
        }
      }
      switch type {
      case "dense":
        guard let inputs = integer("in"), let outputs = integer("out") else {
          throw fail("dense layer \(index) needs positive integers \"in\" and \"out\"")
        }
        if let width, width != inputs {
          throw fail("dense layer \(index) takes \(inputs) inputs but the layer before has \(width) units")
        }
        width = outputs
        layers.append(.dense(in: inputs, out: outputs))
      case "activation":
        guard case .string(let name) = entry["name"], let activation = Activation(name: name), activation != .linear
        else {
          let known = CommandLineNames.list(CommandLineNames.activations.filter { $0 != Activation.linear.name })
          throw fail(
            "activation layer \(index) has unknown name \(JSONText.encode(entry["name"] ?? .null)) (known: \(known))")
        }
        layers.append(.activation(activation))
      case "dropout":
        guard case .number(let rate)? = entry["rate"], rate >= 0, Float(rate) < 1 else {
          throw fail("dropout layer \(index) needs a \"rate\" in [0, 1)")
        }
        layers.append(.dropout(Float(rate)))
      case "conv2d":
        guard let inputs = integer("in"), let outputs = integer("out"),
          let kernel = entry["kernel"].flatMap(JSONText.nonNegativeIntegers), kernel.count == 2, kernel.allSatisfy({ $0 > 0 }),
          let stride = integer("stride"), let padding = integer("padding", minimum: 0)
        else {
          throw fail(
            "conv2d layer \(index) needs positive integers \"in\", \"out\" and \"stride\", a \"kernel\" [height, width] "
              + "of positive integers and a non-negative integer \"padding\"")
        }
        width = nil
        layers.append(.conv2d(in: inputs, out: outputs, kernel: kernel, stride: stride, padding: padding))
      case "maxpool2d", "avgpool2d":
        guard let kernel = integer("kernel"), let stride = integer("stride") else {
          throw fail("\(type) layer \(index) needs positive integers \"kernel\" and \"stride\"")
        }
        width = nil
        layers.append(type == "maxpool2d" ? .maxPool2d(kernel: kernel, stride: stride) : .avgPool2d(kernel: kernel, stride: stride))
      case "flatten":
        width = nil
        layers.append(.flatten)
      case "unflatten":
        guard let shape = entry["shape"].flatMap(JSONText.nonNegativeIntegers), !shape.isEmpty, shape.allSatisfy({ $0 > 0 }),
          let features = product(shape)
        else {
          throw fail("unflatten layer \(index) needs a \"shape\" of positive integers, such as [1, 28, 28]")
        }
        try checkWidth(features, "unflatten")
        width = nil
        layers.append(.unflatten(shape: shape))
      case "batchnorm":
        guard let features = integer("features"), let momentum = number("momentum", in: 0...1),
          let epsilon = number("epsilon", in: 0...Double.greatestFiniteMagnitude)
        else {
          throw fail(
            "batchnorm layer \(index) needs a positive integer \"features\", a \"momentum\" in [0, 1] and an \"epsilon\" ≥ 0")
        }
        if let rank = entry["input_rank"], ![2, 3, 4].contains(integer("input_rank") ?? 0) {
          throw fail("batchnorm layer \(index) has \"input_rank\" \(JSONText.encode(rank)), not 2, 3 or 4")
        }
        try checkWidth(features, "batchnorm")
        layers.append(.batchNorm(features: features, momentum: momentum, epsilon: epsilon))
      case "layernorm":
        guard let features = integer("features"), let epsilon = number("epsilon", in: 0...Double.greatestFiniteMagnitude)
        else {
          throw fail("layernorm layer \(index) needs a positive integer \"features\" and an \"epsilon\" ≥ 0")
        }
        try checkWidth(features, "layernorm")
        layers.append(.layerNorm(features: features, epsilon: epsilon))
      case "residual":
        let body = try parseLayers(entry["layers"] ?? .null, width: width, path: "\(index).", fail: fail)
        layers.append(.residual(body))
      case "custom":
        guard case .string(let name) = entry["name"], !name.isEmpty, case .array(let list) = entry["parameters"] else {
          throw fail("custom layer \(index) needs a \"name\" and a \"parameters\" list")
        }
        var parameters: [ParameterSpec] = []
        for item in list {
          guard case .string(let parameter) = item["name"], let shape = item["shape"].flatMap(JSONText.nonNegativeIntegers)
          else {
            throw fail("custom layer \(index) has a parameter without a \"name\" and a \"shape\" of non-negative integers")
          }
          parameters.append(ParameterSpec(name: parameter, shape: shape))
        }
        width = nil  // the chain of dense widths restarts after a layer of unknown width
        layers.append(.custom(name: name, configuration: entry["config"] ?? .null, parameters: parameters))
      default:
        throw fail("layer \(index) has unknown type \"\(type)\"")
      }
    }
    return layers
  }

  /// The product of `shape`, or nil when it overflows.
  private static func product(_ shape: [Int]) -> Int? {
    var result = 1
    for axis in shape {
      let (next, overflow) = result.multipliedReportingOverflow(by: axis)
      guard !overflow else { return nil }
      result = next
    }
    return result
  }

  /// The parameter names and shapes the layers imply, in order; nested modules (a residual
  /// block's) are prefixed with their block's number.
  static func expectedParameters(_ layers: [LayerSpec], prefix: String = "") -> [(name: String, shape: [Int])] {
    layers.enumerated().flatMap { index, layer -> [(name: String, shape: [Int])] in
      let module = "\(prefix)\(index)."
      return switch layer {
      case .dense(let inputs, let outputs): [(module + "weight", [outputs, inputs]), (module + "bias", [outputs])]
      case .conv2d(let inputs, let outputs, let kernel, _, _):
        [(module + "weight", [outputs, inputs] + kernel), (module + "bias", [outputs])]
      case .batchNorm(let features, _, _), .layerNorm(let features, _):
        [(module + "weight", [features]), (module + "bias", [features])]
      case .residual(let body): expectedParameters(body, prefix: module)
      case .custom(_, _, let parameters): parameters.map { (module + $0.name, $0.shape) }
      case .activation, .dropout, .maxPool2d, .avgPool2d, .flatten, .unflatten: []
      }
    }
  }

  /// The buffer names and shapes the layers imply (batch norm's running statistics), in order.
  static func expectedBuffers(_ layers: [LayerSpec], prefix: String = "") -> [(name: String, shape: [Int])] {
    layers.enumerated().flatMap { index, layer -> [(name: String, shape: [Int])] in
      let module = "\(prefix)\(index)."
      return switch layer {
      case .batchNorm(let features, _, _): batchNormBuffers(features: features).map { (module + $0.name, $0.shape) }
      case .residual(let body): expectedBuffers(body, prefix: module)
      default: []
      }
    }
  }

  /// The tensor `name` of the given shape, stored as F32.
  ///
  /// - Throws: ``ModelFileError`` when it is missing, of another shape, or stored as I64.
  static func parameter(
    _ file: SafetensorsFile, _ name: String, shape: [Int], layer: String
  ) throws(ModelFileError) -> Tensor {
    guard let tensor = file[name] else { throw ModelFileError(.missingTensor(name, layer: layer)) }
    guard tensor.shape == shape else {
      throw ModelFileError(.wrongTensorShape(name, shape: tensor.shape, expected: shape, layer: layer))
    }
    if let type = file.elementType(of: name), type != .float32 {
      throw ModelFileError(.unsupportedDType(tensor: name, dtype: type.rawValue))
    }
    return tensor
  }
}

extension [ModelFileFormat.LayerSpec] {
  /// The row width the first layer that shows one takes: a dense layer's inputs, an
  /// unflatten layer's C·H·W, a normalisation layer's features (looking into a leading
  /// residual block); nil when the first such layer is a custom, convolution, pooling or
  /// flatten layer, whose width the architecture does not record.
  var leadingInputWidth: Int? {
    for layer in self {
      switch layer {
      case .dense(let inputs, _): return inputs
      case .unflatten(let shape): return shape.reduce(1, *)
      case .batchNorm(let features, _, _), .layerNorm(let features, _): return features
      case .residual(let body): return body.leadingInputWidth
      case .custom, .conv2d, .maxPool2d, .avgPool2d, .flatten: return nil
      case .activation, .dropout: continue
      }
    }
    return nil
  }

  /// The first layer when it takes images `[N, C, H, W]` (convolution or pooling), which
  /// rows of a model file cannot feed; nil otherwise.
  var leadingImageLayer: ModelFileFormat.LayerSpec? {
    for layer in self {
      switch layer {
      case .conv2d, .maxPool2d, .avgPool2d: return layer
      case .residual(let body): return body.leadingImageLayer
      case .activation, .dropout: continue
      default: return nil
      }
    }
    return nil
  }
}
