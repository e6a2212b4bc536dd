import DendriteLab
import Foundation
import Testing

@Suite("dendrite lab: worked examples and results.json")
struct WorkedExamplesLabTests {
  @Test("the worked examples are confirmed, with autodiff equal to the closed forms")
  func workedExamplesConfirmed() {
    let examples = WorkedExamples.compute()
    #expect(examples.autodiffMatchesClosedForm)
    #expect(examples.agreesWithStudy)
    #expect(examples.result.verdict == .confirmed)
    #expect(Swift.abs(examples.softmaxNormalizer - 22.853586) < 1e-4)
    #expect(Swift.abs(examples.gradient[1] - -0.1331867) < 1e-6)
    #expect(Swift.abs(examples.loss - 0.1429317) < 1e-6)
  }

  @Test("results.json has the schema's keys and is the same on every run")
  func resultsFile() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("dendrite-lab-test-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let results = LabResults(experiments: [WorkedExamples.compute().result])
    try results.write(toDirectory: directory)
    let first = try String(contentsOfFile: directory + "/results.json", encoding: .utf8)
    try LabResults(experiments: [WorkedExamples.compute().result]).write(toDirectory: directory)
    let second = try String(contentsOfFile: directory + "/results.json", encoding: .utf8)
    #expect(first == second)

    let decoded = try JSONDecoder().decode(LabResults.self, from: Data(first.utf8))
    #expect(decoded == results)
    let entry = try #require(decoded.experiments.first)
    #expect(entry.id == "worked-examples")
    let softmax = try #require(entry.metrics["softmax_3_1_neg3"]?.numbers)
    #expect(softmax.count == 3 && Swift.abs(softmax[0] - 0.8788782) < 1e-6)
    let gradient = try #require(entry.metrics["gradient_1_5_3"]?.numbers)
    #expect(gradient.count == 3 && Swift.abs(gradient[1] - -0.1331867) < 1e-6)
  }

  @Test("an output path that is a file gives an error that says so")
  func unwritableOutput() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("dendrite-file-\(UUID().uuidString)").path
    FileManager.default.createFile(atPath: file, contents: Data())
    defer { try? FileManager.default.removeItem(atPath: file) }
    #expect(throws: LabError.self) {
      try LabResults(experiments: []).write(toDirectory: file)
    }
  }
}
