import Dendrite
import Foundation

/// Quick speed figures for `dendrite bench`: the peers' MLP training configuration, the
/// tiny-network step overhead, GEMM throughput and peak memory.
///
/// Both trainings follow the peer benchmarks' conventions (`Scripts/bench_peers.py`):
/// - MLP: the ``BenchmarkWorkload``'s network (784-256-128-10, ReLU hidden layers, linear
///   logits), softmax cross-entropy (mean over the batch), plain SGD at 0.01, its batches
///   used in order and cycled; `warmupSteps` untimed steps, then `steps` timed ones.
/// - tiny: 2-4-1, sigmoid hidden layer, linear output, mean squared error (mean over all
///   elements), plain SGD at 0.1 on the 4 XOR samples; 500 untimed steps, then 5000 timed.
///   Measured twice: through ``Trainer`` (the compiled step) and through the gradient
///   tape (`model.valueWithGradients` and `optimizer.update`, the path `fit` takes with a
///   custom objective and any code that differentiates its own function).
///
/// - CNN: the workload's ``CNNWorkload`` (two 3×3 convolutions, max pooling, two dense
///   layers), softmax cross-entropy, Adam at 1e-3, batches of 64; `cnnWarmupSteps` untimed
///   steps, then `cnnSteps` timed ones.
///
/// The trainings are ``MLPTraining``, ``CNNTraining`` and ``TinyTraining`` and the products
/// ``GEMMOperands``, which the Benchmarks/ package times too.
///
/// A final loss is the loss of the last timed step, computed before its update. With a
/// workload file written by the script, the peers train from the same weights on the same
/// batches, so their final losses agree with Dendrite's up to float32 rounding.
///
///     let figures = SpeedBenchmark(steps: 200, workload: .synthetic()).run()
///     print(figures.mlpSamplesPerSecond, figures.mlpFinalLoss)
public struct SpeedBenchmark: Sendable {
  /// Timed MLP steps (after `warmupSteps` untimed ones).
  public var steps: Int
  /// Untimed MLP steps first.
  public var warmupSteps: Int
  /// Timed tiny-network steps (after `tinyWarmupSteps` untimed ones).
  public var tinySteps: Int
  /// Untimed tiny-network steps first.
  public var tinyWarmupSteps: Int
  /// Timed CNN steps (after `cnnWarmupSteps` untimed ones); 0 skips the CNN.
  public var cnnSteps: Int = 40
  /// Untimed CNN steps first.
  public var cnnWarmupSteps: Int = 5
  /// What the networks train on and start from.
  public var workload: BenchmarkWorkload
  /// With more than one rank (`mpirun`), the MLP and CNN steps are data-parallel: each
  /// rank trains on its share of every batch, so samples/s counts the whole batch.
  public var communicator: (any Communicator)?
  /// The MLP's SGD learning rate (0.01, as the peers).
  public var mlpLearningRate: Float = 0.01
  /// The tiny network's SGD learning rate (0.1, as the peers).
  public var tinyLearningRate: Float = 0.1
  /// The GEMM shapes measured, `(m, k, n)`: C[m, n] = A[m, k]·B[k, n].
  public var gemmShapes: [(m: Int, k: Int, n: Int)] = [(128, 784, 256), (256, 256, 256), (1024, 1024, 1024)]

  /// Creates a benchmark.
  ///
  ///     SpeedBenchmark(workload: try BenchmarkWorkload.load(from: "workload.safetensors"))
  public init(
    steps: Int = 300, warmupSteps: Int = 30, tinySteps: Int = 5000, tinyWarmupSteps: Int = 500,
    workload: BenchmarkWorkload = .synthetic()
  ) {
    self.steps = steps
    self.warmupSteps = warmupSteps
    self.tinySteps = tinySteps
    self.tinyWarmupSteps = tinyWarmupSteps
    self.workload = workload
  }

  /// One GEMM measurement.
  public struct GEMMFigure: Sendable {
    /// `MxKxN`, as the peers' script names shapes.
    public var shape: String
    /// Threads available to the kernels (products under 2·10⁶ multiply-adds run on one).
    public var threads: Int
    /// Billions of floating-point operations per second (2·m·n·k per product).
    public var gflops: Double
  }

