import Foundation
import Testing

@Suite("dendrite command line")
struct CommandLineTests {
  @Test("--version prints the version")
  func version() throws {
    let result = try DendriteProcess.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
  }

  @Test("datasets --json lists the five bundled sets with their sizes")
  func datasets() throws {
    let result = try DendriteProcess.run(["datasets", "--json"])
    #expect(result.status == 0)
    let sets = try #require(try result.json()["datasets"] as? [[String: Any]])
    let byName = Dictionary(uniqueKeysWithValues: sets.map { ($0["name"] as? String ?? "", $0) })
    #expect(byName.keys.sorted() == ["breast-cancer", "digits", "iris", "mnist5k", "wine"])
    #expect(byName["digits"]?["samples"] as? Int == 1797)
    #expect(byName["digits"]?["features"] as? Int == 64)
    #expect(byName["digits"]?["classes"] as? Int == 10)
    #expect(byName["iris"]?["classes"] as? Int == 3)
  }

  @Test("train → save → predict and evaluate agree, and inspect shows the file")
  func trainSavePredict() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("iris.safetensors").path
    let train = try DendriteProcess.run([
      "train", "--dataset", "iris", "--epochs", "60", "--learning-rate", "0.01", "--save", model, "--json",
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let trained = try train.json()
    let accuracy = try #require(trained["test_accuracy"] as? Double)
    #expect(accuracy >= 0.9)
    #expect(trained["epochs_run"] as? Int == 60)
    #expect((trained["history"] as? [[String: Any]])?.count == 60)

    let rows = directory.appendingPathComponent("rows.csv")
    try "sepal length,sepal width,petal length,petal width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n".write(
      to: rows, atomically: true, encoding: .utf8)
    let predict = try DendriteProcess.run(["predict", "--model", model, "--input", rows.path, "--json"])
    #expect(predict.status == 0, "\(predict.stderr)")
    let predicted = try predict.json()
    #expect(predicted["classes"] as? [Int] == [0, 2])
    let outputs = try #require(predicted["outputs"] as? [[Double]])
    #expect(outputs.count == 2 && outputs.allSatisfy { Swift.abs($0.reduce(0, +) - 1) < 1e-5 })

    let evaluate = try DendriteProcess.run(["evaluate", "--model", model, "--dataset", "iris", "--json"])
    #expect(evaluate.status == 0, "\(evaluate.stderr)")
    #expect(try #require(try evaluate.json()["accuracy"] as? Double) >= 0.9)

    let inspect = try DendriteProcess.run(["inspect", model])
    #expect(inspect.status == 0)
    #expect(inspect.stdout.contains("0.weight [128, 4]"))
    #expect(inspect.stdout.contains("softmax-cross-entropy"))
  }

  @Test("regression on a CSV reports test_mae")
  func regressionCSV() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var text = "x1,x2,y\n"
    for i in 0..<100 {
      let a = Double(i % 10) / 10
      let b = Double(i / 10) / 10
      text += "\(a),\(b),\(2 * a - b + 0.25)\n"
    }
    let csv = directory.appendingPathComponent("linear.csv")
    try text.write(to: csv, atomically: true, encoding: .utf8)
    let result = try DendriteProcess.run(["train", "--dataset", csv.path, "--epochs", "200", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try result.json()
    #expect(object["test_accuracy"] == nil)
    #expect(try #require(object["test_mae"] as? Double) < 0.2)
  }

  @Test("predict rejects rows with the wrong number of columns")
  func predictWrongColumns() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("m.safetensors").path
    #expect(try DendriteProcess.run(["train", "--dataset", "iris", "--epochs", "2", "--save", model]).status == 0)
    let rows = directory.appendingPathComponent("rows.csv")
    try "1,2,3\n".write(to: rows, atomically: true, encoding: .utf8)
    let result = try DendriteProcess.run(["predict", "--model", model, "--input", rows.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("has 3 columns but the model"))
  }
}
