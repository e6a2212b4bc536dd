import Dendrite

/// A playground set-up: the URL hash keys of docs/playground-protocol.md, typed and checked
/// against ``PlaygroundLimits``.
///
/// Defaults fill keys that are missing (or empty); a `preset` is applied first and the
/// other keys override it; `loss` and `compareWith` default from the data set and the
/// comparison. ``json`` gives every key back, so a config survives the round trip.
///
///     let config = try PlaygroundConfig(hash: "dataset=xor&loss=softmax-cross-entropy&layers=4,2")
///     config.layers        // [4, 2]
///     config.json["dataset"]   // "xor"
public struct PlaygroundConfig: Sendable, Equatable {
  /// The data set (`dataset`).
  public var dataset: PlaygroundDataset = .circle
  /// The loss (`loss`); its default depends on the data set (``defaultLoss(for:)``).
  public var loss: Loss = .sigmoidCrossEntropy
  /// The hidden activations (`activation`): one for every layer, or one per layer.
  public var activations: [Activation] = [.tanh]
  /// The output layer's activation (`outputActivation`); nil for `auto`, the loss decides.
  public var outputActivation: Activation?
  /// The hidden layer widths (`layers`); empty for none.
  public var layers: [Int] = [4, 2]
  /// The learning rate (`learningRate`), in (0, 10].
  public var learningRate: Float = 0.03
  /// Rows per step (`batchSize`), 1…1000.
  public var batchSize = 10
  /// The optimizer (`optimizer`).
  public var optimizer: PlaygroundOptimizer = .sgd
  /// The weight initialisation (`init`).
  public var initialization: PlaygroundInitialization = .glorot
  /// Noise in percent of the data's spread (`noise`), 0…50.
  public var noise = 0
  /// The percentage of points used for training (`trainRatio`), 10…90.
  public var trainRatio = 50
  /// The number of points of a 2-D data set (`points`, an extension of the documented keys),
  /// 10…1000.
  public var points = PlaygroundLimits.defaultPoints
  /// The input features of a 2-D data set (`features`).
  public var features: [PlaygroundFeature] = [.x1, .x2]
  /// The weight penalty (`regularization`).
  public var regularization: PlaygroundRegularization = .none
  /// The penalty's rate (`regularizationRate`), ≥ 0.
  public var regularizationRate: Float = 0
  /// The dropout rate after every hidden layer (`dropout`), 0 ≤ rate < 1.
  public var dropout: Float = 0
  /// Seeds the data, the initial weights and the batches (`seed`).
  public var seed: UInt64 = 1
  /// What a race varies (`compare`); nil for one network.
  public var compare: PlaygroundComparison?
  /// The second network's value of the ``compare`` choice (`compareWith`), a loss, an
  /// activation or an init name; nil without a race.
  public var compareWith: String?
  /// The preset the config started from (`preset`).
  public var preset: PlaygroundPreset?
  /// Whether the page starts training on load (`play`).
  public var play = false

  /// The default config: circle, sigmoid cross-entropy, 4,2 tanh, SGD at 0.03.
  ///
  ///     PlaygroundConfig().dataset   // .circle
  public init() {}

  /// The loss a data set gets when none is given: sigmoid cross-entropy for two classes,
  /// softmax cross-entropy for more, MSE for regression.
  ///
  ///     PlaygroundConfig.defaultLoss(for: .gauss3)   // .softmaxCrossEntropy
  public static func defaultLoss(for dataset: PlaygroundDataset) -> Loss {
    switch dataset.classCount {
    case 2?: .sigmoidCrossEntropy
    case nil: .meanSquaredError
    default: .softmaxCrossEntropy
    }
  }

  /// The activation of hidden layer `index` (0-based).
  ///
  ///     try PlaygroundConfig(hash: "layers=4,2&activation=relu,tanh").activation(ofLayer: 1)   // .tanh
  public func activation(ofLayer index: Int) -> Activation {
    activations.count == 1 ? activations[0] : activations[Swift.min(index, activations.count - 1)]
  }

  /// The config as hash keys and values (numbers as JSON numbers, lists comma-separated),
  /// every key present, so that `PlaygroundConfig(json: config.json) == config`.
  ///
  ///     PlaygroundConfig().json["layers"]   // "4,2"
  public var json: JSONValue {
    .object([
      "dataset": .string(dataset.rawValue),
      "loss": .string(loss.name),
      "activation": .string(activations.map(\.name).joined(separator: ",")),
      "outputActivation": .string(outputActivation?.name ?? "auto"),
      "layers": .string(layers.map(String.init).joined(separator: ",")),
      "learningRate": .float(learningRate),
      "batchSize": .number(Double(batchSize)),
      "optimizer": .string(optimizer.rawValue),
      "init": .string(initialization.rawValue),
      "noise": .number(Double(noise)),
      "trainRatio": .number(Double(trainRatio)),
      "points": .number(Double(points)),
      "features": .string(features.map(\.rawValue).joined(separator: ",")),
      "regularization": .string(regularization.rawValue),
      "regularizationRate": .float(regularizationRate),
      "dropout": .float(dropout),
      "seed": .number(Double(seed)),
      "compare": .string(compare?.rawValue ?? ""),
      "compareWith": .string(compareWith ?? ""),
      "preset": .string(preset?.rawValue ?? ""),
      "play": .number(play ? 1 : 0),
    ])
  }

  /// The config as a URL hash (`dataset=xor&layers=4,2&…`), keys sorted, values
  /// URL-encoded where they need it.
  ///
  ///     PlaygroundConfig().hash.contains("dataset=circle")   // true
  public var hash: String {
    guard case .object(let fields) = json else { return "" }
    return fields.keys.sorted().map { key in
      let value: String
      switch fields[key] {
      case .string(let text)?: value = text
      case .number(let number)?: value = PlaygroundConfig.text(number)
      default: value = ""
      }
      return key + "=" + PlaygroundConfig.percentEncoded(value)
    }.joined(separator: "&")
  }
}
