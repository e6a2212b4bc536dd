import Dendrite
import Testing

/// Expects `actual` within `tolerance` of `expected`.
private func expectClose(_ actual: Float, _ expected: Double, tolerance: Double = 1e-4, _ what: String = "") {
  #expect(Swift.abs(Double(actual) - expected) < tolerance, "\(what): \(actual) vs \(expected)")
}

@Suite("Evaluation reports: confusion matrix, classification report, regression figures")
struct EvaluationReportTests {
  @Test("the confusion matrix counts true classes as rows and predicted classes as columns")
  func confusionMatrix() {
    // y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1]
    // sklearn.metrics.confusion_matrix → [[1, 0, 0], [1, 0, 0], [0, 1, 2]]
    let matrix = ConfusionMatrix(actual: [0, 1, 2, 2, 2], predicted: [0, 0, 2, 2, 1], classCount: 3)
    #expect(matrix.counts == [[1, 0, 0], [1, 0, 0], [0, 1, 2]])
    #expect(matrix.support == [1, 1, 3])
    #expect(matrix.predictedCounts == [2, 1, 2])
    #expect(matrix.truePositives == [1, 0, 2])
    #expect(matrix.total == 5)
    expectClose(matrix.accuracy, 0.6)
    #expect(ConfusionMatrix(classCount: 2).accuracy == 0)
  }

  @Test("from network outputs: argmax, a logit's threshold 0 and a probability's 0.5")
  func confusionMatrixFromOutputs() {
    // argmax of each row: 0, 1, 2, 0 against true 0, 1, 1, 2
    let softmax = ConfusionMatrix(
      outputs: Tensor([[2, 1, 0], [0, 3, 1], [0, 0, 5], [1, 0, 0]]), classIndices: [0, 1, 1, 2], classCount: 3,
      loss: .softmaxCrossEntropy)
    #expect(softmax.counts == [[1, 0, 0], [0, 1, 1], [1, 0, 0]])
    // logits -1, 0.5, 0, 2 → 0, 1, 0, 1 (0 itself is not above the threshold)
    let logits = ConfusionMatrix(
      outputs: Tensor([[-1], [0.5], [0], [2]]), classIndices: [0, 1, 1, 1], classCount: 2, loss: .sigmoidCrossEntropy)
    #expect(logits.counts == [[1, 0], [1, 2]])
    // probabilities 0.4, 0.6, 0.5, 0.9 → 0, 1, 0, 1
    let probabilities = ConfusionMatrix(
      outputs: Tensor([[0.4], [0.6], [0.5], [0.9]]), classIndices: [0, 0, 1, 1], classCount: 2,
      loss: .binaryCrossEntropy)
    #expect(probabilities.counts == [[1, 1], [1, 1]])
  }

  @Test("per-class precision, recall, F1 and support, macro and weighted, as sklearn's classification_report")
  func classificationReport() {
    // sklearn.metrics.classification_report([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]):
    //              precision  recall  f1-score  support
    //   class 0         0.50    1.00      0.67        1    TP 1, FP 1, FN 0: f1 = 2/(2+1+0)
    //   class 1         0.00    0.00      0.00        1    TP 0, FP 1, FN 1
    //   class 2         1.00    0.67      0.80        3    TP 2, FP 0, FN 1: f1 = 4/(4+0+1)
    //   macro avg       0.50    0.56      0.49        5    (2/3 + 0 + 0.8) / 3 = 0.4889
    //   weighted avg    0.70    0.60      0.61        5    (1·2/3 + 1·0 + 3·0.8) / 5 = 0.6133
    let report = ClassificationReport(
      ConfusionMatrix(actual: [0, 1, 2, 2, 2], predicted: [0, 0, 2, 2, 1], classCount: 3))
    let expected: [(Double, Double, Double, Int)] = [(0.5, 1, 2.0 / 3, 1), (0, 0, 0, 1), (1, 2.0 / 3, 0.8, 3)]
    #expect(report.classes.count == 3)
    for (scores, (precision, recall, f1, support)) in zip(report.classes, expected) {
      expectClose(scores.precision, precision, "precision")
      expectClose(scores.recall, recall, "recall")
      expectClose(scores.f1, f1, "f1")
      #expect(scores.support == support)
    }
    expectClose(report.macroAverage.precision, 0.5)
    expectClose(report.macroAverage.recall, (1 + 2.0 / 3) / 3)
    expectClose(report.macroAverage.f1, (2.0 / 3 + 0.8) / 3)
    expectClose(report.weightedAverage.precision, 0.7)
    expectClose(report.weightedAverage.recall, 0.6)
    expectClose(report.weightedAverage.f1, (2.0 / 3 + 2.4) / 5)
    #expect(report.macroAverage.support == 5 && report.weightedAverage.support == 5)
    expectClose(report.accuracy, 0.6)
  }