  /// The figures.
  public struct Figures: Sendable {
    /// MLP training throughput: batch · steps / seconds.
    public var mlpSamplesPerSecond: Double
    /// The MLP's loss at its last timed step, before that step's update.
    public var mlpFinalLoss: Float
    /// Microseconds per tiny-network training step.
    public var tinyStepMicroseconds: Double
    /// The tiny network's loss at its last timed step, before that step's update.
    public var tinyFinalLoss: Float
    /// Microseconds per tiny-network training step through the gradient tape.
    public var tapeTinyStepMicroseconds: Double = 0
    /// The tape-trained tiny network's final loss (the same training, so ≈ `tinyFinalLoss`).
    public var tapeTinyFinalLoss: Float = .nan
    /// What the tape costs, from ``measureTapeOverhead()``.
    public var tapeOverhead = TapeOverhead(forwardOpMicroseconds: 0, recordedOpMicroseconds: 0, fixedMicroseconds: 0)
    /// CNN training throughput (batch · steps / seconds); nil when not measured.
    public var cnnSamplesPerSecond: Double? = nil
    /// The CNN's loss at its last timed step, before that step's update; nil when not measured.
    public var cnnFinalLoss: Float? = nil
    /// GEMM throughput per shape.
    public var gemm: [GEMMFigure]
    /// The process's peak resident set size, in MB.
    public var peakRSSMegabytes: Double
    /// The peak resident set size right after the MLP's training (the benchmark runs it
    /// first), in MB: the memory the MLP training needed, before the GEMM measurements.
    public var mlpPeakRSSMegabytes: Double = 0
  }

  /// Runs everything (a few seconds in a release build).
  public func run() -> Figures {
    let mlp = measureMLP()
    let mlpPeak = Self.peakRSSMegabytes()
    let tiny = measureTinyNetwork()
    let tapeTiny = measureTinyNetworkOnTape()
    let tapeOverhead = measureTapeOverhead()
    let cnn = measureCNN()
    var figures = Figures(
      mlpSamplesPerSecond: mlp.samplesPerSecond, mlpFinalLoss: mlp.finalLoss,
      tinyStepMicroseconds: tiny.microsecondsPerStep, tinyFinalLoss: tiny.finalLoss,
      tapeTinyStepMicroseconds: tapeTiny.microsecondsPerStep, tapeTinyFinalLoss: tapeTiny.finalLoss,
      tapeOverhead: tapeOverhead,
      gemm: measureGEMM(), peakRSSMegabytes: Self.peakRSSMegabytes(), mlpPeakRSSMegabytes: mlpPeak)
    (figures.cnnSamplesPerSecond, figures.cnnFinalLoss) = (cnn?.samplesPerSecond, cnn?.finalLoss)
    return figures
  }

  /// Trains the workload's CNN (``CNNTraining``); samples per second over the timed steps
  /// and the final loss, or nil when the workload has no CNN or `cnnSteps` is 0.
  ///
  ///     let (speed, loss) = SpeedBenchmark(workload: .synthetic()).measureCNN() ?? (0, .nan)
  public func measureCNN() -> (samplesPerSecond: Double, finalLoss: Float)? {
    guard let cnn = workload.cnn, cnnSteps > 0 else { return nil }
    let training = CNNTraining(workload: cnn, communicator: communicator)
    return Self.samplesPerSecond(warmup: cnnWarmupSteps, steps: cnnSteps, batchSize: training.batchSize) {
      training.step()
    }
  }

  /// `warmup` untimed steps, then `steps` timed ones: samples per second and the last loss.
  private static func samplesPerSecond(
    warmup: Int, steps: Int, batchSize: Int, _ step: () -> Float
  ) -> (samplesPerSecond: Double, finalLoss: Float) {
    var loss: Float = .nan
    for _ in 0..<warmup { loss = step() }
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<steps { loss = step() }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (Double(steps * batchSize) / seconds, loss)
  }

  /// Trains the workload's MLP; samples per second over the timed steps and the final loss.
  ///
  ///     let (speed, loss) = SpeedBenchmark(steps: 100).measureMLP()   // samples/s, the last step's loss
  public func measureMLP() -> (samplesPerSecond: Double, finalLoss: Float) {
    let training = MLPTraining(workload: workload, learningRate: mlpLearningRate, communicator: communicator)
    return Self.samplesPerSecond(warmup: warmupSteps, steps: steps, batchSize: training.batchSize) { training.step() }
  }

  /// Trains the workload's tiny network; microseconds per timed step and the final loss.
  ///
  ///     let (microseconds, loss) = SpeedBenchmark(tinySteps: 1000).measureTinyNetwork()
  public func measureTinyNetwork() -> (microsecondsPerStep: Double, finalLoss: Float) {
    let training = TinyTraining(workload: workload, learningRate: tinyLearningRate)
    return timeTinySteps { training.step() }
  }

  /// The same training as ``measureTinyNetwork()`` through the gradient tape: each step
  /// records the forward pass and loss, runs the backward pass, and applies SGD with
  /// `Optimizer.update(_:along:)`.
  ///
  ///     let (microseconds, loss) = SpeedBenchmark(tinySteps: 1000).measureTinyNetworkOnTape()
  public func measureTinyNetworkOnTape() -> (microsecondsPerStep: Double, finalLoss: Float) {
    var model = workload.makeTinyNetwork()
    var optimizer = SGD(learningRate: tinyLearningRate)
    let (x, y) = (workload.tinyInputs, workload.tinyTargets)
    func step() -> Float {
      let (loss, gradients) = model.valueWithGradients { model in meanSquaredError(predicted: model(x), expected: y) }
      optimizer.update(&model, along: gradients)
      return loss.scalar
    }
    return timeTinySteps(step)
  }

