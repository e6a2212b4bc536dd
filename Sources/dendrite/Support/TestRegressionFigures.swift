import Dendrite

/// `dendrite train`'s regression figures on the held-out part: RMSE and R² of the trained
/// model, and the MAE of always predicting the training targets' mean (the baseline to beat).
struct TestRegressionFigures {
  let report: RegressionReport
  let baselineMeanAbsoluteError: Float

  /// Nil for a classification plan.
  init?(plan: TrainingPlan, model: Sequential) {
    guard var trainTargets = plan.train.targets, var testTargets = plan.test.targets else { return nil }
    var predictions = model(plan.test.features)
    if let scaling = plan.targetScaling, predictions.shape.last == scaling.columnCount {
      // In the targets' own units.
      (trainTargets, testTargets, predictions) = (scaling.invert(trainTargets), scaling.invert(testTargets), scaling.invert(predictions))
    }
    guard predictions.shape == testTargets.shape else { return nil }
    report = RegressionReport(predictions: predictions, targets: testTargets)
    baselineMeanAbsoluteError = RegressionReport.baselineMeanAbsoluteError(
      trainingTargets: trainTargets, targets: testTargets)
  }
}
