/// A model as Dendrite's tools read it: its layers in the order they run, nested
/// ``Sequential``s flattened (a ``Residual`` block is listed, then its layers, their paths
/// under it), each dense layer with the activation it applies in effect
/// (its own, or that of the ``ActivationLayer``s right after it). The advisor, the
/// fused-kernel planner and the command line all read this one description instead of
/// each looking for `Dense` in its own way.
///
///     let description = ModelDescription(Sequential {
///       Dense(inputSize: 4, outputSize: 8); ActivationLayer(.relu); Dense(inputSize: 8, outputSize: 3)
///     })
///     description.denseLayers.map(\.activation)   // [.relu, .linear]
///     description.widths                           // [4, 8, 3]
public struct ModelDescription: Sendable {
  /// One layer, where it sits and what it is.
  public struct Entry: Sendable {
    /// Where it sits: `layer 2 (Dense 8 → 3)`, or `layer 1 (Sequential) › layer 0 (…)` when nested.
    public var path: String
    /// What it is.
    public var kind: Kind
    /// The layer itself.
    public var layer: any Layer
  }

  /// What a layer is, as the tools need to know it.
  public enum Kind: Sendable, Equatable {
    /// A ``Dense`` layer and its effective activation (see ``ModelDescription``).
    case dense(inputSize: Int, outputSize: Int, activation: Activation)
    /// An ``ActivationLayer`` (also listed when folded into the dense layer before it).
    case activation(Activation)
    /// A ``Dropout`` layer.
    case dropout(rate: Float)
    /// A ``Conv2D`` layer and the activation it applies.
    case convolution(
      inChannels: Int, outChannels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int,
      activation: Activation)
    /// A ``MaxPool2D`` layer.
    case maxPooling(size: Int, stride: Int)
    /// An ``AveragePool2D`` layer.
    case averagePooling(size: Int, stride: Int)
    /// A ``Flatten`` layer.
    case flatten
    /// An ``Unflatten`` layer and the shape of one sample.
    case unflatten(shape: [Int])
    /// A ``BatchNorm`` layer over `featureCount` channels.
    case batchNorm(featureCount: Int)
    /// A ``LayerNorm`` layer over `featureCount` features.
    case layerNorm(featureCount: Int)
    /// A ``Residual`` block of `layerCount` layers, listed right after it.
    case residual(layerCount: Int)
    /// Any other layer (a custom layer, or a model that is not a `Sequential`), by type name.
    case custom(typeName: String)
  }

  /// The layers, in the order they run.
  public private(set) var entries: [Entry] = []

  /// Describes `model`.
  public init(_ model: any Layer) {
    append(model, path: "")
  }

  private mutating func append(_ layer: any Layer, path: String) {
    switch layer {
    case let sequential as Sequential:
      for (index, inner) in sequential.layers.enumerated() {
        let place = "\(path)layer \(index) (\(layerSummary(inner)))"
        if inner is Sequential { append(inner, path: place + " › ") } else { append(inner, path: place) }
      }
    case let dense as Dense:
      entries.append(Entry(
        path: path, kind: .dense(inputSize: dense.inputSize, outputSize: dense.outputSize, activation: dense.activation),
        layer: dense))
    case let activation as ActivationLayer:
      // Folded into the dense layer before it (dropout and other activation layers in
      // between are looked through): the last non-linear activation is the one in effect.
      if activation.activation != .linear, let index = entries.lastIndex(where: { entry in
        switch entry.kind {
        case .dropout, .activation: false
        default: true
        }
      }), case .dense(let inputs, let outputs, _) = entries[index].kind {
        entries[index].kind = .dense(inputSize: inputs, outputSize: outputs, activation: activation.activation)
      }
      entries.append(Entry(path: path, kind: .activation(activation.activation), layer: activation))
    case let dropout as Dropout:
      entries.append(Entry(path: path, kind: .dropout(rate: dropout.rate), layer: dropout))
    case let residual as Residual:
      entries.append(Entry(path: path, kind: .residual(layerCount: residual.layers.count), layer: residual))
      append(residual.body, path: path.isEmpty ? "" : path + " › ")
    default:
      appendBuiltIn(layer, path: path)
    }
  }

