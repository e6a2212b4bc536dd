#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// How the learning rate changes from epoch to epoch. With η₀ the base rate and e the
/// 0-based epoch:
///
///     constant                          η = η₀
///     step(every: n, factor: f)         η = η₀ · f^⌊e / n⌋                         (PyTorch StepLR)
///     exponential(decayRate: r)         η = η₀ · rᵉ                                 (PyTorch ExponentialLR)
///     cosine(totalEpochs: T, minimum)   η = min + (η₀ − min)·(1 + cos(π·min(e, T)/T))/2   (CosineAnnealingLR)
///
/// The cosine schedule reaches `minimum` at epoch T and stays there (PyTorch's closed
/// form would rise again; Keras's `CosineDecay` holds too).
///
///     let schedule = LearningRateSchedule.step(every: 10, factor: 0.5)
///     optimizer.learningRate = schedule.learningRate(base: 0.1, epoch: 25)   // 0.025
public enum LearningRateSchedule: Sendable, Equatable {
  /// The base rate throughout.
  case constant
  /// The rate multiplied by `factor` every `every` epochs.
  case step(every: Int, factor: Float)
  /// The rate multiplied by `decayRate` every epoch.
  case exponential(decayRate: Float)
  /// Half a cosine from the base rate at epoch 0 down to `minimum` at epoch `totalEpochs`.
  case cosine(totalEpochs: Int, minimum: Float = 0)

  /// The learning rate for `epoch` (0-based) starting from `base`.
  ///
  ///     LearningRateSchedule.cosine(totalEpochs: 10).learningRate(base: 1, epoch: 5)   // 0.5
  ///
  /// - Precondition: `epoch ≥ 0`; `every` and `totalEpochs` are positive.
  public func learningRate(base: Float, epoch: Int) -> Float {
    precondition(epoch >= 0, "learning-rate schedule: epoch \(epoch) is negative")
    switch self {
    case .constant:
      return base
    case .step(let every, let factor):
      precondition(every > 0, "step schedule: every \(every) must be positive")
      return Float(Double(base) * pow(Double(factor), Double(epoch / every)))
    case .exponential(let decayRate):
      return Float(Double(base) * pow(Double(decayRate), Double(epoch)))
    case .cosine(let totalEpochs, let minimum):
      precondition(totalEpochs > 0, "cosine schedule: totalEpochs \(totalEpochs) must be positive")
      let progress = Double(min(epoch, totalEpochs)) / Double(totalEpochs)
      let lower = Double(minimum)
      return Float(lower + (Double(base) - lower) * (1 + cos(Double.pi * progress)) / 2)
    }
  }
}
