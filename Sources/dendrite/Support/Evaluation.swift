import Dendrite
import Foundation

/// What `dendrite evaluate` reports beyond the loss: for a classifier the confusion matrix
/// and the per-class table, for a regressor MAE, RMSE and R².
enum Evaluation {
  case classification(ConfusionMatrix, ClassificationReport, classNames: [String])
  case regression(RegressionReport)

  /// The figures of network outputs `outputs` on `data`; `classNames` names a classifier's
  /// classes in order (their indices when it has fewer names than classes).
  init(data: Dataset, outputs: Tensor, loss: Loss, classNames: [String]) {
    if let classes = data.classIndices, let classCount = data.classCount {
      let matrix = ConfusionMatrix(outputs: outputs, classIndices: classes, classCount: classCount, loss: loss)
      let names = classNames.count >= classCount ? Array(classNames.prefix(classCount)) : (0..<classCount).map(String.init)
      self = .classification(matrix, ClassificationReport(matrix), classNames: names)
    } else {
      self = .regression(RegressionReport(predictions: outputs, targets: data.targets ?? outputs))
    }
  }

  /// The `--json` keys: `confusion_matrix`, `per_class`, `macro_f1`, `weighted_f1`, or
  /// `mae`, `rmse`, `r2`.
  var json: [String: JSONValue] {
    switch self {
    case .classification(let matrix, let report, let names):
      return [
        "confusion_matrix": .array(matrix.counts.map { .array($0.map { .number(Double($0)) }) }),
        "per_class": .array(zip(names, report.classes).map { name, scores in
          .object([
            "class": .string(name), "precision": .float(scores.precision), "recall": .float(scores.recall),
            "f1": .float(scores.f1), "support": .number(Double(scores.support)),
          ])
        }),
        "macro_f1": .float(report.macroAverage.f1),
        "weighted_f1": .float(report.weightedAverage.f1),
      ]
    case .regression(let report):
      return [
        "mae": .float(report.meanAbsoluteError), "rmse": .float(report.rootMeanSquaredError),
        "r2": .float(report.rSquared),
      ]
    }
  }

  /// The text report under the summary line.
  var text: String {
    func figure(_ value: Float) -> String { String(format: "%.4f", value) }
    switch self {
    case .classification(let matrix, let report, let names):
      let confusion = Terminal.table(
        header: ["true \\ predicted"] + names,
        rows: zip(names, matrix.counts).map { name, row in [name] + row.map(String.init) })
      func cells(_ label: String, _ scores: ClassificationReport.Scores) -> [String] {
        [label, figure(scores.precision), figure(scores.recall), figure(scores.f1), String(scores.support)]
      }
      let perClass = Terminal.table(
        header: ["class", "precision", "recall", "f1", "support"],
        rows: zip(names, report.classes).map(cells)
          + [cells("macro avg", report.macroAverage), cells("weighted avg", report.weightedAverage)])
      return ["", "confusion matrix (rows: true class, columns: predicted class)", confusion, "", perClass]
        .joined(separator: "\n")
    case .regression(let report):
      return "mae \(figure(report.meanAbsoluteError))  rmse \(figure(report.rootMeanSquaredError))  "
        + "r2 \(figure(report.rSquared)) (1 − SS_res/SS_tot)"
    }
  }
}