  /// `tinyWarmupSteps` untimed calls of `step`, then `tinySteps` timed ones: microseconds
  /// per timed call and the loss the last one returned.
  private func timeTinySteps(_ step: () -> Float) -> (microsecondsPerStep: Double, finalLoss: Float) {
    var loss: Float = .nan
    for _ in 0..<tinyWarmupSteps { loss = step() }
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<tinySteps { loss = step() }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (seconds * 1e6 / Double(max(tinySteps, 1)), loss)
  }

  /// The gradient tape's costs, from chains of 1 and 21 sigmoids on a 2×2 tensor, each
  /// timed plainly and under `gradient(at:)` (best of 7 batches of 20,000 calls):
  ///
  ///     forward op  = (plain(21) − plain(1)) / 20
  ///     recorded op = (taped(21) − taped(1)) / 20     the op, its tape entry, its pullback
  ///     fixed       = taped(1) − plain(1) − (recorded op − forward op)
  ///
  /// The recorded op minus twice the forward op is the tape's own bookkeeping per op (its
  /// pullback computes a tensor of the same size as the op did); `fixed` is what each
  /// differentiation costs besides its ops (the tape, the leaves, the seed, the gradients).
  public struct TapeOverhead: Sendable {
    /// One 4-element sigmoid, no tape.
    public var forwardOpMicroseconds: Double
    /// The same op recorded on a tape, plus its share of the backward pass.
    public var recordedOpMicroseconds: Double
    /// The cost of one `gradient(at:)` besides the ops it records.
    public var fixedMicroseconds: Double
  }

  /// Measures ``TapeOverhead`` (about a second).
  ///
  ///     let tape = SpeedBenchmark().measureTapeOverhead()   // µs per plain op, per recorded op, per gradient
  public func measureTapeOverhead() -> TapeOverhead {
    let x = Tensor([[0.1, 0.2], [0.3, 0.4]])
    func chain(_ x: Tensor, _ length: Int) -> Tensor {
      var y = x
      for _ in 0..<length { y = sigmoid(y) }
      return y.sum()
    }
    var sink: Float = 0
    func microseconds(_ body: () -> Void) -> Double {
      let calls = 20_000
      for _ in 0..<(calls / 10) { body() }
      var best = Double.infinity
      for _ in 0..<7 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<calls { body() }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(calls))
      }
      return best
    }
    let plain1 = microseconds { sink += chain(x, 1).scalar }
    let plain21 = microseconds { sink += chain(x, 21).scalar }
    let taped1 = microseconds { sink += gradient(at: x) { chain($0, 1) }.scalars[0] }
    let taped21 = microseconds { sink += gradient(at: x) { chain($0, 21) }.scalars[0] }
    let forward = (plain21 - plain1) / 20, recorded = (taped21 - taped1) / 20
    precondition(sink.isFinite, "the tape benchmark's values are finite")
    return TapeOverhead(
      forwardOpMicroseconds: forward, recordedOpMicroseconds: recorded, fixedMicroseconds: taped1 - plain1 - (recorded - forward))
  }

  /// GEMM throughput for every shape of ``gemmShapes`` at ``ComputeSettings/threadCount``
  /// threads (Dendrite has no public per-call thread count: run with `DENDRITE_THREADS=1`
  /// or `dendrite bench --threads 1` for one thread).
  ///
  ///     SpeedBenchmark().measureGEMM().map(\.gflops)   // one GFLOP/s figure per shape
  public func measureGEMM() -> [GEMMFigure] {
    gemmShapes.map { Self.measureGEMM(m: $0.m, k: $0.k, n: $0.n) }
  }

  /// The process's peak resident set size so far, in MB (0 where the platform has no getrusage).
  ///
  ///     SpeedBenchmark.peakRSSMegabytes()   // e.g. 41.2
  public static func peakRSSMegabytes() -> Double {
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

// MARK: - GEMM

extension SpeedBenchmark {
  private static func measureGEMM(m: Int, k: Int, n: Int) -> GEMMFigure {
    let operands = GEMMOperands(m: m, k: k, n: n)
    _ = operands.multiply()
    var repetitions = 0
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    while elapsed < 0.25 || repetitions < 3 {
      _ = operands.multiply()
      repetitions += 1
      elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    return GEMMFigure(
      shape: operands.shape, threads: ComputeSettings.threadCount,
      gflops: operands.flops * Double(repetitions) / elapsed / 1e9)
  }
}
