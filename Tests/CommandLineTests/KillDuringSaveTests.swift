import Dendrite
import Foundation
import Testing

/// SIGKILL a `dendrite train --checkpoint` that rewrites its checkpoint every epoch, 50
/// times at seeded random moments: the file on disk must always be a whole checkpoint,
/// the previous one or a new one, that loads with the right parameter count.
///
/// The run is iris with 8 hidden units and one full batch per epoch, so that a debug build
/// rewrites the 7 KB checkpoint every few milliseconds and a fair share of kills land
/// between the temporary file's creation and its rename (those leave the temporary file
/// behind, which is how they are counted). A larger data set such as digits takes so long
/// per epoch in a debug build that most kills would land before its first write. Replay a
/// failure with `DENDRITE_KILL_SEED=<seed>`.
@Suite("KillDuringSaveTests")
struct KillDuringSaveTests {
  static let kills = 50
  /// 4·8 + 8 + 8·3 + 3.
  static let parameterCount = 67

  @Test("a checkpoint killed mid-save is the previous file or the new one, and loads")
  func killDuringCheckpoint() throws {
    let seed = ProcessInfo.processInfo.environment["DENDRITE_KILL_SEED"].flatMap(UInt64.init) ?? 2026_11_27
    var random = SplitMix64(seed: seed)
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let name = "checkpoint.safetensors"
    let path = directory.appendingPathComponent(name).path
    let first = try DendriteProcess.run(
      ["train", "--dataset", "iris", "--layers", "8", "--batch-size", "120", "--epochs", "1", "--checkpoint", name],
      in: directory)
    try #require(first.status == 0, "\(first.stderr)")

    var previous = try Data(contentsOf: URL(fileURLWithPath: path))
    var (unchanged, replaced, midWrite) = (0, 0, 0)
    for kill in 0..<Self.kills {
      let delay = 50 + Int(random.next() % 751)
      let context = "kill \(kill + 1) after \(delay) ms (DENDRITE_KILL_SEED=\(seed))"
      let runSeed = kill % 2 == 0 ? 1 : 2
      let process = Process()
      process.executableURL = DendriteProcess.executable
      process.arguments = [
        "train", "--dataset", "iris", "--layers", "8", "--batch-size", "120", "--epochs", "1000000",
        "--seed", "\(runSeed)", "--checkpoint", name,
      ]
      process.currentDirectoryURL = directory
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(delay * 1000))
      Foundation.kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      #expect(process.terminationReason == .uncaughtSignal, "\(context): the run ended before the kill")

      let temporary = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasPrefix(".\(name).") && $0.hasSuffix(".tmp") }
      if !temporary.isEmpty { midWrite += 1 }
      for file in temporary { try FileManager.default.removeItem(at: directory.appendingPathComponent(file)) }

      let current = try Data(contentsOf: URL(fileURLWithPath: path))
      let isNew = current != previous
      do {
        let file = try ModelFile.load(from: path)
        #expect(file.model.parameterCount == Self.parameterCount, "\(context)")
        #expect(file.optimizer != nil, "\(context): no optimizer state")
        if isNew { #expect(file.training?["seed"] == .number(Double(runSeed)), "\(context): a changed file not from this run") }
      } catch {
        Issue.record("\(context): the checkpoint does not load: \(error)")
      }
      if isNew { replaced += 1 } else { unchanged += 1 }
      previous = current
    }
    print("KillDuringSaveTests: \(Self.kills) kills (seed \(seed)): \(replaced) after a new checkpoint, "
      + "\(unchanged) with the previous one, \(midWrite) mid-write (temporary file left)")
    #expect(replaced >= Self.kills / 5, "too few kills landed after the run had written a checkpoint: \(replaced)")
  }
}

/// A small seeded generator (SplitMix64), so that a failing sequence of delays can be replayed.
struct SplitMix64 {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
