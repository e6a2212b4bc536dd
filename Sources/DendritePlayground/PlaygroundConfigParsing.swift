import Dendrite
import Foundation

extension PlaygroundConfig {
  /// The keys a config understands, in the documented order (`points` is an extension).
  ///
  ///     PlaygroundConfig.keys.first   // "dataset"
  public static let keys = [
    "dataset", "loss", "activation", "outputActivation", "layers", "learningRate", "batchSize", "optimizer", "init",
    "noise", "trainRatio", "points", "features", "regularization", "regularizationRate", "dropout", "seed", "compare",
    "compareWith", "preset", "play",
  ]

  /// The largest seed: seeds travel as JSON numbers, exact up to 2⁵³.
  static let maximumSeed: UInt64 = 1 << 53

  /// Reads the `config` object of a `start` message: hash keys with string or number
  /// values (`"0.03"` and `0.03` alike; `true`/`false` for `play` too).
  ///
  ///     let config = try PlaygroundConfig(json: ["dataset": "xor", "learningRate": 0.1, "layers": "4,2"])
  ///
  /// - Throws: ``PlaygroundError`` naming the key: an unknown key or value, a value
  ///   beyond ``PlaygroundLimits``, a loss that does not suit the data set.
  public init(json: JSONValue) throws(PlaygroundError) {
    guard case .object(let fields) = json else {
      throw PlaygroundError("config: expected an object of hash keys, like {\"dataset\": \"xor\"}")
    }
    var values: [String: String] = [:]
    for (key, value) in fields {
      switch value {
      case .string(let text): values[key] = text
      case .number(let number): values[key] = PlaygroundConfig.text(number)
      case .bool(let flag): values[key] = flag ? "1" : "0"
      case .null: values[key] = ""
      case .array, .object: throw PlaygroundError("\(key): expected a string or a number")
      }
    }
    try self.init(values: values)
  }

