import Foundation

// The parts of a model file's metadata and checkpoint, and the checks that keep a file
// loadable: what ModelFile.swift reads and writes.

extension ModelFile {
  /// An optimizer's state in a checkpoint.
  ///
  ///     let checkpoint = ModelFile.OptimizerCheckpoint(optimizer)
  ///     var resumed = checkpoint.makeOptimizer()   // same name, learning rate and state
  public struct OptimizerCheckpoint: Sendable, Equatable {
    /// The command-line name, as ``makeOptimizer(name:learningRate:)`` takes it.
    public var name: String
    /// The learning rate when the checkpoint was taken.
    public var learningRate: Float
    /// The step count and slots.
    public var state: OptimizerState

    /// Creates a checkpoint from its parts.
    ///
    ///     ModelFile.OptimizerCheckpoint(name: "adam", learningRate: 1e-3, state: OptimizerState(step: 10))
    public init(name: String, learningRate: Float, state: OptimizerState) {
      self.name = name
      self.learningRate = learningRate
      self.state = state
    }

    /// The checkpoint of `optimizer`.
    ///
    ///     ModelFile.OptimizerCheckpoint(Adam(learningRate: 1e-3)).name   // "adam"
    public init(_ optimizer: some Optimizer) {
      self.init(name: optimizer.name, learningRate: optimizer.learningRate, state: optimizer.state)
    }

    /// The optimizer of that name with the saved learning rate and state, other
    /// hyperparameters at their defaults; nil for a name ``makeOptimizer(name:learningRate:)``
    /// does not know.
    ///
    ///     var optimizer = file.optimizer?.makeOptimizer()
    public func makeOptimizer() -> (any Optimizer)? {
      guard var optimizer = Dendrite.makeOptimizer(name: name, learningRate: learningRate) else { return nil }
      optimizer.state = state
      return optimizer
    }
  }
}

/// The metadata keys, layer descriptions and checks of a model file.
enum ModelFileFormat {
  enum Key {
    static let formatVersion = "dendrite.format_version"
    static let architecture = "dendrite.architecture"
    static let preprocessing = "dendrite.preprocessing"
    static let optimizer = "dendrite.optimizer"
    static let training = "dendrite.training"
    static let targets = "dendrite.targets"
    static let columns = "dendrite.columns"
    static let dataset = "dendrite.dataset"
  }

  /// The prefix of a checkpoint's optimizer-slot tensors.
  static let optimizerPrefix = "optimizer."

  static func checkOptimizer(
    _ optimizer: ModelFile.OptimizerCheckpoint, parameters: [(name: String, shape: [Int])]
  ) throws(ModelFileError) {
    guard optimizer.learningRate.isFinite, optimizer.state.step >= 0 else {
      throw ModelFileError(
        .inconsistent(
          "the optimizer's learning rate \(optimizer.learningRate) or step \(optimizer.state.step) is invalid"))
    }
    for (slot, tensor) in optimizer.state.slots.sorted(by: { $0.key < $1.key }) {
      let name = optimizerPrefix + slot
      guard let owner = parameters.first(where: { slot.hasPrefix($0.name + ".") }) else {
        throw ModelFileError(.unexpectedTensor(name))
      }
      guard tensor.shape == owner.shape else {
        throw ModelFileError(
          .wrongTensorShape(name, shape: tensor.shape, expected: owner.shape, layer: "parameter \(owner.name)"))
      }
    }
  }

  static func checkPreprocessing(_ preprocessing: Preprocessing, featureCount: Int) throws(ModelFileError) {
    let (kind, first, second): (String, [Float], [Float])
    switch preprocessing {
    case .none: return
    case .standardize(let mean, let deviation): (kind, first, second) = ("standardization", mean, deviation)
    case .minMax(let minimum, let maximum): (kind, first, second) = ("min-max scaling", minimum, maximum)
    }
    guard first.count == featureCount, second.count == featureCount else {
      throw ModelFileError(
        .inconsistent(
          "the \(kind) has \(first.count) and \(second.count) values but the model takes \(featureCount) features"))
    }
    guard (first + second).allSatisfy(\.isFinite) else {
      throw ModelFileError(.inconsistent("the \(kind) has non-finite values"))
    }
    if case .standardize = preprocessing, second.contains(0) {
      throw ModelFileError(
        .inconsistent("the standardization has a standard deviation of 0 (use 1 for a constant feature)"))
    }
  }

