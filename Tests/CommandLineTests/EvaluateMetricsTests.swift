import Dendrite
import Foundation
import Testing

/// `dendrite evaluate`'s classification and regression reports, `train`'s regression
/// figures, the decimal-label error and `--threads` on evaluate and predict, on small CSV
/// files written here.
@Suite("evaluate: confusion matrix, per-class table, regression figures")
struct EvaluateMetricsTests {
  /// A folder holding `classes.csv` (two features, three classes by the sum of the
  /// features), `decimal.csv` (the same rows, labels like 0.5), `linear.csv` (y = 2a − b +
  /// 0.5) and `rows.csv` (feature rows only).
  private static func files() throws -> URL {
    let directory = try DendriteProcess.temporaryDirectory()
    var classes = "a,b,label\n"
    var decimal = "a,b,label\n"
    var linear = "a,b,y\n"
    for i in 0..<60 {
      let a = Double(i % 10) / 10
      let b = Double(i / 10) / 6
      let sum = a + b
      classes += "\(a),\(b),\(sum < 0.6 ? 0 : sum < 1.2 ? 1 : 2)\n"
      decimal += "\(a),\(b),\(Double(i % 4) / 4 + 0.25)\n"
      linear += "\(a),\(b),\(2 * a - b + 0.5)\n"
    }
    try classes.write(to: directory.appendingPathComponent("classes.csv"), atomically: true, encoding: .utf8)
    try decimal.write(to: directory.appendingPathComponent("decimal.csv"), atomically: true, encoding: .utf8)
    try linear.write(to: directory.appendingPathComponent("linear.csv"), atomically: true, encoding: .utf8)
    try "0.1,0.2\n0.9,0.8\n".write(to: directory.appendingPathComponent("rows.csv"), atomically: true, encoding: .utf8)
    return directory
  }

  /// Trains `model.safetensors` on `classes.csv` for five epochs.
  private static func trainClassifier(in directory: URL) throws {
    let train = try DendriteProcess.run(
      ["train", "--dataset", "classes.csv", "--epochs", "5", "--save", "model.safetensors"], in: directory)
    #expect(train.status == 0, "\(train.stderr)")
  }

  @Test("a classifier: text shows the confusion matrix and the per-class table; --json has their keys and they agree")
  func classifier() throws {
    let directory = try Self.files()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.trainClassifier(in: directory)

    let text = try DendriteProcess.run(["evaluate", "--model", "model.safetensors", "--dataset", "classes.csv", "--all-rows"], in: directory)
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.hasPrefix("classes: 60 rows  accuracy "))
    #expect(text.stdout.contains("confusion matrix (rows: true class, columns: predicted class)"))
    #expect(text.stdout.contains("true \\ predicted  0"))
    for header in ["class", "precision", "recall", "f1", "support", "macro avg", "weighted avg"] {
      #expect(text.stdout.contains(header), "\(header) missing in \(text.stdout)")
    }

    let result = try DendriteProcess.run(
      ["evaluate", "--model", "model.safetensors", "--dataset", "classes.csv", "--all-rows", "--json"], in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    let object = try result.json()
    for key in ["rows", "samples", "accuracy", "loss", "confusion_matrix", "per_class", "macro_f1", "weighted_f1"] {
      #expect(object[key] != nil, "\(key) missing")
    }
    #expect(object["rows"] as? Int == 60)
    let matrix = try #require(object["confusion_matrix"] as? [[Int]])
    #expect(matrix.count == 3 && matrix.allSatisfy { $0.count == 3 })
    #expect(matrix.joined().reduce(0, +) == 60)
    // The class counts of the file: rows whose a + b is below 0.6, 1.2, or above.
    var supports = [0, 0, 0]
    for i in 0..<60 {
      let sum = Double(i % 10) / 10 + Double(i / 10) / 6
      supports[sum < 0.6 ? 0 : sum < 1.2 ? 1 : 2] += 1
    }
    #expect(matrix.map { $0.reduce(0, +) } == supports)
    let accuracy = try #require(object["accuracy"] as? Double)
    let trace = (0..<3).reduce(0) { $0 + matrix[$1][$1] }
    #expect(Swift.abs(accuracy - Double(trace) / 60) < 1e-6)

    let perClass = try #require(object["per_class"] as? [[String: Any]])
    #expect(perClass.map { $0["class"] as? String } == ["0", "1", "2"])
    #expect(perClass.map { $0["support"] as? Int } == supports)
    for (c, entry) in perClass.enumerated() {
      let predicted = matrix.reduce(0) { $0 + $1[c] }
      let precision = predicted == 0 ? 0 : Double(matrix[c][c]) / Double(predicted)
      let recall = Double(matrix[c][c]) / Double(supports[c])
      let f1 = 2 * Double(matrix[c][c]) / Double(predicted + supports[c])
      #expect(Swift.abs((entry["precision"] as? Double ?? -1) - precision) < 1e-5)
      #expect(Swift.abs((entry["recall"] as? Double ?? -1) - recall) < 1e-5)
      #expect(Swift.abs((entry["f1"] as? Double ?? -1) - f1) < 1e-5)
    }
    let f1s = perClass.compactMap { $0["f1"] as? Double }
    let weighted = zip(f1s, supports).reduce(0) { $0 + $1.0 * Double($1.1) } / 60
    #expect(Swift.abs((object["weighted_f1"] as? Double ?? -1) - weighted) < 1e-5)
  }

