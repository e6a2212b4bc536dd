import Dendrite

/// Two sessions that differ only in the config's `compare` choice (loss, activation or
/// init): the same data, the same batches and dropout masks, and the same initial weights
/// wherever a parameter's shape agrees (a loss race whose losses want different output
/// widths shares the hidden layers; for `init` the weights differ by design).
///
///     let race = try PlaygroundRace(config: PlaygroundConfig(hash: "preset=saturated-neuron"))
///     for _ in 0..<50 { race.trainEpoch() }
///     race.frame(includePoints: false)["b"]?["trainLoss"]   // the second network's loss
public final class PlaygroundRace {
  /// The first network: the config as given.
  public let first: PlaygroundSession
  /// The second network: the config with `compareWith` in place of the compared choice.
  public let second: PlaygroundSession

  /// Builds both sessions; the second copies the first's initial parameters (those of the
  /// same shape) unless the comparison is `init`.
  ///
  ///     let race = try PlaygroundRace(config: PlaygroundConfig(hash: "dataset=circle&compare=activation&compareWith=relu"))
  ///
  /// - Throws: ``PlaygroundError`` for an invalid config, or one without `compare`.
  public init(config: PlaygroundConfig) throws(PlaygroundError) {
    guard let compare = config.compare else {
      throw PlaygroundError("compare: a race needs compare=loss, activation or init")
    }
    let value = config.compareWith ?? compare.defaultCompareWith
    var other = config
    switch compare {
    case .loss:
      guard let loss = Loss(name: value) else { throw PlaygroundError("compareWith: unknown loss \(value)") }
      other.loss = loss
    case .activation:
      guard let activation = Activation(name: value) else { throw PlaygroundError("compareWith: unknown activation \(value)") }
      other.activations = [activation]
    case .`init`:
      guard let initialization = PlaygroundInitialization(rawValue: value) else {
        throw PlaygroundError("compareWith: unknown init \(value)")
      }
      other.initialization = initialization
    }
    first = try PlaygroundSession(config: config)
    second = try PlaygroundSession(config: other)
    if compare != .`init` { second.adoptInitialParameters(from: first) }
  }

  /// One epoch of each network.
  ///
  ///     race.trainEpoch()
  ///     race.first.epoch == race.second.epoch   // true
  public func trainEpoch() {
    first.trainEpoch()
    second.trainEpoch()
  }

  /// The first network's frame with the second's fields under `"b"` (epoch, losses,
  /// accuracies, advice, gradient flow, network, boundary).
  ///
  ///     race.frame(includePoints: true)["b"]?["network"]
  public func frame(includePoints: Bool) -> JSONValue {
    guard case .object(var fields) = first.frame(includePoints: includePoints) else { return .null }
    fields["b"] = .object(second.networkFields())
    return .object(fields)
  }

  /// The first network as a model file (see ``PlaygroundSession/exportModelFile()``).
  ///
  ///     let bytes = try race.exportModelFile()   // the `modelFile` of an `export` message, before base64
  public func exportModelFile() throws -> [UInt8] {
    try first.exportModelFile()
  }

  /// The first network's `dendrite train` command (see ``PlaygroundSession/commandLine``).
  ///
  ///     race.commandLine   // nil for the 2-D data sets
  public var commandLine: String? { first.commandLine }

  /// The optimizer steps of one race epoch (both networks), for pacing.
  ///
  ///     race.stepsPerEpoch   // 50 for two networks on 250 points in batches of 10
  public var stepsPerEpoch: Int { first.stepsPerEpoch + second.stepsPerEpoch }
}
