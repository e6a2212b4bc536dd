import Dendrite
import DendriteData

/// The conventions every training experiment of the lab follows, fixed so that its figures
/// can be compared with other implementations:
///
/// - features standardised with the training part's statistics (mnist5k divided by 255);
/// - a stratified 80/20 split with seed 1;
/// - biases start at 0; Glorot uniform weights for sigmoid/tanh networks, He normal
///   N(0, 2/fan_in) for ReLU networks, on every layer including the output;
/// - plain SGD (no momentum), batches reshuffled each epoch;
/// - "MSE" is the study's form: the squared error summed over a sample's outputs,
///   averaged over the batch (with one output, (a − y)²).
enum LabConventions {
  /// The split seed.
  static let splitSeed: UInt64 = 1
  /// The seed of initial weights and shuffling.
  static let trainingSeed: UInt64 = 1

  /// A prepared data set: standardised train and test parts.
  struct PreparedData {
    let train: Dataset
    let test: Dataset
  }

  /// Loads a bundled data set, splits it and scales it as the conventions say. `quick`
  /// keeps only the first 256 training and 128 test rows (for smoke tests).
  static func prepare(_ name: String, quick: Bool = false) throws -> PreparedData {
    let data = try Datasets.named(name)
    var (train, test) = data.split(testFraction: 0.2, seed: splitSeed)
    if quick {
      train = train.subset(Array(0..<Swift.min(256, train.count)))
      test = test.subset(Array(0..<Swift.min(128, test.count)))
    }
    if name == "mnist5k" {
      return PreparedData(train: train.replacingFeatures(train.features / 255), test: test.replacingFeatures(test.features / 255))
    }
    let scaling = Preprocessing.fitStandardization(train.features)
    return PreparedData(
      train: train.replacingFeatures(scaling.apply(train.features)),
      test: test.replacingFeatures(scaling.apply(test.features)))
  }

  /// The initializer of a network whose hidden layers use `activation`.
  static func initializer(for activation: Activation) -> Initializer {
    activation == .relu ? .heNormal : .glorotUniform
  }

  /// A network with `hidden` layers of `width` units (or the given widths), the
  /// conventions' initialisation on every layer.
  static func network(
    inputs: Int, hidden: [Int], activation: Activation, outputs: Int, outputActivation: Activation,
    initializer: Initializer? = nil, seed: UInt64 = trainingSeed
  ) -> Sequential {
    .multilayerPerceptron(
      inputSize: inputs, hiddenSizes: hidden, activation: activation, outputSize: outputs,
      outputActivation: outputActivation, weightInitializer: initializer ?? self.initializer(for: activation), seed: seed)
  }

  /// The study's MSE: Σ over a sample's outputs of (a − y)², averaged over the batch, with
  /// class labels as one-hot rows (or a 0/1 column for one output).
  static func studyMeanSquaredError(_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor {
    let columns = Float(outputs.shape[outputs.rank - 1])
    return Loss.meanSquaredError.compute(outputs: outputs, labels: labels) * columns
  }

  /// Accuracy of `model` on `data` (argmax, or 0.5 threshold for one output).
  static func accuracy(_ model: any Layer, on data: Dataset, loss: Loss) -> Float {
    model.evaluate(data, loss: loss, metrics: [.accuracy])["accuracy"] ?? .nan
  }
}

/// Records the full training-set accuracy after every epoch (the running accuracy that
/// `fit` reports mixes the weights of a whole epoch).
final class TrainingAccuracyRecorder: TrainingCallback {
  private let data: Dataset
  private let loss: Loss
  private(set) var accuracies: [Float] = []

  init(data: Dataset, loss: Loss) {
    self.data = data
    self.loss = loss
  }

  func handle(_ event: TrainingEvent, state: inout TrainingState) -> TrainingDecision {
    if case .epochFinished = event { accuracies.append(LabConventions.accuracy(state.model, on: data, loss: loss)) }
    return .proceed
  }

  /// The first epoch (1-based) whose accuracy reached `target`, or nil.
  func firstEpoch(reaching target: Float) -> Int? {
    accuracies.firstIndex { $0 >= target }.map { $0 + 1 }
  }
}

extension JSONValue {
  /// A whole number, or null.
  static func integer(_ value: Int?) -> JSONValue {
    value.map { .number(Double($0)) } ?? .null
  }
}

/// A figure for prose and tables: four significant digits, or "—" for nil / non-finite.
func figure(_ value: Float?, digits: Int = 4) -> String {
  guard let value, value.isFinite else { return "—" }
  if value != 0 && (Swift.abs(value) < 1e-3 || Swift.abs(value) >= 1e5) {
    let exponent = Int((Swift.abs(Double(value))).log10Floor)
    let mantissa = Double(value) / pow10(exponent)
    return "\(rounded(mantissa, 2))e\(exponent)"
  }
  return "\(rounded(Double(value), digits))"
}

/// An epoch count for prose and tables: the number, or "not reached".
func epochText(_ value: Int?) -> String {
  value.map(String.init) ?? "not reached"
}

private func rounded(_ value: Double, _ digits: Int) -> Double {
  let scale = pow10(digits)
  return (value * scale).rounded() / scale
}

private func pow10(_ n: Int) -> Double {
  var result = 1.0
  for _ in 0..<Swift.abs(n) { result *= 10 }
  return n >= 0 ? result : 1 / result
}

extension Double {
  fileprivate var log10Floor: Double {
    var exponent = 0.0
    var value = self
    while value >= 10 { value /= 10; exponent += 1 }
    while value < 1 && value > 0 { value *= 10; exponent -= 1 }
    return exponent
  }
}
