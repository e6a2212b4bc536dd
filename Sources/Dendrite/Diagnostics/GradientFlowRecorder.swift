import Foundation

/// Records how gradients flow through a model's layers while `fit` trains, epoch by epoch,
/// and flags vanishing and exploding gradients.
///
/// On every step (``TrainingEvent/gradientsComputed(epoch:step:gradients:)``, before
/// clipping and the update) it takes the norm ‖∂J/∂W‖ of each layer's weight gradient (the
/// first parameter of each layer: `0.weight`, or a custom layer's first); at the
/// end of each epoch it stores one ``Entry``: the mean of those norms over the epoch's
/// steps, the last step's, and — with a probe batch — a ``GradientFlowSnapshot`` of the probe
/// (error norms ‖δ‖, saturated and dead-unit shares) for the model as the epoch left it.
///
/// Backpropagation multiplies the error by Wᵀ·f′(z) once per layer, so the input side's
/// gradient is the output side's times a product of per-layer factors: with sigmoid units
/// (κ′ ≤ 1/4) it shrinks geometrically; with large weights it grows. The flags:
/// - **vanishing**: the first layer's norm over the last one's is below `vanishingRatio`
///   (default 1e-3), or a layer's norm is below `vanishingFloor` (default 1e-7);
/// - **exploding**: a non-finite figure, the first-to-last ratio above `explodingFactor`
///   (default 1e3), or a layer's norm above `explodingFactor` times its first epoch's
///   while also large: 10× the median of the other layers' norms, or above 100 (a
///   gradient recovering from a vanished start is not exploding).
///
/// Each kind is reported once per layer, at the first epoch it shows, in ``warnings``.
///
///     let probe = GradientFlowRecorder.Probe(train, loss: .softmaxCrossEntropy)   // first 128 rows
///     let recorder = GradientFlowRecorder(probe: probe)
///     try model.fit(train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 10, callbacks: [recorder])
///     recorder.epochs.last?.meanWeightGradientNorms   // one norm per dense layer, input side first
///     recorder.warnings                               // ["epoch 1: vanishing gradients: …"]
public final class GradientFlowRecorder: TrainingCallback {
  /// A fixed batch measured with a ``GradientFlowSnapshot`` at the end of every epoch.
  public struct Probe: Sendable {
    /// The probe's features, `[B, D]` (preprocessed as the training data).
    public var features: Tensor
    /// Its labels.
    public var labels: Dataset.Labels
    /// The loss the snapshot differentiates.
    public var loss: Loss
    /// Replaces `loss`'s formula, as in `fit`.
    public var objective: (@Sendable (_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor)?

    /// A probe from a batch.
    public init(
      features: Tensor, labels: Dataset.Labels, loss: Loss,
      objective: (@Sendable (_ outputs: Tensor, _ labels: Dataset.Labels) -> Tensor)? = nil
    ) {
      self.features = features
      self.labels = labels
      self.loss = loss
      self.objective = objective
    }

    /// A probe of the first `rows` rows of `data` (all of them when it has fewer).
    public init(_ data: Dataset, loss: Loss, rows: Int = 128) {
      let batch = data.subset(Array(0..<Swift.min(rows, data.count)))
      self.init(features: batch.features, labels: batch.labels, loss: loss)
    }
  }

  /// One epoch's figures; arrays follow ``layers`` (dense layers, input side first).
  public struct Entry: Sendable, Equatable {
    /// The epoch, 0-based as in ``TrainingEvent`` (messages print it 1-based).
    public var epoch: Int
    /// The steps recorded in the epoch.
    public var steps: Int
    /// The mean over the epoch's steps of ‖∂J/∂W‖ per layer.
    public var meanWeightGradientNorms: [Float]
    /// ‖∂J/∂W‖ per layer at the epoch's last step.
    public var lastWeightGradientNorms: [Float]
    /// The probe measured after the epoch, when the recorder has a probe.
    public var snapshot: GradientFlowSnapshot?
    /// What this epoch flagged (also in ``GradientFlowRecorder/warnings`` the first time).
    public var flags: [String]

    /// The first layer's mean norm over the last one's (≪ 1: vanishing, ≫ 1: exploding).
    public var firstToLastRatio: Float {
      guard let first = meanWeightGradientNorms.first, let last = meanWeightGradientNorms.last, last > 0 else {
        return .nan
      }
      return first / last
    }
  }

  /// The weight parameters recorded, one per layer with parameters (`0.weight`, `2.weight`,
  /// …), in model order.
  public private(set) var layers: [String] = []
  /// One entry per finished epoch.
  public private(set) var epochs: [Entry] = []
  /// Every vanishing/exploding flag, once per kind and layer, naming epoch and layer.
  public private(set) var warnings: [String] = []

  /// The probe measured after each epoch, if any.
  public let probe: Probe?
  /// Vanishing when the first-to-last weight-gradient norm ratio falls below this.
  public let vanishingRatio: Float
  /// Vanishing when a layer's weight-gradient norm falls below this.
  public let vanishingFloor: Float
  /// Exploding when the first-to-last ratio, or a layer's growth since the first epoch,
  /// exceeds this.
  public let explodingFactor: Float

  /// How far above the other layers' median a grown gradient must be to count as exploding.
  static let explodingMedianMultiple: Float = 10
  /// A weight-gradient norm that counts as large on its own, for a grown gradient.
  static let explodingAbsoluteNorm: Float = 100

  private var sums: [Double] = []
  private var last: [Float] = []
  private var steps = 0
  private var flagged: Set<String> = []

