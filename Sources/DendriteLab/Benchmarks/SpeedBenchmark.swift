import Dendrite
import Foundation

/// Quick speed figures for `dendrite bench`: the peers' MLP training configuration, the
/// tiny-network step overhead, GEMM throughput and peak memory.
///
/// The MLP follows the peer benchmarks' conventions (`Scripts/bench_peers.py`): layers
/// 784-256-128-10, ReLU, softmax cross-entropy, batch 128, plain SGD at 0.01, Glorot
/// uniform weights, synthetic "teacher" data of 8 distinct batches cycled in order
/// (X ~ N(0, 1), label = argmax(X·Wt) for a random linear teacher Wt). Dendrite draws its
/// own random numbers, so its final loss is comparable to the peers' in size, not equal.
///
///     let figures = SpeedBenchmark(steps: 200).run()
///     print(figures.mlpSamplesPerSecond)
public struct SpeedBenchmark: Sendable {
  /// Timed MLP steps (after `warmupSteps` untimed ones).
  public var steps: Int
  /// Untimed MLP steps first.
  public var warmupSteps: Int

  /// Creates a benchmark.
  public init(steps: Int = 300, warmupSteps: Int = 30) {
    self.steps = steps
    self.warmupSteps = warmupSteps
  }

  /// One GEMM measurement.
  public struct GEMMFigure: Sendable {
    /// `MxKxN`, as the peers' script names shapes.
    public var shape: String
    /// Threads available to the kernels (small products run on one).
    public var threads: Int
    /// Billions of floating-point operations per second (2·m·n·k per product).
    public var gflops: Double
  }

  /// The figures.
  public struct Figures: Sendable {
    public var mlpSamplesPerSecond: Double
    public var mlpFinalLoss: Float
    public var tinyStepMicroseconds: Double
    public var gemm: [GEMMFigure]
    public var peakRSSMegabytes: Double
  }

  /// Runs everything (a few seconds in a release build).
  public func run() -> Figures {
    let (samplesPerSecond, finalLoss) = measureMLP()
    return Figures(
      mlpSamplesPerSecond: samplesPerSecond, mlpFinalLoss: finalLoss, tinyStepMicroseconds: measureTinyStep(),
      gemm: [(128, 784, 256), (256, 256, 256), (1024, 1024, 1024)].map { measureGEMM(m: $0.0, k: $0.1, n: $0.2) },
      peakRSSMegabytes: Self.peakRSSMegabytes())
  }

  func measureMLP() -> (samplesPerSecond: Double, finalLoss: Float) {
    let batch = 128
    let batches = 8
    var generator = RandomGenerator(seed: 0)
    let x = Tensor(randomNormal: [batch * batches, 784], generator: &generator)
    let teacher = Tensor(randomNormal: [784, 10], generator: &generator)
    let labels = matmul(x, teacher).argmax(alongAxis: -1)
    let inputs = (0..<batches).map { b in
      Tensor(shape: [batch, 784], scalars: Array(x.scalars[(b * batch * 784)..<((b + 1) * batch * 784)]))
    }
    var model = Sequential.multilayerPerceptron(
      inputSize: 784, hiddenSizes: [256, 128], activation: .relu, outputSize: 10, weightInitializer: .glorotUniform,
      seed: 1)
    var optimizer = SGD(learningRate: 0.01)
    var lastLoss: Float = .nan
    func step(_ i: Int) {
      let b = i % batches
      let classes = Array(labels[(b * batch)..<((b + 1) * batch)])
      let (loss, gradients) = model.valueWithGradients { m in
        softmaxCrossEntropy(logits: m(inputs[b]), classIndices: classes)
      }
      lastLoss = loss.scalar
      optimizer.update(&model, along: gradients)
    }
    for i in 0..<warmupSteps { step(i) }
    let start = DispatchTime.now().uptimeNanoseconds
    for i in 0..<steps { step(warmupSteps + i) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (Double(steps * batch) / seconds, lastLoss)
  }

  func measureTinyStep() -> Double {
    let x = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    let y = Tensor([[0], [1], [1], [0]])
    var model = Sequential.multilayerPerceptron(inputSize: 2, hiddenSizes: [4], activation: .relu, outputSize: 1, seed: 1)
    var optimizer = SGD(learningRate: 0.1)
    func step() {
      let (_, gradients) = model.valueWithGradients { m in meanSquaredError(predicted: m(x), expected: y) }
      optimizer.update(&model, along: gradients)
    }
    for _ in 0..<500 { step() }
    let count = 5000
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<count { step() }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(count)
  }

  func measureGEMM(m: Int, k: Int, n: Int) -> GEMMFigure {
    var generator = RandomGenerator(seed: 2)
    let a = Tensor(randomNormal: [m, k], generator: &generator)
    let b = Tensor(randomNormal: [k, n], generator: &generator)
    _ = matmul(a, b)
    var repetitions = 0
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    while elapsed < 0.25 || repetitions < 3 {
      _ = matmul(a, b)
      repetitions += 1
      elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    let flops = 2 * Double(m) * Double(n) * Double(k) * Double(repetitions)
    return GEMMFigure(shape: "\(m)x\(k)x\(n)", threads: ComputeSettings.threadCount, gflops: flops / elapsed / 1e9)
  }

  /// The process's peak resident set size so far, in MB (0 where the platform has no getrusage).
  static func peakRSSMegabytes() -> Double {
    var usage = rusage()
    #if os(Linux)
      guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
      return Double(usage.ru_maxrss) / 1024  // KiB
    #else
      guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
      return Double(usage.ru_maxrss) / 1024 / 1024  // bytes
    #endif
  }
}
