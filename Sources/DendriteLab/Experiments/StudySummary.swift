import Dendrite

/// The study's three rules, each with the verdict of the experiments behind it.
enum StudySummary {
  static let id = "summary"

  static func run(_ results: [ExperimentResult]) -> ExperimentOutcome {
    func result(_ id: String) -> ExperimentResult? { results.first { $0.id == id } }
    func number(_ id: String, _ key: String) -> String {
      guard case .number(let value)? = result(id)?.metrics[key] else { return "—" }
      return figure(Float(value))
    }
    func combined(_ ids: [String]) -> Verdict {
      let verdicts = ids.compactMap { result($0)?.verdict }
      if verdicts.count == ids.count && verdicts.allSatisfy({ $0 == .confirmed }) { return .confirmed }
      if verdicts.contains(.refuted) { return .refuted }
      return .inconclusive
    }
    let rules: [(rule: String, ids: [String], evidence: String)] = [
      (
        "With a sigmoid output, use cross-entropy rather than MSE",
        ["saturated-neuron", "sigmoid-mse-vs-cross-entropy"],
        "saturated neuron: \(number("saturated-neuron", "epochs_to_target_mse")) epochs to a < 0.1 under MSE against "
          + "\(number("saturated-neuron", "epochs_to_target_cross_entropy")) under cross-entropy; breast cancer: "
          + "\(number("sigmoid-mse-vs-cross-entropy", "epochs_to_target_mse")) against "
          + "\(number("sigmoid-mse-vs-cross-entropy", "epochs_to_target_cross_entropy")) epochs to 95% training accuracy "
          + "(MSE at 4× the learning rate: \(number("sigmoid-mse-vs-cross-entropy", "epochs_to_target_mse_4x_lr")))"
      ),
      (
        "For classification, use softmax outputs with the log-likelihood loss",
        ["softmax-log-likelihood", "worked-examples"],
        "digits test accuracy \(number("softmax-log-likelihood", "test_accuracy_softmax_nll")) with softmax + "
          + "log-likelihood against \(number("softmax-log-likelihood", "test_accuracy_sigmoid_mse")) with sigmoid + MSE; "
          + "gradient a − y checked against autodiff"
      ),
      (
        "For deep networks, use ReLU",
        ["vanishing-gradients", "relu-depth"],
        "first/last gradient ratio with 10 hidden layers: sigmoid "
          + "\(ratio("sigmoid")) against relu \(ratio("relu")); accuracy at the deepest depth in relu-depth"
      ),
    ]
    func ratio(_ activation: String) -> String {
      guard case .number(let value)? = result("vanishing-gradients")?.metrics["first_to_last_gradient_ratio"]?[activation]
      else { return "—" }
      return figure(Float(value))
    }
    let verdicts = rules.map { combined($0.ids) }
    let verdict: Verdict = verdicts.allSatisfy { $0 == .confirmed } ? .confirmed : (verdicts.contains(.refuted) ? .refuted : .inconclusive)
    let metrics: JSONValue = [
      "rules": .array(zip(rules, verdicts).map { rule, verdict in
        ["rule": .string(rule.rule), "verdict": .string(verdict.rawValue), "evidence": .string(rule.evidence),
         "experiments": .array(rule.ids.map { .string($0) })]
      })
    ]
    let section = HTMLReport.Section(
      heading: "Summary: the study's three rules",
      verdict: verdict,
      blocks: [
        .table(
          HTMLReport.Table(
            header: ["rule", "verdict", "evidence"],
            rows: zip(rules, verdicts).map { [$0.rule, $1.rawValue, $0.evidence] }))
      ])
    return ExperimentOutcome(
      result: ExperimentResult(
        id: id, claim: "The study's three rules hold: cross-entropy behind sigmoid outputs, softmax + log-likelihood for classification, ReLU for deep networks",
        verdict: verdict, metrics: metrics),
      section: section, charts: [],
      headline: zip(["rule 1", "rule 2", "rule 3"], verdicts).map { "\($0) \($1.rawValue)" }.joined(separator: ", "))
  }
}