  @Test("a class never predicted has precision 0; a class absent from both lists stays out of the macro average")
  func zeroDivision() {
    // sklearn classification_report([0, 0, 1, 1], [0, 0, 0, 0], labels unset, zero_division=0):
    //   class 0: P 2/4 = 0.5, R 1, F1 4/6; class 1: P 0 (nothing predicted), R 0, F1 0
    //   macro P 0.25, R 0.5, F1 1/3; weighted the same (equal supports). Class 2 occurs nowhere.
    let report = ClassificationReport(
      ConfusionMatrix(actual: [0, 0, 1, 1], predicted: [0, 0, 0, 0], classCount: 3))
    expectClose(report.classes[1].precision, 0)
    expectClose(report.classes[1].f1, 0)
    #expect(report.classes[2] == .init(precision: 0, recall: 0, f1: 0, support: 0))
    expectClose(report.macroAverage.precision, 0.25)
    expectClose(report.macroAverage.recall, 0.5)
    expectClose(report.macroAverage.f1, 1.0 / 3)
    expectClose(report.weightedAverage.precision, 0.25)
    expectClose(report.weightedAverage.f1, 1.0 / 3)
    let empty = ClassificationReport(ConfusionMatrix(classCount: 2))
    #expect(empty.macroAverage == .init(precision: 0, recall: 0, f1: 0, support: 0))
    #expect(empty.weightedAverage == .init(precision: 0, recall: 0, f1: 0, support: 0))
  }

  @Test("MAE, RMSE and R² of one column, as sklearn's examples")
  func regressionOneColumn() {
    // y = [3, -0.5, 2, 7], ŷ = [2.5, 0, 2, 8]: errors 0.5, 0.5, 0, 1
    // MAE 2/4 = 0.5; MSE (0.25 + 0.25 + 0 + 1)/4 = 0.375, RMSE 0.612372
    // ȳ = 2.875, SS_tot = 29.1875, SS_res = 1.5, R² = 1 − 1.5/29.1875 = 0.948608
    let report = RegressionReport(
      predictions: Tensor([[2.5], [0], [2], [8]]), targets: Tensor([[3], [-0.5], [2], [7]]))
    expectClose(report.meanAbsoluteError, 0.5)
    expectClose(report.rootMeanSquaredError, 0.375.squareRoot())
    expectClose(report.rSquared, 1 - 1.5 / 29.1875)
    #expect(report.rows == 4)
  }

  @Test("several columns are scored alone and averaged (sklearn's uniform_average)")
  func regressionColumns() {
    // y = [[0.5, 1], [-1, 1], [7, -6]], ŷ = [[0, 2], [-1, 2], [8, -5]] (sklearn's r2_score example)
    // MAE: column errors (0.5, 0, 1) and (1, 1, 1): (0.5 + 1) / 2 = 0.75
    // RMSE: √(1.25/3) = 0.645497 and 1: 0.822749
    // R²: column 0, ȳ = 13/6, SS_tot = 36.1667, SS_res = 1.25 → 0.965438;
    //     column 1, ȳ = −4/3, SS_tot = 32.6667, SS_res = 3 → 0.908163; mean 0.936800
    let report = RegressionReport(
      predictions: Tensor([[0, 2], [-1, 2], [8, -5]]), targets: Tensor([[0.5, 1], [-1, 1], [7, -6]]))
    expectClose(report.meanAbsoluteError, 0.75)
    expectClose(report.rootMeanSquaredError, ((1.25 / 3).squareRoot() + 1) / 2)
    expectClose(report.rSquared, (1 - 1.25 / (217.0 / 6)) / 2 + (1 - 3 / (98.0 / 3)) / 2)
  }

  @Test("a constant target has R² 1 when predicted exactly and 0 otherwise; the mean predictor scores 0")
  func constantTarget() {
    let targets = Tensor([[2], [2], [2]])
    #expect(RegressionReport(predictions: targets, targets: targets).rSquared == 1)
    // sklearn r2_score([2, 2, 2], [1, 2, 3]) → 0.0 (force_finite)
    #expect(RegressionReport(predictions: Tensor([[1], [2], [3]]), targets: targets).rSquared == 0)
    // predicting ȳ = 2 for y = [1, 2, 3]: SS_res = SS_tot, R² = 0
    #expect(RegressionReport(predictions: targets, targets: Tensor([[1], [2], [3]])).rSquared == 0)
  }

  @Test("the baseline predicts the training targets' mean")
  func baseline() {
    // training mean 2; test targets 0 and 4: |0 − 2| and |4 − 2| → 2
    let baseline = RegressionReport.baselineMeanAbsoluteError(
      trainingTargets: Tensor([[1], [3]]), targets: Tensor([[0], [4]]))
    expectClose(baseline, 2)
    // two columns, training means (1, 10): test [[1, 12], [3, 10]] → column MAEs 1 and 1
    let columns = RegressionReport.baselineMeanAbsoluteError(
      trainingTargets: Tensor([[0, 10], [2, 10]]), targets: Tensor([[1, 12], [3, 10]]))
    expectClose(columns, 1)
  }
}
