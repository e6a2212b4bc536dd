import Dendrite
import Foundation

/// Ctrl-C during `dendrite train`: the first SIGINT asks training to stop after the step in
/// progress (the callback answers `.stop` to the next `batchFinished`), so that the command
/// can write the checkpoint it was asked for, print what was trained and exit 130. A second
/// SIGINT ends the process at once (files are written atomically, so none is left half
/// written either way).
final class Interruption: TrainingCallback, @unchecked Sendable {
  private let lock = NSLock()
  private var requested = false
  private var source: DispatchSourceSignal?
  /// Where training stopped: the epoch (0-based), the steps done in it and its step count.
  private(set) var stoppedAt: (epoch: Int, steps: Int, stepsPerEpoch: Int)?

  /// Whether Ctrl-C was pressed.
  var wasRequested: Bool {
    lock.lock()
    defer { lock.unlock() }
    return requested
  }

  /// Starts listening for SIGINT (instead of the default, which ends the process).
  func install() {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { [weak self] in
      guard let self else { return }
      self.lock.lock()
      let second = self.requested
      self.requested = true
      self.lock.unlock()
      if second { exit(130) }
    }
    source.resume()
    self.source = source
  }

  /// Stops training after the step in progress once Ctrl-C was pressed.
  func handle(_ event: TrainingEvent, state: inout TrainingState) -> TrainingDecision {
    guard case .batchFinished(let epoch, let step, let steps, _) = event, wasRequested else { return .proceed }
    stoppedAt = (epoch, step + 1, steps)
    return .stop
  }
}
