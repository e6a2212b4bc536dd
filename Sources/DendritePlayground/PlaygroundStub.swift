// A STUB of the playground engine's API (docs/playground-protocol.md), so that the server
// and the page can be built and tested before the engine lands. The real engine replaces
// this whole folder at merge time: nothing else belongs here.
import Dendrite
import Foundation

/// The playground's limits (docs/playground-protocol.md, "Limits").
public enum PlaygroundLimits {
  /// Hidden layers at most.
  public static let maximumHiddenLayers = 8
  /// Units per hidden layer at most.
  public static let maximumUnitsPerLayer = 64
  /// Points of a 2-D data set at most.
  public static let maximumPoints = 1_000
  /// Batch size at most.
  public static let maximumBatchSize = 1_000
  /// Learning rate at most.
  public static let maximumLearningRate: Float = 10
  /// Frames sent per second and connection at most.
  public static let maximumFramesPerSecond = 30
  /// Training steps per second and connection at most.
  public static let maximumStepsPerSecond = 2_000
  /// Bytes of one client message at most.
  public static let maximumMessageBytes = 16_384
  /// Concurrent sessions at most.
  public static let maximumSessions = 64
}

/// A config or engine error: one line that says what was wrong and what to do.
public struct PlaygroundError: Error, CustomStringConvertible {
  /// The message.
  public var description: String
  /// An error with this message.
  public init(_ description: String) { self.description = description }
}

/// A validated playground configuration (the URL hash keys).
public struct PlaygroundConfig: Sendable, Equatable {
  /// The config as a JSON object of hash keys.
  public var json: JSONValue
  /// The `compare` choice in a race, nil for one network.
  public var compare: String?

  static let datasets2D = ["circle", "xor", "gauss", "spiral", "gauss3", "spiral3", "plane", "multi-gauss"]
  static let bundled = ["iris", "wine", "breast-cancer", "digits"]

  /// Validates a `start` message's `config` object.
  public init(json: JSONValue) throws(PlaygroundError) {
    guard case .object(var fields) = json else { throw PlaygroundError("config: needs a JSON object of hash keys") }
    for (key, value) in fields {
      switch value {
      case .string, .number, .bool: break
      default: throw PlaygroundError("\(key): needs a string or a number")
      }
      if case .number(let number) = value { fields[key] = .string(JSONText(number)) }
    }
    func text(_ key: String) -> String? {
      if case .string(let value)? = fields[key] { return value }
      return nil
    }
    let dataset = text("dataset") ?? "circle"
    guard Self.datasets2D.contains(dataset) || Self.bundled.contains(dataset) else {
      throw PlaygroundError("dataset: unknown data set '\(dataset)' (try circle, xor, gauss, spiral)")
    }
    if let layers = text("layers"), !layers.isEmpty {
      let widths = layers.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
      guard widths.allSatisfy({ ($0 ?? 0) >= 1 }) else {
        throw PlaygroundError("layers: needs whole numbers ≥ 1 separated by commas, got '\(layers)'")
      }
      guard widths.count <= PlaygroundLimits.maximumHiddenLayers else {
        throw PlaygroundError("layers: at most \(PlaygroundLimits.maximumHiddenLayers) hidden layers")
      }
      guard widths.allSatisfy({ ($0 ?? 0) <= PlaygroundLimits.maximumUnitsPerLayer }) else {
        throw PlaygroundError("layers: at most \(PlaygroundLimits.maximumUnitsPerLayer) units per layer")
      }
    }
    if let rate = text("learningRate") {
      guard let value = Float(rate), value > 0, value <= PlaygroundLimits.maximumLearningRate else {
        throw PlaygroundError("learningRate: needs a number in (0, \(PlaygroundLimits.maximumLearningRate)], got '\(rate)'")
      }
    }
    if let compare = text("compare"), !compare.isEmpty {
      guard ["loss", "activation", "init"].contains(compare) else {
        throw PlaygroundError("compare: needs loss, activation or init, got '\(compare)'")
      }
      self.compare = compare
    }
    if let preset = text("preset"), preset == "mse-vs-cross-entropy" || preset == "init-normal-vs-he" {
      self.compare = preset == "init-normal-vs-he" ? "init" : "loss"
    }
    self.json = .object(fields)
  }

  /// Reads a URL hash (`dataset=xor&layers=4,2`).
  public init(hash: String) throws(PlaygroundError) {
    var fields: [String: JSONValue] = [:]
    for pair in hash.drop(while: { $0 == "#" }).split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1)
      guard let key = parts.first else { continue }
      let value = parts.count > 1 ? String(parts[1]) : ""
      fields[String(key)] = .string(value.removingPercentEncoding ?? value)
    }
    try self.init(json: .object(fields))
  }
}

private func JSONText(_ number: Double) -> String {
  number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
}

/// A fake training session whose loss decays (the stub).
public final class PlaygroundSession {
  /// Epochs trained so far.
  public private(set) var epoch = 0
  let config: PlaygroundConfig
  let lossScale: Double
  let decay: Double

  /// A session from a config.
  public init(config: PlaygroundConfig) throws(PlaygroundError) {
    self.config = config
    self.lossScale = 0.7
    self.decay = 0.01
  }

  init(config: PlaygroundConfig, decay: Double) {
    self.config = config
    self.lossScale = 0.7
    self.decay = decay
  }

  func value(_ key: String) -> String? {
    if case .string(let value)? = config.json[key] { return value }
    return nil
  }

  var is2D: Bool { PlaygroundConfig.datasets2D.contains(value("dataset") ?? "circle") }

