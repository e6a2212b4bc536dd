import Dendrite
import Foundation
import Testing

@testable import DendriteLab

@Suite("dendrite lab: a quick-mode run of every experiment")
struct LabRunTests {
  /// The metric keys the lab issue fixes for each experiment.
  static let requiredKeys: [String: [String]] = [
    "worked-examples": ["softmax_3_1_neg3", "gradient_1_5_3"],
    "saturated-neuron": [
      "epochs_to_target_mse", "epochs_to_target_cross_entropy", "speedup", "epochs_to_0_5_mse",
      "epochs_to_0_5_cross_entropy", "unsaturated_epochs_to_target_mse", "unsaturated_epochs_to_target_cross_entropy",
    ],
    "sigmoid-mse-vs-cross-entropy": [
      "epochs_to_target_mse", "epochs_to_target_cross_entropy", "epochs_to_target_mse_4x_lr", "test_accuracy_mse",
      "test_accuracy_cross_entropy", "mean_abs_output_delta_mse", "mean_abs_output_delta_cross_entropy",
    ],
    "softmax-log-likelihood": ["test_accuracy_softmax_nll", "test_accuracy_sigmoid_mse", "max_softmax_row_sum_deviation"],
    "vanishing-gradients": [
      "weight_gradient_norms", "first_to_last_gradient_ratio", "saturated_share", "dead_relu_share", "test_accuracy",
    ],
    "exploding-gradients": [
      "diverged_without_fix", "diverged_with_init_fix", "diverged_with_clipping", "error_norm_growth_per_layer",
      "test_accuracy_with_init_fix", "test_accuracy_with_clipping",
    ],
    "relu-depth": ["depths", "accuracy_sigmoid", "accuracy_tanh", "accuracy_relu"],
    "deep-cures": ["depths", "epochs", "test_accuracy", "weight_gradient_norms", "first_to_last_gradient_ratio"],
    "summary": ["rules"],
  ]

  @Test("a quick run writes the report, one SVG per chart and results.json with every experiment and key")
  func quickRun() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var seen: [String] = []
    let run = try Lab(quick: true).run { seen.append($0) }
    try run.write(toDirectory: directory)
    #expect(seen == Lab.experimentIDs)
    #expect(run.results.experiments.map(\.id) == Lab.experimentIDs)
    for experiment in run.results.experiments {
      for key in Self.requiredKeys[experiment.id] ?? [] {
        #expect(experiment.metrics[key] != nil, "\(experiment.id) lacks \(key)")
      }
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: directory)
    #expect(files.contains("report.html") && files.contains("results.json"))
    #expect(files.filter { $0.hasSuffix(".svg") }.count == 8)
    let report = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
    #expect(report.contains("<svg") && !report.contains("<script"))
    // The summary names the three rules with a verdict each.
    let rules = try #require(run.results.experiments.last?.metrics["rules"])
    guard case .array(let entries) = rules else { Issue.record("rules is not an array"); return }
    #expect(entries.count == 3)
    #expect(entries.allSatisfy { $0["verdict"] != nil && $0["evidence"] != nil })
  }

  @Test("the exploding-gradients run diverges without a fix and not with He initialisation, the same every time")
  func explodingGradientsReproducible() throws {
    let first = try ExplodingGradients.run(quick: true).result
    let second = try ExplodingGradients.run(quick: true).result
    #expect(first == second)
    #expect(first.metrics["diverged_without_fix"] == .bool(true))
    #expect(first.metrics["diverged_with_init_fix"] == .bool(false))
  }

  @Test("the saturated neuron: cross-entropy's first error term is a − y, MSE's carries κ′(4)")
  func saturatedNeuron() {
    let result = SaturatedNeuron.run(quick: true).result
    guard case .number(let mse)? = result.metrics["initial_error_term_mse"],
      case .number(let crossEntropy)? = result.metrics["initial_error_term_cross_entropy"]
    else {
      Issue.record("missing error terms")
      return
    }
    let a = 1 / (1 + Foundation.exp(-4.0))
    #expect(Swift.abs(crossEntropy - a) < 1e-5)
    #expect(Swift.abs(mse - 2 * a * a * (1 - a)) < 1e-5)
    #expect(result.metrics["epochs_to_target_cross_entropy"] == .number(50))
  }
}
