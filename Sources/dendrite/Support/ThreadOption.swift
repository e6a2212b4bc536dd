import ArgumentParser
import Foundation

/// `--threads N`: how many threads the kernels use. It sets `DENDRITE_THREADS` for this
/// process before the first kernel call, which is when Dendrite reads it.
struct ThreadOption: ParsableArguments {
  @Option(help: ArgumentHelp("Compute threads (default: DENDRITE_THREADS, else every core).", valueName: "N"))
  var threads: Int?

  func validate() throws {
    if let threads, threads < 1 || threads > 256 {
      throw ValidationError("--threads must be a whole number from 1 to 256, got \(threads)")
    }
  }

  /// Applies the option; call before any computation.
  func apply() {
    if let threads { setenv("DENDRITE_THREADS", String(threads), 1) }
  }
}
