import Dendrite
import Foundation
import Testing

/// `dendrite bench --workload FILE` checks the file before measuring anything: a bad one is
/// one `error:` line naming the file and the problem, exit code 1, nothing on stdout.
@Suite("BenchCommandTests")
struct BenchCommandTests {
  @Test("a missing, malformed or non-workload --workload file is one error line and exit 1")
  func badWorkloadFile() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let garbage = directory.appendingPathComponent("garbage.safetensors")
    try Data([0x10, 0, 0, 0, 0, 0, 0, 0, 0x7B]).write(to: garbage)
    let model = directory.appendingPathComponent("model.safetensors")
    try Data(SafetensorsFile(tensors: [("0.weight", Tensor([[1, 2]]))]).encoded()).write(to: model)

    let cases: [(file: String, message: String)] = [
      ("missing.safetensors", "error: missing.safetensors: no such file (check the path)"),
      ("garbage.safetensors", "error: garbage.safetensors: the header length says 16 bytes but only 1 follow it"),
      ("model.safetensors", "error: model.safetensors: tensor \"mlp.0.weight\" is missing; is this a workload file"),
    ]
    for (file, message) in cases {
      let result = try DendriteProcess.run(["bench", "--workload", file, "--json"], in: directory)
      #expect(result.status == 1, "\(file): \(result.stderr)")
      #expect(result.stdout.isEmpty)
      let lines = result.stderr.split(separator: "\n")
      #expect(lines.count == 1, "\(file): \(result.stderr)")
      #expect(lines.first.map { $0.hasPrefix(message) } == true, "\(file): \(result.stderr)")
    }
  }
}
