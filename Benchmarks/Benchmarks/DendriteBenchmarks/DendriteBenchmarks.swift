// Dendrite's benchmark suite (ordo-one/benchmark). It records measurements only: no
// timing is asserted anywhere. Run it from Benchmarks/ with `swift package benchmark`.
//
// The workloads mirror `dendrite bench` (Sources/DendriteLab/Benchmarks/SpeedBenchmark.swift)
// and Scripts/bench_peers.py, so the figures can be set beside theirs.

import Benchmark
import Dendrite
import DendriteLab

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 3,
    maxDuration: .seconds(3),
    maxIterations: 1_000
  )

  // GEMM: C = A·B for A [m, k] and B [k, n], on every core the kernels use.
  for (m, k, n) in [(128, 784, 256), (256, 256, 256), (1024, 1024, 1024)] {
    Benchmark(
      "GEMM \(m)x\(k)x\(n)",
      configuration: .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, DendriteMetric.flops],
        units: [DendriteMetric.flops: .giga]  // shown as "FLOP/s (G)": GFLOP/s
      )
    ) { benchmark in
      let operands = GEMMOperands.shared(m: m, k: k, n: n)
      benchmark.startMeasurement()
      let start = ContinuousClock.now
      for _ in benchmark.scaledIterations {
        blackHole(operands.multiply())
      }
      let elapsed = ContinuousClock.now - start
      benchmark.stopMeasurement()
      let flops = operands.flops * Double(benchmark.scaledIterations.count)
      benchmark.measurement(DendriteMetric.flops, Int(flops / elapsed.seconds))
    }
  }

  // One training step of the peers' MLP (784-256-128-10, ReLU, softmax CE, batch 128, SGD 0.01).
  let mlp = MLPStep()
  Benchmark(
    "MLP step 784-256-128-10 batch 128",
    configuration: .init(
      metrics: [.wallClock, .throughput, .mallocCountTotal, .mallocBytesCount, .peakMemoryResident,
                DendriteMetric.samplesPerSecond])
  ) { benchmark in
    let start = ContinuousClock.now
    for _ in benchmark.scaledIterations {
      mlp.step()
    }
    let elapsed = ContinuousClock.now - start
    let samples = Double(MLPStep.batchSize * benchmark.scaledIterations.count)
    benchmark.measurement(DendriteMetric.samplesPerSecond, Int(samples / elapsed.seconds))
  }

  // One training step of a 2-4-1 network on XOR: the per-step overhead, not arithmetic.
  let tiny = TinyStep()
  Benchmark(
    "tiny step 2-4-1 XOR",
    configuration: .init(
      metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
      scalingFactor: .kilo
    )
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      tiny.step()
    }
  }

  // The whole lab (`dendrite lab` without writing the report): about 6 s a run in release.
  Benchmark(
    "lab",
    configuration: .init(
      metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
      warmupIterations: 0,
      maxDuration: .seconds(60),
      maxIterations: 3
    )
  ) { benchmark in
    blackHole(try Lab().run().outcomes.count)
  }
}

/// Metrics the benchmark package does not have.
enum DendriteMetric {
  /// Floating-point operations per second (2·m·n·k per product).
  static let flops = BenchmarkMetric.custom("FLOP/s", polarity: .prefersLarger, useScalingFactor: false)
  /// Training samples per second.
  static let samplesPerSecond = BenchmarkMetric.custom("samples/s", polarity: .prefersLarger, useScalingFactor: false)
}

extension Duration {
  var seconds: Double {
    let (s, attoseconds) = components
    return Double(s) + Double(attoseconds) * 1e-18
  }
}

/// Random operands of one GEMM shape, made once per process.
final class GEMMOperands: @unchecked Sendable {
  let a: Tensor
  let b: Tensor
  let flops: Double

  init(m: Int, k: Int, n: Int) {
    var generator = RandomGenerator(seed: 2)
    a = Tensor(randomNormal: [m, k], generator: &generator)
    b = Tensor(randomNormal: [k, n], generator: &generator)
    flops = 2 * Double(m) * Double(k) * Double(n)
  }

  func multiply() -> Tensor { matmul(a, b) }

  nonisolated(unsafe) private static var cache: [String: GEMMOperands] = [:]

  /// The benchmark runner calls one benchmark at a time, on one thread.
  static func shared(m: Int, k: Int, n: Int) -> GEMMOperands {
    let key = "\(m)x\(k)x\(n)"
    if let operands = cache[key] { return operands }
    let operands = GEMMOperands(m: m, k: k, n: n)
    cache[key] = operands
    return operands
  }
}

/// The peers' MLP configuration (as `SpeedBenchmark` and Scripts/bench_peers.py): synthetic
/// "teacher" data, X ~ N(0, 1) and label = argmax(X·Wt) for a random linear teacher Wt,
/// 8 distinct batches of 128 cycled in order; Glorot uniform weights.
final class MLPStep: @unchecked Sendable {
  static let batchSize = 128
  static let batchCount = 8
  private let trainer: Trainer<SGD>
  private var inputs: [Tensor] = []
  private var classes: [Dataset.Labels] = []
  private var next = 0
  private(set) var lastLoss: Float = .nan

  init() {
    let batch = Self.batchSize
    var generator = RandomGenerator(seed: 0)
    let x = Tensor(randomNormal: [batch * Self.batchCount, 784], generator: &generator)
    let teacher = Tensor(randomNormal: [784, 10], generator: &generator)
    let labels = matmul(x, teacher).argmax(alongAxis: -1)
    for b in 0..<Self.batchCount {
      inputs.append(Tensor(shape: [batch, 784], scalars: Array(x.scalars[(b * batch * 784)..<((b + 1) * batch * 784)])))
      classes.append(.classes(Array(labels[(b * batch)..<((b + 1) * batch)]), classCount: 10))
    }
    let model = Sequential.multilayerPerceptron(
      inputSize: 784, hiddenSizes: [256, 128], activation: .relu, outputSize: 10, weightInitializer: .glorotUniform,
      seed: 1)
    trainer = Trainer(model: model, loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.01))
  }

  /// One training step on the next batch, with the library's compiled training step.
  func step() {
    let b = next
    next = (next + 1) % Self.batchCount
    // The batches are built to fit the model, so the step cannot throw here.
    lastLoss = (try? trainer.step(inputs: inputs[b], labels: classes[b])) ?? .nan
  }
}

/// A 2-4-1 network with a sigmoid hidden layer learning XOR (4 samples) by MSE and SGD 0.1.
final class TinyStep: @unchecked Sendable {
  private let x = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
  private let y = Tensor([[0], [1], [1], [0]])
  private let trainer = Trainer(
    model: Sequential.multilayerPerceptron(inputSize: 2, hiddenSizes: [4], activation: .sigmoid, outputSize: 1, seed: 1),
    loss: .meanSquaredError, optimizer: SGD(learningRate: 0.1))

  /// One training step on all four samples, with the library's compiled training step.
  func step() {
    _ = try? trainer.step(inputs: x, labels: .targets(y))
  }
}