  @Test("a regressor: evaluate prints and --json gives mae, rmse, r2; train reports test_rmse, test_r2, baseline_mae")
  func regressor() throws {
    let directory = try Self.files()
    defer { try? FileManager.default.removeItem(at: directory) }
    let train = try DendriteProcess.run(
      ["train", "--dataset", "linear.csv", "--epochs", "5", "--save", "model.safetensors", "--json"], in: directory)
    #expect(train.status == 0, "\(train.stderr)")
    let trained = try train.json()
    for key in ["test_mae", "test_loss", "test_rmse", "test_r2", "baseline_mae"] {
      #expect(trained[key] is Double, "\(key) missing")
    }
    // The loss is MSE on targets standardised with the training part's σ (stored in the
    // model file), so the test RMSE in the targets' units is σ·√loss.
    let rmse = try #require(trained["test_rmse"] as? Double)
    let loss = try #require(trained["test_loss"] as? Double)
    let file = try ModelFile.load(from: directory.appendingPathComponent("model.safetensors").path)
    let sigma = Double(try #require(file.targetScaling?.standardDeviation.first))
    #expect(Swift.abs(rmse * rmse - loss * sigma * sigma) < 1e-4 * Swift.max(1, loss * sigma * sigma))
    #expect(try #require(trained["baseline_mae"] as? Double) > 0.2)

    let summary = try DendriteProcess.run(["train", "--dataset", "linear.csv", "--epochs", "5"], in: directory)
    #expect(summary.stdout.contains("test rmse "))
    #expect(summary.stdout.contains("test r2 "))
    #expect(summary.stdout.contains("baseline mae "))

    let result = try DendriteProcess.run(
      ["evaluate", "--model", "model.safetensors", "--dataset", "linear.csv", "--all-rows", "--json"], in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    let object = try result.json()
    #expect(object["rows"] as? Int == 60)
    #expect(object["accuracy"] == nil && object["confusion_matrix"] == nil)
    let mae = try #require(object["mae"] as? Double)
    let evaluatedRMSE = try #require(object["rmse"] as? Double)
    let r2 = try #require(object["r2"] as? Double)
    let evaluatedLoss = try #require(object["loss"] as? Double)
    #expect(evaluatedRMSE >= mae)
    let evaluatedMSE = evaluatedLoss * sigma * sigma
    #expect(Swift.abs(evaluatedRMSE * evaluatedRMSE - evaluatedMSE) < 1e-4 * Swift.max(1, evaluatedMSE))
    #expect(r2 <= 1)

    let text = try DendriteProcess.run(["evaluate", "--model", "model.safetensors", "--dataset", "linear.csv", "--all-rows"], in: directory)
    #expect(text.status == 0)
    #expect(text.stdout.contains(String(format: "rmse %.4f  r2 %.4f", evaluatedRMSE, r2)))
  }

  @Test("a classifier on decimal labels: one error line, exit 1, for softmax and for one sigmoid output", arguments: [
    ["--loss", "softmax-cross-entropy"], ["--loss", "sigmoid-cross-entropy"], ["--loss", "binary-cross-entropy"],
  ])
  func decimalLabels(lossOptions: [String]) throws {
    let directory = try Self.files()
    defer { try? FileManager.default.removeItem(at: directory) }
    var binary = "a,b,label\n"
    for i in 0..<20 { binary += "\(Double(i) / 20),\(Double(i % 3)),\(i % 2)\n" }
    try binary.write(to: directory.appendingPathComponent("binary.csv"), atomically: true, encoding: .utf8)
    let train = try DendriteProcess.run(
      ["train", "--dataset", "binary.csv", "--epochs", "5", "--save", "model.safetensors"] + lossOptions, in: directory)
    #expect(train.status == 0, "\(train.stderr)")
    let result = try DendriteProcess.run(["evaluate", "--model", "model.safetensors", "--dataset", "decimal.csv"], in: directory)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    // The CSV is read for the classifier's classes, so a decimal label is refused as it is read.
    #expect(result.stderr.hasPrefix("error: decimal.csv line 2, column 3: the label \"0.25\" has decimals, so it is not a class"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test("--threads on evaluate and predict: accepted from 1, the same figures; 0 is an invalid option")
  func threads() throws {
    let directory = try Self.files()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.trainClassifier(in: directory)
    let evaluate = ["evaluate", "--model", "model.safetensors", "--dataset", "classes.csv", "--json"]
    let one = try DendriteProcess.run(evaluate + ["--threads", "1"], in: directory)
    let two = try DendriteProcess.run(evaluate + ["--threads", "2"], in: directory)
    #expect(one.status == 0 && two.status == 0, "\(one.stderr)\(two.stderr)")
    #expect(try one.json()["confusion_matrix"] as? [[Int]] == two.json()["confusion_matrix"] as? [[Int]])
    let predict = ["predict", "--model", "model.safetensors", "--input", "rows.csv", "--json"]
    let predicted = try DendriteProcess.run(predict + ["--threads", "1"], in: directory)
    #expect(predicted.status == 0, "\(predicted.stderr)")
    #expect((try predicted.json()["classes"] as? [Int])?.count == 2)
    for command in [evaluate, predict] {
      let invalid = try DendriteProcess.run(command + ["--threads", "0"], in: directory)
      #expect(invalid.status == 64)
      #expect(invalid.stderr.contains("--threads must be a whole number from 1 to 256, got 0"))
    }
  }
}
