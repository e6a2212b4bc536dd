import Dendrite
import DendriteData
import DendritePlayground

/// How many epochs a connection may train in a time: at most
/// ``PlaygroundLimits/maximumStepsPerSecond`` training steps (batches) per second, both
/// networks of a race counted. The engine's API trains whole epochs, so the server
/// estimates an epoch's steps from the config: the training points (the data set's size,
/// 500 for the 2-D sets, times `trainRatio`) over `batchSize`.
struct StepBudget {
  /// The estimated steps of one `trainEpoch()` call.
  let stepsPerEpoch: Double
  /// Steps earned and not yet spent.
  private var credit: Double = 0

  /// Points of a generated 2-D data set (the engine's default).
  static let pointsOf2DSets = 500

  init(config: PlaygroundConfig) {
    func value(_ key: String) -> Double? {
      switch config.json[key] {
      case .string(let text)?: Double(text)
      case .number(let number)?: number
      default: nil
      }
    }
    var dataset = "circle"
    if case .string(let name)? = config.json["dataset"] { dataset = name }
    let points = Datasets.catalog.first { $0.name == dataset }?.samples ?? Self.pointsOf2DSets
    let ratio = min(90, max(10, value("trainRatio") ?? 50)) / 100
    let batch = min(Double(PlaygroundLimits.maximumBatchSize), max(1, value("batchSize") ?? 10))
    let networks: Double = config.compare == nil ? 1 : 2
    stepsPerEpoch = networks * max(1, (Double(points) * ratio / batch).rounded(.up))
  }

  /// Earns the steps of `seconds`. What is kept is at most two frames' worth (or one
  /// epoch, when an epoch is longer), so a late slice does not make up for lost time.
  mutating func earn(seconds: Double) {
    let rate = Double(PlaygroundLimits.maximumStepsPerSecond)
    let cap = max(stepsPerEpoch, 2 * rate / Double(PlaygroundLimits.maximumFramesPerSecond))
    credit = min(cap, credit + rate * max(0, seconds))
  }

  /// Spends one epoch's steps if there are enough.
  mutating func spendEpoch() -> Bool {
    guard credit >= stepsPerEpoch else { return false }
    credit -= stepsPerEpoch
    return true
  }
}
