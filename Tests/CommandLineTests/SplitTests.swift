import Dendrite
import DendriteData
import Foundation
import Testing

@Suite("train: test, validation and training splits")
struct SplitTests {
  /// 80 rows: an id, two features and a label.
  static func table(changingTestRows testIDs: Set<Int> = []) -> String {
    var rows = ["id,a,b,label"]
    for id in 0..<80 {
      let b = testIDs.contains(id) ? 1000 : Double(id % 5) / 5
      rows.append("\(id),\(Double(id % 7) / 7),\(b),\(id % 3 == 0 ? "yes" : "no")")
    }
    return rows.joined(separator: "\n") + "\n"
  }

  @Test("the test rows never influence training, validation or the best epoch; they are scored once")
  func testRowsAreHeldOut() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.table().write(to: directory.appendingPathComponent("plain.csv"), atomically: true, encoding: .utf8)
    // The test split depends on the labels and the seed only: find its rows by their ids.
    let data = try CSVLoader.load(text: Self.table())
    let testIDs = Set(data.split(testFraction: 0.2, seed: 1).test.features.scalars.enumerated()
      .filter { $0.offset % 3 == 0 }.map { Int($0.element) })
    #expect(testIDs.count == 16)
    try Self.table(changingTestRows: testIDs)
      .write(to: directory.appendingPathComponent("changed.csv"), atomically: true, encoding: .utf8)

    func run(_ file: String) throws -> [String: Any] {
      let result = try DendriteProcess.run(
        ["train", "--dataset", file, "--epochs", "8", "--seed", "1", "--json", "--checkpoint", file + ".ck"], in: directory)
      try #require(result.status == 0, "\(result.stderr)")
      return try result.json()
    }
    let plain = try run("plain.csv")
    let changed = try run("changed.csv")
    #expect(plain["test_samples"] as? Int == 16 && plain["validation_samples"] as? Int == 8 && plain["train_samples"] as? Int == 56)
    let history = try #require(plain["history"] as? [[String: Double]])
    #expect(history.count == 8 && history.allSatisfy { $0["val_loss"] != nil })
    #expect(NSArray(array: history).isEqual(to: try #require(changed["history"] as? [[String: Double]])))
    #expect(plain["test_loss"] as? Double != changed["test_loss"] as? Double)
    // The checkpoint's best epoch is chosen on validation: the same epoch and parameters from both runs.
    let first = try ModelFile.load(from: directory.appendingPathComponent("plain.csv.ck").path)
    let second = try ModelFile.load(from: directory.appendingPathComponent("changed.csv.ck").path)
    #expect(first.training?["epoch"] == second.training?["epoch"])
    #expect(first.model.parameterValues == second.model.parameterValues)
  }

  @Test("--early-stopping stops on the validation loss; fractions are checked")
  func earlyStoppingAndFractions() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.table().write(to: directory.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
    let stopped = try DendriteProcess.run(
      ["train", "--dataset", "t.csv", "--epochs", "500", "--early-stopping", "3", "--json"], in: directory)
    try #require(stopped.status == 0, "\(stopped.stderr)")
    let epochsRun = try stopped.json()["epochs_run"] as? Int ?? 500
    #expect(epochsRun < 500)
    #expect(try stopped.json()["best_epoch"] as? Int == epochsRun - 3)  // patience 3: the best epoch, then 3 worse
    let text = try DendriteProcess.run(["train", "--dataset", "t.csv", "--epochs", "500", "--early-stopping", "3"], in: directory)
    #expect(text.stdout.contains("early stopping: stopped after epoch \(epochsRun) of 500, val_loss not improved for 3 epochs; "
      + "kept epoch \(epochsRun - 3)'s weights (val_loss "))
    let halves = try DendriteProcess.run(
      ["train", "--dataset", "t.csv", "--epochs", "1", "--test-fraction", "0.5", "--validation-fraction", "0", "--json"],
      in: directory)
    #expect(try halves.json()["test_samples"] as? Int == 41)  // half of each class, rounded: 14 of 27 and 27 of 53
    #expect((try halves.json()["history"] as? [[String: Any]])?.first?["val_loss"] == nil)
    for (arguments, message) in [
      (["--test-fraction", "1"], "error: --test-fraction must be in (0, 1), got 1.0"),
      (["--validation-fraction", "0.8"], "error: --validation-fraction must be at least 0 and below 1 − the test fraction (0.8), got 0.8"),
      (["--early-stopping", "3", "--validation-fraction", "0"], "error: --early-stopping watches the validation loss; it needs --validation-fraction above 0"),
    ] {
      let result = try DendriteProcess.run(["train", "--dataset", "t.csv"] + arguments, in: directory)
      #expect(result.status == 64 && result.stderr == message + "\n", "\(result.stderr)")
    }
  }
}