  /// Reads a URL hash: `key=value` pairs joined by `&`, values URL-encoded (a leading `#`
  /// is skipped).
  ///
  ///     let config = try PlaygroundConfig(hash: "dataset=xor&loss=mse&layers=4,2")
  ///
  /// - Throws: ``PlaygroundError`` as ``init(json:)``, or for a pair without `=`.
  public init(hash: String) throws(PlaygroundError) {
    var values: [String: String] = [:]
    let text = hash.hasPrefix("#") ? String(hash.dropFirst()) : hash
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
      guard let equals = pair.firstIndex(of: "=") else {
        throw PlaygroundError("\(pair): expected key=value")
      }
      let key = String(pair[..<equals])
      let raw = String(pair[pair.index(after: equals)...]).replacingOccurrences(of: "+", with: " ")
      values[key] = raw.removingPercentEncoding ?? raw
    }
    try self.init(values: values)
  }

  /// Builds a config from key → text: defaults, then the preset, then the keys, then
  /// the defaults that depend on others, then the checks across keys.
  init(values: [String: String]) throws(PlaygroundError) {
    self.init()
    if let unknown = values.keys.sorted().first(where: { !PlaygroundConfig.keys.contains($0) }) {
      throw PlaygroundError(
        "\(unknown): unknown key; the keys are \(PlaygroundConfig.keys.joined(separator: ", "))")
    }
    let given = values.mapValues { $0.trimmingCharacters(in: .whitespaces) }
    if let name = given["preset"], !name.isEmpty {
      guard let preset = PlaygroundPreset(rawValue: name) else {
        throw PlaygroundError(
          "preset: unknown preset \(name); use one of \(PlaygroundPreset.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      preset.apply(to: &self)
    }
    var lossGiven = false
    var compareWithGiven = false
    for key in PlaygroundConfig.keys where key != "preset" {
      guard let value = given[key] else { continue }
      if value.isEmpty && key != "layers" && key != "compare" && key != "compareWith" { continue }
      try apply(key: key, value: value)
      if key == "loss" { lossGiven = true }
      if key == "compareWith" && !value.isEmpty { compareWithGiven = true }
    }
    if !lossGiven {
      // A preset's loss stays unless the data set given with it needs another.
      let presetLossFits = (try? PlaygroundConfig.check(loss: loss, key: "loss", dataset: dataset)) != nil
      if preset == nil || !presetLossFits { loss = PlaygroundConfig.defaultLoss(for: dataset) }
    }
    if let compare, !compareWithGiven && compareWith == nil { compareWith = compare.defaultCompareWith }
    if compare == nil { compareWith = nil }
    try validate()
  }

  /// Sets one key from its text.
  private mutating func apply(key: String, value: String) throws(PlaygroundError) {
    func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(PlaygroundError) -> T where T.RawValue == String {
      guard let result = T(rawValue: value) else {
        throw PlaygroundError("\(key): unknown value \(value); use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return result
    }
    switch key {
    case "dataset": dataset = try choice(PlaygroundDataset.self)
    case "loss":
      guard let parsed = Loss(name: value), parsed != .categoricalCrossEntropy else {
        throw PlaygroundError("loss: unknown value \(value); use one of \(PlaygroundConfig.lossNames.joined(separator: ", "))")
      }
      loss = parsed
    case "activation":
      var parsed: [Activation] = []
      for name in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
        guard let activation = Activation(name: name), PlaygroundConfig.hiddenActivations.contains(activation) else {
          throw PlaygroundError(
            "activation: unknown activation \(name); use one of \(PlaygroundConfig.hiddenActivations.map(\.name).joined(separator: ", ")), or one per layer, comma-separated")
        }
        parsed.append(activation)
      }
      guard !parsed.isEmpty else { throw PlaygroundError("activation: give an activation, like tanh") }
      activations = parsed
    case "outputActivation":
      if value == "auto" {
        outputActivation = nil
      } else {
        guard let activation = Activation(name: value), PlaygroundConfig.outputActivations.contains(activation) else {
          throw PlaygroundError(
            "outputActivation: unknown value \(value); use auto, \(PlaygroundConfig.outputActivations.map(\.name).joined(separator: ", "))")
        }
        outputActivation = activation
      }
    case "layers": layers = try PlaygroundConfig.widths(value)
    case "learningRate":
      let rate = try PlaygroundConfig.number(key, value)
      guard rate > 0 && rate <= PlaygroundLimits.maximumLearningRate else {
        throw PlaygroundError("learningRate: must be above 0 and at most \(PlaygroundConfig.text(Double(PlaygroundLimits.maximumLearningRate))) (got \(value))")
      }
      learningRate = rate
    case "batchSize":
      batchSize = try PlaygroundConfig.whole(key, value, in: 1...PlaygroundLimits.maximumBatchSize)
    case "optimizer": optimizer = try choice(PlaygroundOptimizer.self)
    case "init": initialization = try choice(PlaygroundInitialization.self)
    case "noise": noise = try PlaygroundConfig.whole(key, value, in: 0...50)
    case "trainRatio": trainRatio = try PlaygroundConfig.whole(key, value, in: 10...90)
    case "points":
      points = try PlaygroundConfig.whole(key, value, in: PlaygroundLimits.minimumPoints...PlaygroundLimits.maximumPoints)
    case "features":
      var parsed: [PlaygroundFeature] = []
      for name in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
        guard let feature = PlaygroundFeature(rawValue: name) else {
          throw PlaygroundError(
            "features: unknown feature \(name); use \(PlaygroundFeature.allCases.map(\.rawValue).joined(separator: ", ")), comma-separated")
        }
        if !parsed.contains(feature) { parsed.append(feature) }
      }
      guard !parsed.isEmpty else { throw PlaygroundError("features: give at least one feature, like x1,x2") }
      features = parsed
    case "regularization": regularization = try choice(PlaygroundRegularization.self)
    case "regularizationRate":
      let rate = try PlaygroundConfig.number(key, value)
      guard rate >= 0 else { throw PlaygroundError("regularizationRate: must be at least 0 (got \(value))") }
      regularizationRate = rate
    case "dropout":
      let rate = try PlaygroundConfig.number(key, value)
      guard rate >= 0 && rate < 1 else { throw PlaygroundError("dropout: must be at least 0 and below 1 (got \(value))") }
      dropout = rate
    case "seed":
      guard let parsed = UInt64(value), parsed <= PlaygroundConfig.maximumSeed else {
        throw PlaygroundError("seed: a whole number from 0 to \(PlaygroundConfig.maximumSeed) (got \(value))")
      }
      seed = parsed
    case "compare":
      compare = value.isEmpty ? nil : try choice(PlaygroundComparison.self)
    case "compareWith": compareWith = value.isEmpty ? nil : value
    case "play":
      guard value == "0" || value == "1" else { throw PlaygroundError("play: 0 or 1 (got \(value))") }
      play = value == "1"
    default: break
    }
  }

  /// The checks of a whole config, also one built in code rather than parsed: every value
  /// against its limit, activations per layer, the loss against the data set, the race's
  /// second value.
  func validate() throws(PlaygroundError) {
    _ = try PlaygroundConfig.widths(layers.map(String.init).joined(separator: ","))
    if activations.isEmpty { throw PlaygroundError("activation: give an activation, like tanh") }
    if features.isEmpty { throw PlaygroundError("features: give at least one feature, like x1,x2") }
    for (key, value, range) in [
      ("batchSize", batchSize, 1...PlaygroundLimits.maximumBatchSize), ("noise", noise, 0...50),
      ("trainRatio", trainRatio, 10...90), ("points", points, PlaygroundLimits.minimumPoints...PlaygroundLimits.maximumPoints),
    ] {
      _ = try PlaygroundConfig.whole(key, String(value), in: range)
    }
    if !(learningRate > 0 && learningRate <= PlaygroundLimits.maximumLearningRate) {
      throw PlaygroundError("learningRate: must be above 0 and at most \(PlaygroundConfig.text(Double(PlaygroundLimits.maximumLearningRate))) (got \(learningRate))")
    }
    if !(regularizationRate >= 0 && regularizationRate.isFinite) {
      throw PlaygroundError("regularizationRate: must be at least 0 (got \(regularizationRate))")
    }
    if !(dropout >= 0 && dropout < 1) { throw PlaygroundError("dropout: must be at least 0 and below 1 (got \(dropout))") }
    if seed > PlaygroundConfig.maximumSeed {
      throw PlaygroundError("seed: a whole number from 0 to \(PlaygroundConfig.maximumSeed) (got \(seed))")
    }
    if activations.count > 1 && activations.count != layers.count {
      throw PlaygroundError(
        "activation: \(activations.count) activations for \(layers.count) hidden layers; give one for every layer, or one per layer")
    }
    try PlaygroundConfig.check(loss: loss, key: "loss", dataset: dataset)
    guard let compare else { return }
    let value = compareWith ?? compare.defaultCompareWith
    switch compare {
    case .loss:
      guard let second = Loss(name: value), second != .categoricalCrossEntropy else {
        throw PlaygroundError("compareWith: unknown loss \(value); use one of \(PlaygroundConfig.lossNames.joined(separator: ", "))")
      }
      try PlaygroundConfig.check(loss: second, key: "compareWith", dataset: dataset)
    case .activation:
      guard let second = Activation(name: value), PlaygroundConfig.hiddenActivations.contains(second) else {
        throw PlaygroundError(
          "compareWith: unknown activation \(value); use one of \(PlaygroundConfig.hiddenActivations.map(\.name).joined(separator: ", "))")
      }
    case .`init`:
      guard PlaygroundInitialization(rawValue: value) != nil else {
        throw PlaygroundError(
          "compareWith: unknown init \(value); use one of \(PlaygroundInitialization.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    }
  }

  /// Whether `loss` can train on `dataset`'s labels.
  static func check(loss: Loss, key: String, dataset: PlaygroundDataset) throws(PlaygroundError) {
    switch dataset.classCount {
    case nil:
      guard loss.isRegressionCapable else {
        throw PlaygroundError(
          "\(key): \(loss.name) needs classes, but \(dataset.rawValue) is a regression; use mse, mae or huber")
      }
    case let classes?:
      if (loss == .sigmoidCrossEntropy || loss == .binaryCrossEntropy) && classes != 2 {
        throw PlaygroundError(
          "\(key): \(loss.name) needs two classes, but \(dataset.rawValue) has \(classes); use softmax-cross-entropy")
      }
    }
  }

  /// The losses the playground offers.
  static var lossNames: [String] {
    Loss.allCases.filter { $0 != .categoricalCrossEntropy }.map(\.name)
  }

  /// The hidden activations the playground offers.
  static let hiddenActivations: [Activation] = [.relu, .tanh, .sigmoid, .linear, .leakyRelu, .elu, .gelu, .swish, .softplus]

  /// The output activations the playground offers (besides `auto`).
  static let outputActivations: [Activation] = [.linear, .sigmoid, .softmax, .logSoftmax]

  /// Hidden widths from `4,2` (empty or `none` for none), checked against the limits.
  static func widths(_ value: String) throws(PlaygroundError) -> [Int] {
    if value.isEmpty || value == "none" { return [] }
    var widths: [Int] = []
    for part in value.split(separator: ",", omittingEmptySubsequences: false) {
      let text = part.trimmingCharacters(in: .whitespaces)
      guard let width = Int(text), width >= 1 else {
        throw PlaygroundError(
          "layers: widths are whole numbers from 1 to \(PlaygroundLimits.maximumUnitsPerLayer), comma-separated (got \(value))")
      }
      guard width <= PlaygroundLimits.maximumUnitsPerLayer else {
        throw PlaygroundError("layers: at most \(PlaygroundLimits.maximumUnitsPerLayer) units per layer (got \(width))")
      }
      widths.append(width)
    }
    guard widths.count <= PlaygroundLimits.maximumHiddenLayers else {
      throw PlaygroundError("layers: at most \(PlaygroundLimits.maximumHiddenLayers) hidden layers (got \(widths.count))")
    }
    return widths
  }

  /// A finite number.
  static func number(_ key: String, _ value: String) throws(PlaygroundError) -> Float {
    guard let number = Float(value), number.isFinite else { throw PlaygroundError("\(key): expected a number (got \(value))") }
    return number
  }

  /// A whole number in `range` (`12` or `12.0`).
  static func whole(_ key: String, _ value: String, in range: ClosedRange<Int>) throws(PlaygroundError) -> Int {
    let parsed = Int(value) ?? Double(value).flatMap { $0.isFinite && $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) : nil }
    guard let parsed, range.contains(parsed) else {
      throw PlaygroundError("\(key): a whole number from \(range.lowerBound) to \(range.upperBound) (got \(value))")
    }
    return parsed
  }

  /// A JSON number as hash text: `12`, not `12.0`; `0.03`, not `0.029999999329447746`.
  static func text(_ number: Double) -> String {
    if number == number.rounded() && abs(number) < 1e15 { return String(Int64(number)) }
    let float = Float(number)
    return Double(float) == number || Double("\(float)") == number ? "\(float)" : "\(number)"
  }

  /// `value` with the characters a hash value cannot hold percent-encoded.
  static func percentEncoded(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~,")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
  }
}
