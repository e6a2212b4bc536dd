// Dendrite's benchmark suite (ordo-one/benchmark). It records measurements only: no
// timing is asserted anywhere. Run it from Benchmarks/ with `swift package benchmark`.
//
// The workloads are `dendrite bench`'s own (the DendriteBenchmarks library: the synthetic
// `BenchmarkWorkload`, `MLPTraining`, `TinyTraining`, `GEMMOperands`), with the conventions
// of Scripts/bench_peers.py, so the figures can be set beside theirs.

import Benchmark
import Dendrite
import DendriteBenchmarks
import DendriteLab

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 3,
    maxDuration: .seconds(3),
    maxIterations: 1_000
  )

  // GEMM: C = A·B for A [m, k] and B [k, n], on every core the kernels use.
  for (m, k, n) in SpeedBenchmark().gemmShapes {
    let operands = GEMMOperands(m: m, k: k, n: n)
    Benchmark(
      "GEMM \(operands.shape)",
      configuration: .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, DendriteMetric.flops],
        units: [DendriteMetric.flops: .giga]  // shown as "FLOP/s (G)": GFLOP/s
      )
    ) { benchmark in
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

  // One training step of the peers' MLP (784-256-128-10, ReLU, softmax CE, batch 128, SGD 0.01)
  // and of the tiny 2-4-1 network, on `dendrite bench`'s synthetic workload.
  let workload = BenchmarkWorkload.synthetic()
  let mlp = OneThread(MLPTraining(workload: workload))
  Benchmark(
    "MLP step 784-256-128-10 batch 128",
    configuration: .init(
      metrics: [.wallClock, .throughput, .mallocCountTotal, .mallocBytesCount, .peakMemoryResident,
                DendriteMetric.samplesPerSecond])
  ) { benchmark in
    let start = ContinuousClock.now
    for _ in benchmark.scaledIterations {
      mlp.value.step()
    }
    let elapsed = ContinuousClock.now - start
    let samples = Double(mlp.value.batchSize * benchmark.scaledIterations.count)
    benchmark.measurement(DendriteMetric.samplesPerSecond, Int(samples / elapsed.seconds))
  }

  // One training step of the 2-4-1 network on XOR: the per-step overhead, not arithmetic.
  let tiny = OneThread(TinyTraining(workload: workload))
  Benchmark(
    "tiny step 2-4-1 XOR",
    configuration: .init(
      metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
      scalingFactor: .kilo
    )
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      tiny.value.step()
    }
  }

  // The whole lab (`dendrite lab` without writing the report).
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

/// A training kept from one iteration to the next, so that the steps measured are those of
/// a trainer in its steady state. The runner calls one benchmark at a time, on one thread,
/// so the value is never used from two threads at once.
final class OneThread<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

extension Duration {
  var seconds: Double {
    let (s, attoseconds) = components
    return Double(s) + Double(attoseconds) * 1e-18
  }
}
