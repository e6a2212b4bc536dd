import Dendrite

/// `dendrite train`'s regression figures on the held-out part: RMSE and R² of the trained
/// model, and the MAE of always predicting the training targets' mean (the baseline to beat).
struct TestRegressionFigures {
  let report: RegressionReport
  let baselineMeanAbsoluteError: Float

  /// Nil for a classification plan.
  init?(plan: TrainingPlan, model: Sequential) {
    guard let trainTargets = plan.train.targets, let testTargets = plan.test.targets else { return nil }
    let predictions = model(plan.test.features)
    guard predictions.shape == testTargets.shape else { return nil }
    report = RegressionReport(predictions: predictions, targets: testTargets)
    baselineMeanAbsoluteError = RegressionReport.baselineMeanAbsoluteError(
      trainingTargets: trainTargets, targets: testTargets)
  }
}
