/// The error figures of regression predictions `ŷ` against targets `y`, both `[N, outputs]`,
/// as scikit-learn's `mean_absolute_error`, `root_mean_squared_error` and `r2_score` with
/// `multioutput="uniform_average"` (each column scored alone, then the columns averaged):
///
///     MAE  = mean over columns j of  (1/N) Σᵢ |ŷᵢⱼ − yᵢⱼ|      (= the mean over all values)
///     RMSE = mean over columns j of  √((1/N) Σᵢ (ŷᵢⱼ − yᵢⱼ)²)  (one column: √MSE)
///     R²   = mean over columns j of  1 − SS_res,j / SS_tot,j
///            SS_res,j = Σᵢ (yᵢⱼ − ŷᵢⱼ)²,  SS_tot,j = Σᵢ (yᵢⱼ − ȳⱼ)²
///
/// R² is 1 for perfect predictions, 0 for always predicting the column's mean, and negative
/// for worse. A constant target column (SS_tot = 0) has R² 1 when it is predicted exactly
/// (SS_res = 0) and 0 otherwise, as scikit-learn's `force_finite=True`, so the figure is
/// always finite. Sums run in `Double`.
///
///     let report = RegressionReport(predictions: Tensor([[2.5], [0], [2], [8]]), targets: Tensor([[3], [-0.5], [2], [7]]))
///     report.meanAbsoluteError       // 0.5
///     report.rootMeanSquaredError    // √0.375 = 0.6124
///     report.rSquared                // 0.9486
public struct RegressionReport: Sendable, Equatable {
  /// The mean absolute error.
  public let meanAbsoluteError: Float
  /// The root of the mean squared error (per column, then averaged).
  public let rootMeanSquaredError: Float
  /// The coefficient of determination, 1 − SS_res / SS_tot (per column, then averaged).
  public let rSquared: Float
  /// The rows scored.
  public let rows: Int

  /// The figures of `predictions` against `targets`.
  ///
  /// - Precondition: both are `[N, outputs]` of the same shape with N ≥ 1.
  public init(predictions: Tensor, targets: Tensor) {
    precondition(
      predictions.shape == targets.shape && targets.rank == 2 && targets.shape[0] > 0,
      "predictions \(predictions.shape) and targets \(targets.shape) must both be [N, outputs] with N ≥ 1")
    let rows = targets.shape[0]
    let columns = targets.shape[1]
    let y = targets.scalars
    let guess = predictions.scalars
    var absolute = 0.0
    var rmse = 0.0
    var r2 = 0.0
    for j in 0..<columns {
      var mean = 0.0
      for i in 0..<rows { mean += Double(y[i * columns + j]) }
      mean /= Double(rows)
      var absoluteSum = 0.0
      var residual = 0.0
      var spread = 0.0
      for i in 0..<rows {
        let truth = Double(y[i * columns + j])
        let error = Double(guess[i * columns + j]) - truth
        absoluteSum += Swift.abs(error)
        residual += error * error
        spread += (truth - mean) * (truth - mean)
      }
      absolute += absoluteSum / Double(rows)
      rmse += (residual / Double(rows)).squareRoot()
      r2 += spread == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / spread
    }
    let count = Double(Swift.max(columns, 1))
    meanAbsoluteError = Float(absolute / count)
    rootMeanSquaredError = Float(rmse / count)
    rSquared = Float(r2 / count)
    self.rows = rows
  }

  /// The mean absolute error on `targets` of the simplest model: one that always predicts
  /// the column means of `trainingTargets`. A trained regressor should beat it.
  ///
  ///     baseline = (1/N) Σᵢ mean over j of |yᵢⱼ − mean(training column j)|
  ///
  ///     RegressionReport.baselineMeanAbsoluteError(
  ///       trainingTargets: Tensor([[1], [3]]), targets: Tensor([[0], [4]]))   // (2 + 2) / 2 = 2
  ///
  /// - Precondition: both are `[rows, outputs]` with the same number of columns and at least one row.
  public static func baselineMeanAbsoluteError(trainingTargets: Tensor, targets: Tensor) -> Float {
    precondition(
      trainingTargets.rank == 2 && targets.rank == 2 && trainingTargets.shape[1] == targets.shape[1]
        && trainingTargets.shape[0] > 0,
      "training targets \(trainingTargets.shape) and targets \(targets.shape) must be [rows, outputs] alike")
    let columns = targets.shape[1]
    var means = [Double](repeating: 0, count: columns)
    for (index, value) in trainingTargets.scalars.enumerated() { means[index % columns] += Double(value) }
    means = means.map { $0 / Double(trainingTargets.shape[0]) }
    let constant = Tensor(
      shape: targets.shape, scalars: (0..<targets.scalars.count).map { Float(means[$0 % columns]) })
    return RegressionReport(predictions: constant, targets: targets).meanAbsoluteError
  }
}
