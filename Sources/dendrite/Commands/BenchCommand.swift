import ArgumentParser
import Dendrite
import DendriteBenchmarks

/// `dendrite bench`: quick speed figures, on Dendrite's own synthetic workload or on a
/// workload file that `Scripts/bench_peers.py` writes so that the peers train the same thing.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure training speed (MLP samples/s, tiny-step µs), GEMM GFLOP/s and peak memory.",
    discussion: """
      MLP 784-256-128-10 (ReLU, softmax cross-entropy, batch 128, SGD at 0.01), a small CNN \
      on 28×28 images (conv(32,3), relu, maxpool(2), conv(64,3), relu, maxpool(2), flatten, \
      dense(128), relu, dense(10); batch 64, Adam at 1e-3) and a tiny 2-4-1 network on XOR \
      (sigmoid, MSE, SGD at 0.1), as the peers' benchmarks. With --workload, all start from the file's weights and train on its batches, so the final \
      losses equal those of numpy, PyTorch, JAX or TensorFlow on the same file \
      (Scripts/bench_peers.py writes it and runs them all). Build with \
      `swift build -c release` first: debug builds are many times slower.
      """)

  @Option(help: "Timed MLP training steps (after 30 untimed ones).")
  var steps = 300

  @Option(help: "Timed tiny-network training steps (after 500 untimed ones).")
  var tinySteps = 5000

  @Option(help: "Timed CNN training steps (after 5 untimed ones); 0 skips the CNN.")
  var cnnSteps = 40

  @Option(help: ArgumentHelp(
    "A workload file (safetensors) with the initial weights and the batches; default: Dendrite's own synthetic one.",
    valueName: "FILE"))
  var workload: String?

  @Flag(help: "Measure only GEMM (and peak memory); the peers' script uses it for one-thread GEMM figures.")
  var gemmOnly = false

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  @OptionGroup var threadOption: ThreadOption

  func validate() throws {
    guard steps > 0 else { throw ValidationError("--steps must be a positive whole number, got \(steps)") }
    guard cnnSteps >= 0 else { throw ValidationError("--cnn-steps must be 0 or a positive whole number, got \(cnnSteps)") }
    guard tinySteps > 0 else {
      throw ValidationError("--tiny-steps must be a positive whole number, got \(tinySteps)")
    }
  }

  func run() throws {
    threadOption.apply()
    defer { DistributedRun.finish() }
    try reportingErrors {
      // Under `mpirun -np N` (a build with the MPI trait): the MLP and CNN steps data-parallel.
      let group = try DistributedRun.communicator()
      if gemmOnly {
        let gemm = SpeedBenchmark(workload: try loadWorkload()).measureGEMM()
        try report(figures: nil, gemm: gemm, peakRSS: SpeedBenchmark.peakRSSMegabytes(), source: nil)
        return
      }
      var benchmark = SpeedBenchmark(steps: steps, tinySteps: tinySteps, workload: try loadWorkload())
      benchmark.cnnSteps = cnnSteps
      benchmark.communicator = group
      let figures = benchmark.run()
      try report(
        figures: figures, gemm: figures.gemm, peakRSS: figures.peakRSSMegabytes, source: benchmark.workload.source)
    }
  }

  /// The workload file's contents (checked before anything is measured), or the synthetic one.
  private func loadWorkload() throws -> BenchmarkWorkload {
    guard let workload else { return .synthetic() }
    return try BenchmarkWorkload.load(from: workload)
  }

  private func report(
    figures: SpeedBenchmark.Figures?, gemm: [SpeedBenchmark.GEMMFigure], peakRSS: Double, source: String?
  ) throws {
    if json {
      var object: [String: JSONValue] = [
        "peak_rss_mb": .number((peakRSS * 10).rounded() / 10),
        "threads": .number(Double(ComputeSettings.threadCount)),
        "gemm_kernel": .string(ComputeSettings.gemmKernel),
        "gemm_backend": .string(ComputeSettings.gemmBackend),
        "gemm": .array(gemm.map { figure in
          ["shape": .string(figure.shape), "threads": .number(Double(figure.threads)),
           "gflops": .number((figure.gflops * 10).rounded() / 10)]
        }),
      ]
      if let figures {
        object["mlp_samples_per_s"] = .number(figures.mlpSamplesPerSecond.rounded())
        object["mlp_final_loss"] = .float(figures.mlpFinalLoss)
        object["mlp_steps"] = .number(Double(steps))
        object["mlp_peak_rss_mb"] = .number((figures.mlpPeakRSSMegabytes * 10).rounded() / 10)
        object["tiny_step_us"] = .number((figures.tinyStepMicroseconds * 100).rounded() / 100)
        object["tiny_final_loss"] = .float(figures.tinyFinalLoss)
        object["tiny_steps"] = .number(Double(tinySteps))
        object["tiny_tape_step_us"] = .number((figures.tapeTinyStepMicroseconds * 100).rounded() / 100)
        object["tiny_tape_final_loss"] = .float(figures.tapeTinyFinalLoss)
        object["tape_forward_op_us"] = .number((figures.tapeOverhead.forwardOpMicroseconds * 1000).rounded() / 1000)
        object["tape_recorded_op_us"] = .number((figures.tapeOverhead.recordedOpMicroseconds * 1000).rounded() / 1000)
        object["tape_fixed_us"] = .number((figures.tapeOverhead.fixedMicroseconds * 100).rounded() / 100)
        if let speed = figures.cnnSamplesPerSecond, let loss = figures.cnnFinalLoss {
          object["cnn_samples_per_s"] = .number(speed.rounded())
          object["cnn_final_loss"] = .float(loss)
          object["cnn_steps"] = .number(Double(cnnSteps))
        }
      }
      if let source { object["workload"] = .string(source) }
      JSONOutput.print(.object(object))
      return
    }
    var rows: [[String]] = []
    if let figures {
      rows.append([
        "MLP 784-256-128-10, batch 128, SGD",
        "\(Int(figures.mlpSamplesPerSecond)) samples/s (final loss \(figures.mlpFinalLoss), "
          + String(format: "peak RSS %.1f MB)", figures.mlpPeakRSSMegabytes),
      ])
      if let speed = figures.cnnSamplesPerSecond, let loss = figures.cnnFinalLoss {
        rows.append(["CNN conv32-conv64-dense128 on 28×28, batch 64, Adam", "\(Int(speed)) samples/s (final loss \(loss))"])
      }
      rows.append([
        "tiny 2-4-1 XOR step",
        String(format: "%.1f µs", figures.tinyStepMicroseconds) + " (final loss \(figures.tinyFinalLoss))",
      ])
      rows.append([
        "tiny step through the gradient tape",
        String(format: "%.1f µs", figures.tapeTinyStepMicroseconds) + " (final loss \(figures.tapeTinyFinalLoss))",
      ])
      let tape = figures.tapeOverhead
      rows.append([
        "tape: 4-element op plain / recorded + backward; fixed",
        String(format: "%.2f / %.2f µs per op; %.1f µs per gradient", tape.forwardOpMicroseconds,
               tape.recordedOpMicroseconds, tape.fixedMicroseconds),
      ])
    }
    let gemmName =
      ComputeSettings.gemmBackend == "built-in" ? ComputeSettings.gemmKernel : ComputeSettings.gemmBackend
    rows += gemm.map {
      [
        "GEMM \($0.shape) (\(gemmName), \($0.threads) threads)",
        String(format: "%.1f GFLOP/s", $0.gflops),
      ]
    }
    rows.append(["peak RSS", String(format: "%.1f MB", peakRSS)])
    if let source { rows.append(["workload", source]) }
    print(Terminal.table(header: ["measurement", "figure"], rows: rows))
  }
}
