import Foundation
import Testing

/// `--label`, text and odd integer labels, the task line and `--task`, and class names
/// through train, predict and evaluate, on CSV files made here.
@Suite("dendrite CSV labels: column, classes, task and class names")
struct CSVLabelCommandLineTests {
  /// A CSV whose label column (`label` header, at `labelPosition` of three columns) cycles
  /// through `labels`; the feature `x` is the label's position in `labels`, so the classes
  /// are separable.
  static func csv(labels: [String], rows: Int = 40, labelPosition: Int = 2) -> String {
    var lines = [["x", "noise", "label"]]
    for row in 0..<rows {
      let which = row % labels.count
      lines.append([String(Double(which) * 2 + Double(row % 5) * 0.1), String(Double(row % 7) * 0.01), labels[which]])
    }
    return lines.map { cells in
      var cells = cells
      let label = cells.removeLast()
      cells.insert(label, at: labelPosition)
      return cells.joined(separator: ",")
    }.joined(separator: "\n") + "\n"
  }

  static func write(_ text: String, _ name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test("string labels train as classes named by their texts; the task line says why; predict prints the names")
  func stringLabels() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try Self.write(Self.csv(labels: ["virginica", "setosa", "versicolor"]), "flowers.csv", in: directory)
    let model = directory.appendingPathComponent("flowers.safetensors").path
    let train = try DendriteProcess.run([
      "train", "--dataset", data, "--epochs", "40", "--learning-rate", "0.05", "--layers", "8", "--save", model,
    ])
    #expect(train.status == 0, "\(train.stderr)")
    #expect(train.stderr.hasPrefix("read flowers.csv: 40 rows, 3 columns in "))
    #expect(train.stderr.afterReadLine.hasPrefix(
      "label column \"label\" (index 2): classification, because the labels are text; "
        + "3 classes: setosa, versicolor, virginica (override with --task classification|regression); fields separated by \",\"\n"))

    let rows = try Self.write("x,noise\n0,0\n2,0\n4,0\n", "rows.csv", in: directory)
    let predict = try DendriteProcess.run(["predict", "--model", model, "--input", rows, "--json"])
    #expect(predict.status == 0, "\(predict.stderr)")
    let predicted = try predict.json()
    // x = 0 is virginica (class 2 in sorted order), 2 setosa (0), 4 versicolor (1).
    #expect(predicted["classes"] as? [Int] == [2, 0, 1])
    #expect(predicted["labels"] as? [String] == ["virginica", "setosa", "versicolor"])
    let text = try DendriteProcess.run(["predict", "--model", model, "--input", rows])
    #expect(text.status == 0)
    #expect(text.stdout.split(separator: "\n").map { String($0).components(separatedBy: "  ").first ?? "" }
      == ["row 1: class virginica", "row 2: class setosa", "row 3: class versicolor"])

    // evaluate matches classes by name: a file holding only some classes scores correctly.
    let some = try Self.write("x,noise,label\n4,0,versicolor\n0,0,virginica\n", "some.csv", in: directory)
    let evaluate = try DendriteProcess.run(["evaluate", "--model", model, "--dataset", some, "--json"])
    #expect(evaluate.status == 0, "\(evaluate.stderr)")
    #expect(try evaluate.json()["accuracy"] as? Double == 1)
    let unknown = try Self.write("x,noise,label\n4,0,daisy\n", "unknown.csv", in: directory)
    let refused = try DendriteProcess.run(["evaluate", "--model", model, "--dataset", unknown])
    #expect(refused.status == 1)
    #expect(refused.stderr == "error: \(unknown): the label \"daisy\" is not one of the model's classes (setosa, versicolor, virginica); evaluate it on data with the same classes\n")
  }

  @Test("--label by name, by index and by negative index picks the same column; --json reports it")
  func labelColumn() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try Self.write(Self.csv(labels: ["b", "a"], labelPosition: 0), "first.csv", in: directory)
    for label in ["label", "0", "-3"] {
      let train = try DendriteProcess.run(["train", "--dataset", data, "--label", label, "--epochs", "2", "--json"])
      #expect(train.status == 0, "\(train.stderr)")
      #expect(train.stderr == "")
      let object = try train.json()
      #expect(object["label_column"] as? String == "label")
      #expect(object["task"] as? String == "classification")
      #expect(object["class_names"] as? [String] == ["a", "b"])
    }
    let model = directory.appendingPathComponent("first.safetensors").path
    let saved = try DendriteProcess.run(["train", "--dataset", data, "--label", "label", "--epochs", "30", "--save", model])
    #expect(saved.status == 0, "\(saved.stderr)")
    let evaluate = try DendriteProcess.run(["evaluate", "--model", model, "--dataset", data, "--label", "-3", "--json"])
    #expect(evaluate.status == 0, "\(evaluate.stderr)")
    // --label -3 is the column "label" training recorded: the same data, scored on its test split.
    #expect(try evaluate.json()["scored_on"] as? String == "test-split" && evaluate.json()["samples"] as? Int == 8)
    let bare = try Self.write("b,1,0\na,2,0\nb,3,1\na,4,1\nb,5,0\na,6,1\n", "bare.csv", in: directory)
    let headerless = try DendriteProcess.run(["train", "--dataset", bare, "--label", "0", "--epochs", "1", "--json"]).json()
    #expect(headerless["label_column"] as? String == "0")
    #expect(headerless["class_names"] as? [String] == ["a", "b"])
    // 6 rows: one per class held out for testing, one per class for validation.
    #expect(headerless["train_samples"] as? Int == 2 && headerless["validation_samples"] as? Int == 2)
    let byName = try DendriteProcess.run(["train", "--dataset", data, "--label", "price"])
    #expect(byName.status == 1)
    #expect(byName.stderr == "error: \(data): no label column \"price\" among the 3 columns; the header has \"label\", \"x\", \"noise\"\n")
    let byIndex = try DendriteProcess.run(["train", "--dataset", data, "--label", "-4"])
    #expect(byIndex.status == 1)
    #expect(byIndex.stderr == "error: \(data): no label column at index -4 (-1 is the last) among the 3 columns; the header has \"label\", \"x\", \"noise\"\n")
    let bundled = try DendriteProcess.run(["train", "--dataset", "iris", "--label", "0"])
    #expect(bundled.status == 1)
    #expect(bundled.stderr == "error: --label: iris is not a CSV file; --label chooses the label column of a CSV file\n")
  }

  @Test("integer labels 1…3, 0/10/20 and -1/1 give exactly C classes named by their values")
  func oddIntegerLabels() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for labels in [["1", "2", "3"], ["0", "10", "20"], ["-1", "1"]] {
      let data = try Self.write(Self.csv(labels: labels), "odd.csv", in: directory)
      let model = directory.appendingPathComponent("odd.safetensors").path
      let train = try DendriteProcess.run(["train", "--dataset", data, "--epochs", "2", "--save", model, "--json"])
      #expect(train.status == 0, "\(train.stderr)")
      let object = try train.json()
      #expect(object["task"] as? String == "classification")
      #expect(object["class_names"] as? [String] == labels)
      let rows = try Self.write("x,noise\n0,0\n", "rows.csv", in: directory)
      let predicted = try DendriteProcess.run(["predict", "--model", model, "--input", rows, "--json"]).json()
      let outputs = try #require(predicted["outputs"] as? [[Double]])
      #expect(outputs.first?.count == (labels.count == 2 ? 2 : labels.count))
      let label = try #require((predicted["labels"] as? [String])?.first)
      #expect(labels.contains(label))
    }
    let data = try Self.write(Self.csv(labels: ["0", "10", "20"]), "steps.csv", in: directory)
    let text = try DendriteProcess.run(["train", "--dataset", data, "--epochs", "1"])
    #expect(text.stderr.afterReadLine.hasPrefix(
      "label column \"label\" (index 2): classification, because the labels are 3 distinct integers (at most 20); "
        + "3 classes: 0, 10, 20 (override with --task classification|regression); fields separated by \",\"\n"))
  }

  @Test("--task regression overrides the rule; many distinct integers are a regression by the rule")
  func taskOverride() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try Self.write(Self.csv(labels: ["-1", "1"]), "signs.csv", in: directory)
    let forced = try DendriteProcess.run(["train", "--dataset", data, "--task", "regression", "--epochs", "1"])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(forced.stderr.afterReadLine.hasPrefix(
      "label column \"label\" (index 2): regression, as --task asked (override with --task classification|regression); fields separated by \",\"\n"))
    #expect(forced.stdout.contains("test mae"))
    let json = try DendriteProcess.run(["train", "--dataset", data, "--task", "regression", "--epochs", "1", "--json"]).json()
    #expect(json["task"] as? String == "regression")
    #expect(json["class_names"] == nil)

    let counts = try Self.write(Self.csv(labels: (0..<30).map { String($0 * 7) }, rows: 60), "counts.csv", in: directory)
    let inferred = try DendriteProcess.run(["train", "--dataset", counts, "--epochs", "1"])
    #expect(inferred.status == 0, "\(inferred.stderr)")
    #expect(inferred.stderr.afterReadLine.hasPrefix(
      "label column \"label\" (index 2): regression, because the labels are 30 distinct integers among 60 rows "
        + "(more than 20 and more than 5% of the rows) (override with --task classification|regression); fields separated by \",\"\n"))
    let text = try Self.write(Self.csv(labels: ["cat", "dog"]), "pets.csv", in: directory)
    let refused = try DendriteProcess.run(["train", "--dataset", text, "--task", "regression"])
    #expect(refused.status == 1)
    #expect(refused.stderr.hasPrefix("error: \(text) line 2, column 3: the label \"cat\" is not a number"))
  }
}