  /// Creates a recorder.
  ///
  /// - Parameters:
  ///   - probe: a batch to take a ``GradientFlowSnapshot`` of after every epoch; nil for none.
  ///   - vanishingRatio: first/last weight-gradient norm ratio below which gradients vanish.
  ///   - vanishingFloor: a layer norm below which gradients vanish.
  ///   - explodingFactor: growth across layers or epochs above which gradients explode.
  public init(probe: Probe? = nil, vanishingRatio: Float = 1e-3, vanishingFloor: Float = 1e-7, explodingFactor: Float = 1e3) {
    self.probe = probe
    self.vanishingRatio = vanishingRatio
    self.vanishingFloor = vanishingFloor
    self.explodingFactor = explodingFactor
  }

  /// Records each step's weight-gradient norms and closes an ``Entry`` at the end of each
  /// epoch (measuring the probe on `state.model`); never stops training.
  public func handle(_ event: TrainingEvent, state: inout TrainingState) -> TrainingDecision {
    switch event {
    case .gradientsComputed(_, _, let gradients):
      record(gradients, order: state.model.parameterNames)
    case .epochFinished(let epoch, _, _):
      finishEpoch(epoch, model: state.model)
    default:
      break
    }
    return .proceed
  }

  private func record(_ gradients: [String: Tensor], order: [String]) {
    if layers.isEmpty {
      // One entry per layer with parameters: its first parameter (a dense layer's weight).
      layers = GradientFlowSnapshot.parameterGroups(order).map { order[$0[0]] }.filter { gradients[$0] != nil }
      sums = Array(repeating: 0, count: layers.count)
    }
    if steps == 0 { sums = Array(repeating: 0, count: layers.count) }
    last = layers.map { gradients[$0].map(GradientFlowSnapshot.norm) ?? .nan }
    for (index, norm) in last.enumerated() { sums[index] += Double(norm) }
    steps += 1
  }

  private func finishEpoch(_ epoch: Int, model: any Layer) {
    let means = sums.map { Float($0 / Double(Swift.max(steps, 1))) }
    let snapshot = probe.map { probe in
      GradientFlowSnapshot.measure(
        model: model, features: probe.features, labels: probe.labels, loss: probe.loss, objective: probe.objective)
    }
    var entry = Entry(
      epoch: epoch, steps: steps, meanWeightGradientNorms: steps > 0 ? means : [],
      lastWeightGradientNorms: steps > 0 ? last : [], snapshot: snapshot, flags: [])
    let found = flags(for: entry)
    for flag in found where flagged.insert(flag.key).inserted { warnings.append(flag.message) }
    entry.flags = found.map(\.message)
    epochs.append(entry)
    steps = 0
  }

  private struct Flag {
    var key: String
    var message: String
  }

  private func flags(for entry: Entry) -> [Flag] {
    let norms = entry.meanWeightGradientNorms
    let label = "epoch \(entry.epoch + 1)"
    var flags: [Flag] = []
    func flag(_ kind: String, _ layer: String, _ detail: String) {
      flags.append(Flag(key: "\(kind) \(layer)", message: "\(label): \(kind) gradients at \(layer): \(detail)"))
    }
    for (layer, norm) in zip(layers, norms) where !norm.isFinite {
      flag("exploding", layer, "‖∂J/∂W‖ is \(norm)")
    }
    if let snapshot = entry.snapshot, snapshot.hasNonFiniteValues {
      let layer = snapshot.layers.first { $0.errorNorm.isInfinite || !$0.weightGradientNorm.isFinite }?.name ?? "the loss"
      flag("exploding", layer, "the probe batch gives non-finite values (loss \(snapshot.loss))")
    }
    if norms.count >= 2, let first = layers.first, let lastLayer = layers.last {
      let ratio = entry.firstToLastRatio
      if ratio < vanishingRatio {
        flag("vanishing", first, "‖∂J/∂W‖ is \(short(ratio)) × that of \(lastLayer) (below \(short(vanishingRatio)))")
      } else if ratio > explodingFactor {
        flag("exploding", first, "‖∂J/∂W‖ is \(short(ratio)) × that of \(lastLayer) (above \(short(explodingFactor)))")
      }
    }
    for (layer, norm) in zip(layers, norms) where norm.isFinite && norm < vanishingFloor {
      flag("vanishing", layer, "‖∂J/∂W‖ is \(short(norm)) (below \(short(vanishingFloor)))")
    }
    // Growth since the first epoch counts as exploding only for a gradient that is now
    // also large: 10× the median of the other layers', or above 100 outright. A gradient
    // recovering from a vanished start (1e-5 → 0.16 while the output layer's is 0.46)
    // grows a lot without exploding.
    if let reference = epochs.first?.meanWeightGradientNorms, reference.count == norms.count {
      for (index, (start, now)) in zip(reference, norms).enumerated() where start > 0 && now / start > explodingFactor {
        var others = norms
        others.remove(at: index)
        others.sort()
        let median = others.isEmpty ? 0 : others[others.count / 2]
        guard now > Self.explodingMedianMultiple * median || now > Self.explodingAbsoluteNorm else { continue }
        flag("exploding", layers[index],
             "‖∂J/∂W‖ grew \(short(now / start)) × since epoch \(epochs[0].epoch + 1) (above \(short(explodingFactor))) "
               + "to \(short(now)), \(short(now / Swift.max(median, .leastNormalMagnitude))) × the other layers' median")
      }
    }
    return flags
  }

  /// Three significant digits: 0.000123 → 1.23e-04.
  private func short(_ value: Float) -> String { String(format: "%.3g", Double(value)) }
}