  /// Adds a convolutional, pooling, reshaping or normalisation layer, or else a custom one.
  private mutating func appendBuiltIn(_ layer: any Layer, path: String) {
    let kind: Kind
    switch layer {
    case let convolution as Conv2D:
      kind = .convolution(
        inChannels: convolution.inChannels, outChannels: convolution.outChannels,
        kernelHeight: convolution.kernelSize.height, kernelWidth: convolution.kernelSize.width,
        stride: convolution.stride, padding: convolution.padding, activation: convolution.activation)
    case let pool as MaxPool2D: kind = .maxPooling(size: pool.size, stride: pool.stride)
    case let pool as AveragePool2D: kind = .averagePooling(size: pool.size, stride: pool.stride)
    case is Flatten: kind = .flatten
    case let unflatten as Unflatten: kind = .unflatten(shape: unflatten.shape)
    case let batchNorm as BatchNorm: kind = .batchNorm(featureCount: batchNorm.featureCount)
    case let layerNorm as LayerNorm: kind = .layerNorm(featureCount: layerNorm.featureCount)
    default:
      entries.append(Entry(
        path: path.isEmpty ? "the model (\(type(of: layer)))" : path, kind: .custom(typeName: String(describing: type(of: layer))),
        layer: layer))
      return
    }
    entries.append(Entry(path: path, kind: kind, layer: layer))
  }

  /// The dense layers with their effective activations, in order.
  public var denseLayers: [(inputSize: Int, outputSize: Int, activation: Activation)] {
    entries.compactMap { entry in
      if case .dense(let inputs, let outputs, let activation) = entry.kind { (inputs, outputs, activation) } else { nil }
    }
  }

  /// Whether every layer is built in (no custom layer anywhere).
  public var isBuiltIn: Bool {
    !entries.contains { if case .custom = $0.kind { true } else { false } }
  }

  /// The input width and each dense layer's units (`[64, 32, 10]` for a 64-32-10
  /// perceptron), when the model is a perceptron (dense, activation and dropout layers
  /// only) that starts with a dense layer; nil otherwise.
  public var widths: [Int]? {
    let dense = denseLayers
    let isPerceptron = entries.allSatisfy { entry in
      switch entry.kind {
      case .dense, .activation, .dropout: true
      default: false
      }
    }
    guard isPerceptron, let first = dense.first else { return nil }
    return [first.inputSize] + dense.map(\.outputSize)
  }

  /// The activation the model applies last (the last dense layer's effective one), or nil
  /// when a custom layer comes after the last dense layer or there is none.
  public var outputActivation: Activation? {
    guard let last = entries.lastIndex(where: { if case .dense = $0.kind { true } else { false } }),
      !entries[last...].contains(where: { if case .custom = $0.kind { true } else { false } }),
      case .dense(_, _, let activation) = entries[last].kind
    else { return nil }
    return activation
  }
}

extension ModelDescription.Kind: CustomStringConvertible {
  /// The layer on one line, as `dendrite` prints it: `dense 64→32, relu`,
  /// `conv2d 1→32 3×3, relu`, `conv2d 8→16 3×3 stride 2 padding 1`, `maxpool 2`,
  /// `avgpool 3 stride 2`, `flatten`, `unflatten 1×28×28`, `batchnorm 32`, `layernorm 32`,
  /// `residual (3 layers)`, `dropout 0.2`, `activation relu`, or a custom layer's type name.
  ///
  ///     ModelDescription(Conv2D(inChannels: 1, outChannels: 32, kernelSize: 3, activation: .relu))
  ///       .entries[0].kind.description   // "conv2d 1→32 3×3, relu"
  public var description: String {
    func activated(_ text: String, _ activation: Activation) -> String {
      activation == .linear ? text : "\(text), \(activation.name)"
    }
    func pooling(_ name: String, _ size: Int, _ stride: Int) -> String {
      stride == size ? "\(name) \(size)" : "\(name) \(size) stride \(stride)"
    }
    switch self {
    case .dense(let inputs, let outputs, let activation): return activated("dense \(inputs)→\(outputs)", activation)
    case .activation(let activation): return "activation \(activation.name)"
    case .dropout(let rate): return "dropout \(rate)"
    case .convolution(let inputs, let outputs, let height, let width, let stride, let padding, let activation):
      let options = (stride == 1 ? "" : " stride \(stride)") + (padding == 0 ? "" : " padding \(padding)")
      return activated("conv2d \(inputs)→\(outputs) \(height)×\(width)\(options)", activation)
    case .maxPooling(let size, let stride): return pooling("maxpool", size, stride)
    case .averagePooling(let size, let stride): return pooling("avgpool", size, stride)
    case .flatten: return "flatten"
    case .unflatten(let shape): return "unflatten " + shape.map(String.init).joined(separator: "×")
    case .batchNorm(let features): return "batchnorm \(features)"
    case .layerNorm(let features): return "layernorm \(features)"
    case .residual(let count): return "residual (\(count) layer\(count == 1 ? "" : "s"))"
    case .custom(let name): return name
    }
  }
}
