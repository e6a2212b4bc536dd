import Dendrite
import Foundation
import Testing

/// Ctrl-C (SIGINT) during `dendrite train`: training stops after the step in progress, the
/// checkpoint asked for is written, `--save` is not (the run did not finish), one line says
/// what was trained, and the exit status is 130.
@Suite("InterruptTests")
struct InterruptTests {
  @Test("SIGINT stops after the current step, writes the checkpoint, says what was trained, exits 130")
  func interrupt() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let process = Process()
    process.executableURL = DendriteProcess.executable
    process.arguments = [
      "train", "--dataset", "iris", "--layers", "8", "--epochs", "1000000", "--checkpoint", "ck.safetensors",
      "--save", "model.safetensors",
    ]
    process.currentDirectoryURL = directory
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    try process.run()
    // Wait for the first epoch line, so that training is under way.
    var stderr = Data()
    let handle = errors.fileHandleForReading
    while !String(decoding: stderr, as: UTF8.self).contains("epoch 2/") {
      let chunk = handle.availableData
      if chunk.isEmpty { break }
      stderr += chunk
    }
    process.interrupt()
    stderr += handle.readDataToEndOfFile()
    process.waitUntilExit()
    let lines = String(decoding: stderr, as: UTF8.self).split(separator: "\n").map(String.init)

    #expect(process.terminationReason == .exit && process.terminationStatus == 130)
    let last = try #require(lines.last)
    #expect(last.hasPrefix("interrupted in epoch "), "\(last)")
    #expect(last.contains("checkpoint written to ck.safetensors (resume with --resume ck.safetensors)"))
    let epochs = lines.filter { $0.hasPrefix("epoch ") }.count
    #expect(last.contains(": \(epochs) whole epoch"), "\(last), \(epochs) epoch lines")
    let checkpoint = try ModelFile.load(from: directory.appendingPathComponent("ck.safetensors").path)
    #expect(checkpoint.optimizer != nil)
    #expect(checkpoint.training?["epoch"] == .number(Double(epochs)))
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.safetensors").path))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty)
  }
}