  static func preprocessingJSON(_ preprocessing: Preprocessing) -> JSONValue {
    let kind = JSONValue.string(preprocessing.kind.name)
    return switch preprocessing {
    case .none: ["kind": kind]
    case .standardize(let mean, let deviation): ["kind": kind, "mean": .floats(mean), "std": .floats(deviation)]
    case .minMax(let minimum, let maximum): ["kind": kind, "min": .floats(minimum), "max": .floats(maximum)]
    }
  }

  /// `dendrite.targets`: `{"kind": "standardize", "mean": […], "std": […]}`, checked.
  static func parseTargetScaling(_ value: JSONValue) throws(ModelFileError) -> TargetScaling {
    guard value["kind"] == .string("standardize"), let mean = value["mean"]?.numbers, let std = value["std"]?.numbers,
      mean.count == std.count, (mean + std).allSatisfy(\.isFinite), std.allSatisfy({ $0 > 0 })
    else {
      throw ModelFileError(
        .invalidMetadata(
          key: Key.targets, problem: "needs \"kind\": \"standardize\" and as many finite \"mean\" values as positive \"std\""))
    }
    return TargetScaling(mean: mean.map { Float($0) }, standardDeviation: std.map { Float($0) })
  }

  static func parsePreprocessing(_ value: JSONValue) throws(ModelFileError) -> Preprocessing {
    func floats(_ field: String) throws(ModelFileError) -> [Float] {
      guard let numbers = value[field]?.numbers else {
        throw ModelFileError(
          .invalidMetadata(key: Key.preprocessing, problem: "\"\(field)\" is not an array of numbers"))
      }
      return numbers.map { Float($0) }
    }
    guard case .string(let name) = value["kind"], let kind = Preprocessing.Kind(name: name) else {
      let names = CommandLineNames.preprocessings.map { "\"\($0)\"" }
      throw ModelFileError(
        .invalidMetadata(
          key: Key.preprocessing, problem: "\"kind\" is not \(CommandLineNames.list(names, lastSeparator: " or "))"))
    }
    switch kind {
    case .none: return .none
    case .standardize: return .standardize(mean: try floats("mean"), standardDeviation: try floats("std"))
    case .minMax: return .minMax(minimum: try floats("min"), maximum: try floats("max"))
    }
  }

  static func parseOptimizer(_ text: String, slots: [String: Tensor]) throws(ModelFileError)
    -> ModelFile.OptimizerCheckpoint
  {
    let value = try parseJSONObject(text, key: Key.optimizer)
    guard case .string(let name) = value["name"], case .number(let rate) = value["learning_rate"],
      let step = value["step"].flatMap({ JSONText.nonNegativeIntegers([$0])?.first })
    else {
      throw ModelFileError(
        .invalidMetadata(
          key: Key.optimizer, problem: "needs \"name\", \"learning_rate\" and a non-negative integer \"step\""))
    }
    return ModelFile.OptimizerCheckpoint(
      name: name, learningRate: Float(rate), state: OptimizerState(step: step, slots: slots))
  }

  static func parseJSON(_ text: String, key: String) throws(ModelFileError) -> JSONValue {
    do {
      return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    } catch {
      throw ModelFileError(.invalidMetadata(key: key, problem: "not valid JSON"))
    }
  }

  static func parseJSONObject(_ text: String, key: String) throws(ModelFileError) -> JSONValue {
    let value = try parseJSON(text, key: key)
    guard case .object = value else { throw ModelFileError(.invalidMetadata(key: key, problem: "not a JSON object")) }
    return value
  }

  static func positiveInteger(_ value: JSONValue) -> Int? {
    guard let integer = JSONText.nonNegativeIntegers([value])?.first, integer > 0 else { return nil }
    return integer
  }
}
