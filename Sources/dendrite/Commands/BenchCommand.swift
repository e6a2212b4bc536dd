import ArgumentParser
import Dendrite
import DendriteLab

/// `dendrite bench`: quick speed figures.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure training speed (MLP samples/s, tiny-step µs), GEMM GFLOP/s and peak memory.",
    discussion: "Build with `swift build -c release` first: debug builds are many times slower.")

  @Option(help: "Timed MLP training steps.")
  var steps = 300

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  @OptionGroup var threadOption: ThreadOption

  func validate() throws {
    guard steps > 0 else { throw ValidationError("--steps must be a positive whole number, got \(steps)") }
  }

  func run() throws {
    threadOption.apply()
    try reportingErrors {
      let figures = SpeedBenchmark(steps: steps).run()
      if json {
        try JSONOutput.print([
          "mlp_samples_per_s": .number(figures.mlpSamplesPerSecond.rounded()),
          "mlp_final_loss": .float(figures.mlpFinalLoss),
          "tiny_step_us": .number((figures.tinyStepMicroseconds * 100).rounded() / 100),
          "peak_rss_mb": .number((figures.peakRSSMegabytes * 10).rounded() / 10),
          "threads": .number(Double(ComputeSettings.threadCount)),
          "gemm_kernel": .string(ComputeSettings.gemmKernel),
          "gemm": .array(figures.gemm.map { figure in
            ["shape": .string(figure.shape), "threads": .number(Double(figure.threads)),
             "gflops": .number((figure.gflops * 10).rounded() / 10)]
          }),
        ])
        return
      }
      print(Terminal.table(
        header: ["measurement", "figure"],
        rows: [
          ["MLP 784-256-128-10, batch 128, SGD", "\(Int(figures.mlpSamplesPerSecond)) samples/s (final loss \(figures.mlpFinalLoss))"],
          ["tiny 2-4-1 XOR step", String(format: "%.1f µs", figures.tinyStepMicroseconds)],
        ] + figures.gemm.map { ["GEMM \($0.shape) (\(ComputeSettings.gemmKernel), \($0.threads) threads)", String(format: "%.1f GFLOP/s", $0.gflops)] }
          + [["peak RSS", String(format: "%.1f MB", figures.peakRSSMegabytes)]]))
    }
  }
}
