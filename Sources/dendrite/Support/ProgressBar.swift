import Dendrite
import Foundation

/// The training progress bar, drawn on stderr when it is a terminal, and the per-epoch
/// lines.
///
/// The bar shows the epoch's progress, the running mean loss of the epoch's batches (each
/// weighted by its rows), the elapsed time, the estimated time left for the whole run and
/// the samples per second; each epoch's line ends with the epoch's time. Timings go to
/// stderr only: they never enter `--json`, the model file or the History.
final class ProgressBar {
  private let isTerminal = isatty(STDERR_FILENO) != 0
  private let quiet: Bool
  private let rows: Int
  private let batchSize: Int
  private var lastDraw = Date.distantPast
  private var runStart: Date?
  private var epochStart = Date()
  private var stepsDone = 0
  private var rowsDone = 0
  private var epochLossSum = 0.0
  private var epochRows = 0
  private var totalSteps = 0

  /// - Parameters:
  ///   - quiet: suppresses the per-epoch lines (for `--json`); the bar still shows on a terminal.
  ///   - rows: training rows per epoch.
  ///   - batchSize: rows per step (the last step of an epoch may take fewer).
  init(quiet: Bool, rows: Int, batchSize: Int) {
    self.quiet = quiet
    self.rows = rows
    self.batchSize = max(batchSize, 1)
  }

  /// The callback that feeds this bar.
  var callback: ProgressCallback {
    ProgressCallback { [self] event in self.handle(event) }
  }

  private func handle(_ event: TrainingEvent) {
    switch event {
    case .epochStarted(let epoch, let total):
      let now = Date()
      if runStart == nil {
        runStart = now
        totalSteps = (total - epoch) * Self.steps(rows: rows, batchSize: batchSize)
      }
      epochStart = now
      (epochLossSum, epochRows) = (0, 0)
    case .batchFinished(let epoch, let step, let steps, let loss):
      let batchRows = min(batchSize, rows - step * batchSize)
      stepsDone += 1
      rowsDone += batchRows
      epochLossSum += Double(loss) * Double(batchRows)
      epochRows += batchRows
      guard isTerminal, Date().timeIntervalSince(lastDraw) > 0.1 || step + 1 == steps else { return }
      lastDraw = Date()
      let width = 30
      let filled = (step + 1) * width / max(steps, 1)
      let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
      let mean = Float(epochLossSum / Double(max(epochRows, 1)))
      Terminal.printError(
        "\r\u{1B}[2Kepoch \(epoch + 1) [\(bar)] \(step + 1)/\(steps) loss \(format(mean))  \(timing())", newline: false)
    case .epochFinished(let epoch, let total, let metrics):
      if isTerminal { Terminal.printError("\r\u{1B}[2K", newline: false) }
      guard !quiet else { return }
      let keys = metrics.keys.filter { $0 != "lr" }.sorted { order($0) < order($1) }
      let figures = keys.map { "\($0) \(format(metrics[$0] ?? .nan))" }.joined(separator: "  ")
      Terminal.printError("epoch \(epoch + 1)/\(total)  \(figures)  (\(Self.duration(Date().timeIntervalSince(epochStart))))")
    default:
      break
    }
  }

  /// `elapsed 12 s, ETA 1 min 3 s, 15,200 samples/s`.
  private func timing() -> String {
    guard let runStart else { return "" }
    let elapsed = Date().timeIntervalSince(runStart)
    let perStep = elapsed / Double(max(stepsDone, 1))
    let left = perStep * Double(max(totalSteps - stepsDone, 0))
    let speed = elapsed > 0 ? Int((Double(rowsDone) / elapsed).rounded()) : 0
    return "elapsed \(Self.duration(elapsed)), ETA \(Self.duration(left)), \(speed.formatted()) samples/s"
  }

  /// Steps per epoch.
  static func steps(rows: Int, batchSize: Int) -> Int { (rows + batchSize - 1) / max(batchSize, 1) }

  /// `0.42 s`, `12 s`, `3 min 5 s`, `1 h 2 min`.
  static func duration(_ seconds: TimeInterval) -> String {
    if seconds < 10 { return String(format: "%.2f s", seconds) }
    let whole = Int(seconds.rounded())
    if whole < 60 { return "\(whole) s" }
    if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
    return "\(whole / 3600) h \(whole % 3600 / 60) min"
  }

  private func order(_ key: String) -> String {
    (key.hasPrefix("val_") ? "1" : "0") + (key.hasSuffix("loss") ? "0" : "1") + key
  }

  private func format(_ value: Float) -> String { String(format: "%.4f", value) }
}
