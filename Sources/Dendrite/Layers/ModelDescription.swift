/// A model as Dendrite's tools read it: its layers in the order they run, nested
/// ``Sequential``s flattened, each dense layer with the activation it applies in effect
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
        case .dense, .custom: true
        }
      }), case .dense(let inputs, let outputs, _) = entries[index].kind {
        entries[index].kind = .dense(inputSize: inputs, outputSize: outputs, activation: activation.activation)
      }
      entries.append(Entry(path: path, kind: .activation(activation.activation), layer: activation))
    case let dropout as Dropout:
      entries.append(Entry(path: path, kind: .dropout(rate: dropout.rate), layer: dropout))
    default:
      entries.append(Entry(
        path: path.isEmpty ? "the model (\(type(of: layer)))" : path, kind: .custom(typeName: String(describing: type(of: layer))),
        layer: layer))
    }
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
  /// perceptron), when the model is built in and starts with a dense layer; nil otherwise.
  public var widths: [Int]? {
    let dense = denseLayers
    guard isBuiltIn, let first = dense.first else { return nil }
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
