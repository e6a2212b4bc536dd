import Foundation
import Testing

@Suite("DiagnosticsCommandLineTests")
struct DiagnosticsCommandLineTests {
  @Test("train with MSE behind a sigmoid prints the sigmoid-mse warning before training and again after the summary")
  func sigmoidMSEWarning() throws {
    let result = try DendriteProcess.run([
      "train", "--dataset", "breast-cancer", "--loss", "mse", "--output-activation", "sigmoid", "--epochs", "2",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let stderr = result.stderr.split(separator: "\n").map(String.init)
    let lines = stderr.filter { $0.hasPrefix("warning:") }
    #expect(lines.count == 2, "\(result.stderr)")
    let line = try #require(lines.first)
    #expect(lines.last == line && stderr.last == line, "repeated last: \(result.stderr)")
    #expect(stderr.first == line, "printed first: \(result.stderr)")
    #expect(line.hasSuffix("[sigmoid-mse]") && !line.contains("[error]"))
    #expect(line.contains("κ′(z)") && line.contains("κ is the sigmoid") && line.contains("sigmoid-cross-entropy"))
    #expect(result.stdout.contains("test accuracy"))
  }

  @Test("a softmax output with softmax cross-entropy warns double-softmax (no [error]: the run exits 0), in the JSON too")
  func doubleSoftmaxWarning() throws {
    let result = try DendriteProcess.run([
      "train", "--dataset", "breast-cancer", "--loss", "softmax-cross-entropy", "--output-activation", "softmax",
      "--epochs", "2", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("warning: softmax output layer"), "\(result.stderr)")
    #expect(result.stderr.contains("[double-softmax]"))
    #expect(!result.stderr.contains("[error]") && !result.stderr.contains("error:"))
    // With --json the warnings are printed once, before training; the object has them.
    #expect(result.stderr.components(separatedBy: "[double-softmax]").count == 2, "\(result.stderr)")
    let advice = try #require(try result.json()["advice"] as? [[String: Any]])
    #expect(advice.count == 1)
    #expect(advice.first?["code"] as? String == "double-softmax")
    #expect(advice.first?["severity"] as? String == "warning")
    #expect((advice.first?["message"] as? String)?.contains("remove the output activation") == true)
  }

  @Test("MSE on iris's classes warns mse-for-classes and still trains")
  func mseForClasses() throws {
    let result = try DendriteProcess.run(["train", "--dataset", "iris", "--loss", "mse", "--epochs", "2", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let advice = try #require(try result.json()["advice"] as? [[String: Any]])
    #expect(advice.compactMap { $0["code"] as? String } == ["mse-for-classes"])
    #expect(result.stderr.hasPrefix("warning: mse on 3 classes with linear outputs"), "\(result.stderr)")
    #expect(result.stderr.contains("softmax-cross-entropy on 3 logits [mse-for-classes]"))
  }

  @Test("a class with one training row warns tiny-class, naming it")
  func tinyClass() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // 40 rows of labels 0 and 1 and one row of label 3 (kept for training by the split): the
    // labels become classes 0, 1, 2 named "0", "1", "3" (no class is ever empty), and the
    // class named "3" has one training row.
    let rows = (0..<40).map { "\(Double($0 % 7) / 7),\(Double($0 % 5) / 5),\($0 % 2)" } + ["0.5,0.5,3"]
    try (["a,b,label"] + rows).joined(separator: "\n").appending("\n")
      .write(to: directory.appendingPathComponent("tiny.csv"), atomically: true, encoding: .utf8)
    let result = try DendriteProcess.run(["train", "--dataset", "tiny.csv", "--epochs", "1"], in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    let warnings = result.stderr.split(separator: "\n").filter { $0.hasPrefix("warning:") }
    #expect(warnings.count == 2, "\(result.stderr)")
    #expect(warnings.first?.hasPrefix("warning: class \"3\" has one (of 29 training labels)") == true,
            "\(result.stderr)")
    #expect(warnings.allSatisfy { $0.hasSuffix("[tiny-class]") })
  }

  @Test("Adam at learning rate 100 on iris: the loss rises in epoch 1, a loss-rose warning after the summary and in --json")
  func lossRose() throws {
    let text = try DendriteProcess.run(["train", "--dataset", "iris", "--learning-rate", "100", "--epochs", "2"])
    #expect(text.status == 0, "\(text.stderr)")
    let lines = text.stderr.split(separator: "\n").map(String.init)
    let last = try #require(lines.last)
    #expect(last.hasPrefix("warning: the training loss rose from "), "\(text.stderr)")
    #expect(last.contains("lower it (--learning-rate") && last.hasSuffix("[loss-rose]"))
    #expect(lines.filter { $0.hasSuffix("[loss-rose]") }.count == 1)
    let json = try DendriteProcess.run(["train", "--dataset", "iris", "--learning-rate", "100", "--epochs", "2", "--json"])
    let advice = try #require(try json.json()["advice"] as? [[String: Any]])
    #expect(advice.compactMap { $0["code"] as? String } == ["loss-rose"])
    #expect(advice.first?["severity"] as? String == "warning")
    #expect(json.stderr.hasPrefix("warning: the training loss rose from "), "\(json.stderr)")
    let quiet = try DendriteProcess.run(["train", "--dataset", "iris", "--epochs", "2", "--json"])
    #expect((try quiet.json()["advice"] as? [Any])?.isEmpty == true)
  }

  @Test("--gradient-flow --json adds gradient_flow with one entry per epoch; the default model gets no advice")
  func gradientFlowJSON() throws {
    let result = try DendriteProcess.run([
      "train", "--dataset", "iris", "--layers", "8,8", "--epochs", "3", "--gradient-flow", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try result.json()
    #expect((object["advice"] as? [Any])?.isEmpty == true)
    #expect(!result.stderr.contains("warning:"))
    let flow = try #require(object["gradient_flow"] as? [String: Any])
    #expect(flow["layers"] as? [String] == ["0.weight", "2.weight", "4.weight"])
    #expect(flow["probe_rows"] as? Int == 105)  // iris's training part: 150 less 30 test and 15 validation rows
    let epochs = try #require(flow["epochs"] as? [[String: Any]])
    #expect(epochs.compactMap { $0["epoch"] as? Int } == [1, 2, 3])
    let norms = try #require(epochs.first?["mean_weight_gradient_norms"] as? [Double])
    #expect(norms.count == 3 && norms.allSatisfy { $0 > 0 && $0.isFinite })
    #expect((epochs.first?["error_norms"] as? [Double])?.count == 3)
    #expect(flow["warnings"] is [Any])
  }
}
