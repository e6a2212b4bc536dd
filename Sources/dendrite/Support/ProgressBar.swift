import Dendrite
import Foundation

/// The training progress bar, drawn on stderr when it is a terminal, and the per-epoch
/// lines.
final class ProgressBar {
  private let isTerminal = isatty(STDERR_FILENO) != 0
  private let quiet: Bool
  private var lastDraw = Date.distantPast

  /// `quiet` suppresses the per-epoch lines (for `--json`); the bar still shows on a terminal.
  init(quiet: Bool) { self.quiet = quiet }

  /// The callback that feeds this bar.
  var callback: ProgressCallback {
    ProgressCallback { [self] event in self.handle(event) }
  }

  private func handle(_ event: TrainingEvent) {
    switch event {
    case .batchFinished(let epoch, let step, let steps, let loss):
      guard isTerminal, Date().timeIntervalSince(lastDraw) > 0.1 || step + 1 == steps else { return }
      lastDraw = Date()
      let width = 30
      let filled = (step + 1) * width / max(steps, 1)
      let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
      Terminal.printError("\r\u{1B}[2Kepoch \(epoch + 1) [\(bar)] \(step + 1)/\(steps) loss \(format(loss))", newline: false)
    case .epochFinished(let epoch, let total, let metrics):
      if isTerminal { Terminal.printError("\r\u{1B}[2K", newline: false) }
      guard !quiet else { return }
      let keys = metrics.keys.filter { $0 != "lr" }.sorted { order($0) < order($1) }
      let figures = keys.map { "\($0) \(format(metrics[$0] ?? .nan))" }.joined(separator: "  ")
      Terminal.printError("epoch \(epoch + 1)/\(total)  \(figures)")
    default:
      break
    }
  }

  private func order(_ key: String) -> String {
    (key.hasPrefix("val_") ? "1" : "0") + (key.hasSuffix("loss") ? "0" : "1") + key
  }

  private func format(_ value: Float) -> String { String(format: "%.4f", value) }
}
