import ArgumentParser
import Dendrite

/// `dendrite train`'s options that define the model or the run, with their defaults applied
/// after parsing: they are optional so that `--resume` can tell an option the user gave
/// (an error: the checkpoint decides) from one left at its default.
extension TrainCommand {
  static let defaultLayers = "128"
  static let defaultActivation = Activation.relu.name
  static let defaultOptimizer = OptimizerKind.adam.name
  static let defaultSeed: UInt64 = 42
  static let defaultPreprocessing = Preprocessing.Kind.standardize.name

  /// The options given on the command line that a checkpoint overrides, as typed
  /// (`--layers`, `--seed`, …), in the order of `--help`.
  var modelOptionsGiven: [String] {
    let options: [(String, Bool)] = [
      ("--layers", layers != nil), ("--activation", activation != nil), ("--architecture", architecture != nil),
      ("--input-shape", inputShape != nil), ("--loss", loss != nil),
      ("--output-activation", outputActivation != nil), ("--optimizer", optimizer != nil),
      ("--learning-rate", learningRate != nil), ("--seed", seed != nil),
      ("--preprocessing", preprocessing != nil), ("--dropout", dropout != nil),
      ("--test-fraction", testFraction != nil), ("--validation-fraction", validationFraction != nil),
      ("--missing", missing != nil),
    ]
    return options.filter(\.1).map(\.0)
  }

  /// `--layers`, or the default; checked by `validate()`.
  var hiddenSizes: [Int] { get throws { try LayerSizes.parse(layers ?? Self.defaultLayers) } }
  /// `--architecture`, parsed; nil without it.
  var architectureSpecification: ArchitectureSpecification? {
    get throws {
      guard let architecture else { return nil }
      do {
        return try ArchitectureSpecification(parsing: architecture)
      } catch {
        throw ValidationError("--architecture: \(error)")
      }
    }
  }
  /// `--activation`, or ReLU.
  var hiddenActivation: Activation { activation.flatMap(Activation.init(name:)) ?? .relu }
  /// `--optimizer`, or Adam.
  var optimizerKind: OptimizerKind { optimizer.flatMap(OptimizerKind.init(name:)) ?? .adam }
  /// `--seed`, or 42; checked by `validate()`.
  var seedValue: UInt64 { seed.flatMap { UInt64($0) } ?? Self.defaultSeed }
  /// The test split's share of all rows: `--test-fraction`, or 0.2.
  var testShare: Double { testFraction ?? 0.2 }
  /// The validation split's share of all rows, taken from the training part:
  /// `--validation-fraction`, or 0.1.
  var validationShare: Double { validationFraction ?? 0.1 }
  /// `--dropout`, or 0.
  var dropoutRate: Float { dropout ?? 0 }

  /// A number as the user would have typed it: `-1`, not `-1.0`; `0.25`; `nan`.
  static func format(_ value: Float) -> String {
    value.isFinite && value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : "\(value)"
  }
}