  /// One epoch (the stub sleeps a little to look like work).
  public func trainEpoch() {
    epoch += 1
    var x = 0.0
    for i in 0..<20_000 { x += Double(i % 7) }
    if x < 0 { epoch += 1 }
  }

  /// The current frame (docs/playground-protocol.md, "A frame"), without `type`/`playing`.
  public func frame(includePoints: Bool) -> JSONValue {
    var fields = baseFrame()
    if includePoints && is2D {
      var train: [JSONValue] = []
      var test: [JSONValue] = []
      for i in 0..<100 {
        let angle = Double(i) * 0.7
        let radius = Double(i % 10) * 0.55
        let point: JSONValue = [.number(radius * cos(angle)), .number(radius * sin(angle)), .number(radius < 2.75 ? 1 : 0)]
        if i % 2 == 0 { train.append(point) } else { test.append(point) }
      }
      fields["points"] = ["train": .array(train), "test": .array(test)]
    }
    return .object(fields)
  }

  func baseFrame() -> [String: JSONValue] {
    let loss = lossScale * exp(-decay * Double(epoch)) + 0.05 + 0.002 * sin(Double(epoch))
    let widths = (value("layers") ?? "4,2").split(separator: ",").compactMap { Int($0) }
    let features = (value("features") ?? "x1,x2").split(separator: ",").map(String.init)
    var layers: [JSONValue] = []
    var inputs = features.count
    var names: [JSONValue] = []
    for (index, width) in (widths + [1]).enumerated() {
      let weights: [JSONValue] = (0..<width).map { row in
        .array((0..<inputs).map { column in .number(sin(Double(row * 3 + column + index) + Double(epoch) * 0.01) * 1.5) })
      }
      let activation = index == widths.count ? "sigmoid" : (value("activation") ?? "tanh")
      layers.append([
        "units": .number(Double(width)), "activation": .string(activation), "weights": .array(weights),
        "biases": .array((0..<width).map { _ in 0.1 }),
      ])
      names.append(.string("dense \(index + 1) (\(inputs) → \(width))"))
      inputs = width
    }
    var fields: [String: JSONValue] = [
      "epoch": .number(Double(epoch)), "trainLoss": .number(loss), "testLoss": .number(loss * 1.08),
      "trainAccuracy": .number(1 - loss / 2), "testAccuracy": .number(1 - loss / 1.8),
      "advice": value("loss") == "mse"
        ? [["severity": "warning", "code": "sigmoid-mse", "message": "MSE on a sigmoid output learns slowly when the output saturates: try sigmoid-cross-entropy."]]
        : [],
      "network": ["inputs": .array(features.map { .string($0) }), "layers": .array(layers)],
      "gradientFlow": [
        "layers": .array(names),
        "weightGradientNorms": .array(names.indices.map { .number(pow(10, -Double($0)) * (0.05 + exp(-0.01 * Double(epoch)))) }),
        "saturatedShare": .array(names.indices.map { _ in 0.1 }), "deadShare": .array(names.indices.map { _ in .null }),
        "flags": widths.count > 3 ? ["vanishing: the first layer's gradient is 1000× smaller than the last's"] : [],
      ],
    ]
    if is2D {
      let t = min(1, Double(epoch) / 200)
      var values: [JSONValue] = []
      for row in 0..<40 {
        for column in 0..<40 {
          let x = -6 + 12 * (Double(column) + 0.5) / 40
          let y = 6 - 12 * (Double(row) + 0.5) / 40
          let r = (x * x + y * y).squareRoot()
          values.append(.number(1 / (1 + exp((r - 2.75) * 3 * t + (1 - t) * x * 0.3))))
        }
      }
      fields["boundary"] = ["size": 40, "extent": [-6, 6], "values": .array(values)]
      var units: [JSONValue] = []
      for (index, width) in (widths + [1]).enumerated() {
        var layer: [JSONValue] = []
        for unit in 0..<width {
          var cells: [JSONValue] = []
          for cell in 0..<256 {
            let u = Double(cell % 16 - 8) * 0.3 * Double(unit + 1)
            let v = Double(cell / 16 - 8) * 0.2 * Double(index + 1)
            cells.append(.number(tanh(u - v)))
          }
          layer.append(.object(["size": 16, "values": .array(cells)]))
        }
        units.append(.array(layer))
      }
      fields["units"] = .array(units)
    }
    return fields
  }

  /// The trained network as a model file (the stub: a few bytes).
  public func exportModelFile() throws -> [UInt8] {
    Array("stub model file at epoch \(epoch)\n".utf8)
  }

  /// The matching `dendrite train …` for bundled data sets, nil for the 2-D sets.
  public var commandLine: String? {
    is2D ? nil : "dendrite train --dataset \(value("dataset") ?? "iris") --layers \(value("layers") ?? "4,2")"
  }
}

/// Two fake sessions that differ in one choice (the stub).
public final class PlaygroundRace {
  let a: PlaygroundSession
  let b: PlaygroundSession

  /// A race from a config whose `compare` is set.
  public init(config: PlaygroundConfig) throws(PlaygroundError) {
    a = PlaygroundSession(config: config, decay: 0.01)
    b = PlaygroundSession(config: config, decay: 0.004)
  }

  /// One epoch of both networks.
  public func trainEpoch() {
    a.trainEpoch()
    b.trainEpoch()
  }

  /// The frame of the first network with `b` carrying the second's.
  public func frame(includePoints: Bool) -> JSONValue {
    guard case .object(var fields) = a.frame(includePoints: includePoints) else { return .null }
    var second = b.baseFrame()
    second["units"] = nil
    fields["b"] = .object(second)
    return .object(fields)
  }

  /// The first network as a model file.
  public func exportModelFile() throws -> [UInt8] { try a.exportModelFile() }
}
