import Dendrite
import Foundation
import Testing

@testable import dendrite

@Suite("evaluate: the model's own data is scored on its held-out test rows")
struct HeldOutEvaluationTests {
  /// 90 rows: two features and a label of three classes, listed out of sorted order so that
  /// the classes' numbering matters.
  static func table(changingRow changed: Int? = nil) -> String {
    var rows = ["a,b,kind"]
    for id in 0..<90 {
      let a = id == changed ? 99.5 : Double(id % 9) / 9
      rows.append("\(a),\(Double(id % 4) / 4),\(["zeta", "alpha", "mid"][id % 3])")
    }
    return rows.joined(separator: "\n") + "\n"
  }

  /// 60 rows of `y = 2a - b` plus a wiggle, for a regressor.
  static let regressionTable = (["a,b,y"] + (0..<60).map { id in
    let (a, b) = (Double(id % 7) / 7, Double(id % 5) / 5)
    return "\(a),\(b),\(2 * a - b + Double(id % 3) / 10)"
  }).joined(separator: "\n") + "\n"

  static func write(_ text: String, to name: String, in directory: URL) throws {
    try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  static func json(_ arguments: [String], in directory: URL) throws -> [String: Any] {
    let result = try DendriteProcess.run(arguments + ["--json"], in: directory)
    try #require(result.status == 0, "\(arguments): \(result.stderr)")
    return try result.json()
  }

  @Test("train then evaluate on the same file, a renamed copy, an edited copy and with --all-rows")
  func sameDataScoresTheTestSplit() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.write(Self.table(), to: "kinds.csv", in: directory)
    try Self.write(Self.table(), to: "renamed.csv", in: directory)
    try Self.write(Self.table(changingRow: 3), to: "edited.csv", in: directory)
    let trained = try Self.json(
      ["train", "--dataset", "kinds.csv", "--epochs", "6", "--seed", "7", "--save", "m.safetensors"], in: directory)
    let testSamples = try #require(trained["test_samples"] as? Int)
    let testAccuracy = try #require(trained["test_accuracy"] as? Double)
    #expect(testSamples == 18)  // 20% of each class of 30

    for file in ["kinds.csv", "renamed.csv"] {
      let scored = try Self.json(["evaluate", "--model", "m.safetensors", "--dataset", file], in: directory)
      #expect(scored["scored_on"] as? String == "test-split", "\(file)")
      #expect(scored["rows"] as? Int == testSamples, "\(file)")
      // The same rows as training's test split: the same accuracy to the float.
      let accuracy = try #require(scored["accuracy"] as? Double)
      #expect(abs(accuracy - testAccuracy) < 1e-5, "\(file): \(accuracy) vs \(testAccuracy)")
    }
    let edited = try Self.json(["evaluate", "--model", "m.safetensors", "--dataset", "edited.csv"], in: directory)
    #expect(edited["scored_on"] as? String == "all-rows" && edited["rows"] as? Int == 90)
    let all = try Self.json(["evaluate", "--model", "m.safetensors", "--dataset", "kinds.csv", "--all-rows"], in: directory)
    #expect(all["scored_on"] as? String == "all-rows" && all["rows"] as? Int == 90)

    let text = try DendriteProcess.run(["evaluate", "--model", "m.safetensors", "--dataset", "renamed.csv"], in: directory)
    #expect(text.stdout.contains(
      "scored on the 18 held-out test rows of renamed.csv (the model's test split, seed 7; --all-rows scores all 90)\n"),
      "\(text.stdout)")
    let allText = try DendriteProcess.run(
      ["evaluate", "--model", "m.safetensors", "--dataset", "kinds.csv", "--all-rows"], in: directory)
    #expect(allText.stdout.contains("scored on all 90 rows, 72 of which the model trained or validated on\n"), "\(allText.stdout)")
    let editedText = try DendriteProcess.run(["evaluate", "--model", "m.safetensors", "--dataset", "edited.csv"], in: directory)
    #expect(editedText.stdout.contains("scored on all 90 rows (not the data the model was trained on, kinds.csv)\n"))
  }

  @Test("the model file records the file's name, SHA-256, rows, label column and split")
  func recordHoldsTheHash() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.write(Self.table(), to: "kinds.csv", in: directory)
    _ = try Self.json(
      ["train", "--dataset", "kinds.csv", "--epochs", "1", "--seed", "3", "--test-fraction", "0.3", "--save", "m.safetensors"],
      in: directory)
    let expected = try Self.sha256sum(directory.appendingPathComponent("kinds.csv").path)

    let file = try ModelFile.load(from: directory.appendingPathComponent("m.safetensors").path)
    #expect(file.dataset == DatasetRecord(
      name: "kinds.csv", sha256: expected, rowCount: 90, labelColumn: "kind", seed: 3, testFraction: 0.3,
      validationFraction: 0.1, missing: .error))
    let inspected = try DendriteProcess.run(["inspect", "m.safetensors"], in: directory)
    #expect(inspected.stdout.contains(
      "  data set: kinds.csv (sha256 \(expected.prefix(12))…), 90 rows, label column \"kind\", seed 3, test 0.3, validation 0.1\n"),
      "\(inspected.stdout)")
  }

  @Test("a file larger than a chunk is hashed whole, as sha256sum hashes it; bundled names are canonical")
  func streamedHashMatchesSha256sum() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("large.bin").path
    // Two and a half chunks of varying bytes.
    let bytes = (0..<(DatasetIdentity.chunkSize * 5 / 2)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let identity = try DatasetIdentity(argument: path)
    let expected = try Self.sha256sum(path)
    #expect(identity.name == "large.bin" && identity.sha256 == expected)
    let bundled = try DatasetIdentity(argument: "Breast_Cancer")
    #expect(bundled.name == "breast-cancer" && bundled.sha256 == nil)
  }

  /// The SHA-256 of the file at `path` by `/usr/bin/sha256sum`.
  static func sha256sum(_ path: String) throws -> String {
    let hasher = Process()
    hasher.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    hasher.arguments = [path]
    let output = Pipe()
    hasher.standardOutput = output
    try hasher.run()
    let line = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    hasher.waitUntilExit()
    let digest = String(line.prefix(64))
    #expect(digest.count == 64 && digest.allSatisfy(\.isHexDigit))
    return digest
  }

  @Test("a bundled set (iris) is recognised by name: 30 test rows, training's test accuracy")
  func bundledSetScoresItsTestSplit() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let trained = try Self.json(["train", "--dataset", "iris", "--epochs", "5", "--save", "iris.safetensors"], in: directory)
    let scored = try Self.json(["evaluate", "--model", "iris.safetensors", "--dataset", "IRIS"], in: directory)
    #expect(scored["scored_on"] as? String == "test-split" && scored["rows"] as? Int == 30)
    let accuracy = try #require(scored["accuracy"] as? Double)
    #expect(abs(accuracy - (try #require(trained["test_accuracy"] as? Double))) < 1e-5)
    let file = try ModelFile.load(from: directory.appendingPathComponent("iris.safetensors").path)
    #expect(file.dataset?.name == "iris" && file.dataset?.sha256 == nil && file.dataset?.rowCount == 150)
  }

  @Test("a resumed run keeps its checkpoint's record; evaluate finds the resumed run's test rows")
  func resumeKeepsTheCheckpointsRecord() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.write(Self.table(), to: "kinds.csv", in: directory)
    try Self.write(Self.table(), to: "copy.csv", in: directory)
    _ = try Self.json(
      ["train", "--dataset", "kinds.csv", "--epochs", "2", "--seed", "9", "--checkpoint", "c.safetensors"], in: directory)
    let checkpoint = try ModelFile.load(from: directory.appendingPathComponent("c.safetensors").path)
    let recorded = try #require(checkpoint.dataset)
    #expect(recorded.name == "kinds.csv" && recorded.seed == 9 && recorded.rowCount == 90)
    let resumed = try Self.json(
      ["train", "--dataset", "copy.csv", "--epochs", "4", "--resume", "c.safetensors", "--save", "m.safetensors"], in: directory)
    let saved = try ModelFile.load(from: directory.appendingPathComponent("m.safetensors").path)
    #expect(saved.dataset == recorded)
    let scored = try Self.json(["evaluate", "--model", "m.safetensors", "--dataset", "copy.csv"], in: directory)
    #expect(scored["scored_on"] as? String == "test-split" && scored["rows"] as? Int == resumed["test_samples"] as? Int)
    let accuracy = try #require(scored["accuracy"] as? Double)
    #expect(abs(accuracy - (try #require(resumed["test_accuracy"] as? Double))) < 1e-5)
  }

  @Test("a regressor's test split (not stratified) gives training's test MAE")
  func regressorScoresItsTestSplit() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.write(Self.regressionTable, to: "lines.csv", in: directory)
    let trained = try Self.json(
      ["train", "--dataset", "lines.csv", "--epochs", "4", "--seed", "5", "--save", "r.safetensors"], in: directory)
    let scored = try Self.json(["evaluate", "--model", "r.safetensors", "--dataset", "lines.csv"], in: directory)
    #expect(scored["scored_on"] as? String == "test-split")
    #expect(scored["rows"] as? Int == 12 && trained["test_samples"] as? Int == 12)
    let mae = try #require(scored["mae"] as? Double)
    #expect(abs(mae - (try #require(trained["test_mae"] as? Double))) < 1e-5)
  }
}
