import Foundation
import Testing

@Suite("DiagnosticsCommandLineTests")
struct DiagnosticsCommandLineTests {
  @Test("train with MSE behind a sigmoid prints the sigmoid-mse warning on stderr and still trains")
  func sigmoidMSEWarning() throws {
    let result = try DendriteProcess.run([
      "train", "--dataset", "breast-cancer", "--loss", "mse", "--output-activation", "sigmoid", "--epochs", "2",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("warning:") }
    #expect(lines.count == 1, "\(result.stderr)")
    let line = try #require(lines.first)
    #expect(line.hasSuffix("[sigmoid-mse]") && !line.contains("[error]"))
    #expect(line.contains("κ′(z)") && line.contains("sigmoid-cross-entropy"))
    #expect(result.stdout.contains("test accuracy"))
  }

  @Test("a softmax output with softmax cross-entropy is reported as [error] double-softmax, in the JSON too")
  func doubleSoftmaxError() throws {
    let result = try DendriteProcess.run([
      "train", "--dataset", "breast-cancer", "--loss", "softmax-cross-entropy", "--output-activation", "softmax",
      "--epochs", "2", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("warning: [error] softmax output layer"))
    #expect(result.stderr.contains("[double-softmax]"))
    let advice = try #require(try result.json()["advice"] as? [[String: Any]])
    #expect(advice.count == 1)
    #expect(advice.first?["code"] as? String == "double-softmax")
    #expect(advice.first?["severity"] as? String == "error")
    #expect((advice.first?["message"] as? String)?.contains("remove the output activation") == true)
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
    #expect(flow["probe_rows"] as? Int == 120)
    let epochs = try #require(flow["epochs"] as? [[String: Any]])
    #expect(epochs.compactMap { $0["epoch"] as? Int } == [1, 2, 3])
    let norms = try #require(epochs.first?["mean_weight_gradient_norms"] as? [Double])
    #expect(norms.count == 3 && norms.allSatisfy { $0 > 0 && $0.isFinite })
    #expect((epochs.first?["error_norms"] as? [Double])?.count == 3)
    #expect(flow["warnings"] is [Any])
  }
}
