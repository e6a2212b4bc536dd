/// Standardisation of regression targets, fitted on the training part: the network learns
/// t′ = (t − μ)/σ per target column, and its outputs come back in the original units as
/// y = y′·σ + μ. Without it a target in the hundreds of thousands (house prices) starts
/// so far from the initial outputs that training with the default learning rate barely
/// moves the error.
///
///     let scaling = TargetScaling.fit(trainTargets)       // μ, σ per column (σ = 1 for a constant column)
///     let scaled = scaling.apply(trainTargets)            // mean 0, standard deviation 1
///     let prices = scaling.invert(model(features))        // back in the original units
///
/// Model files store it as `dendrite.targets` (`{"kind": "standardize", "mean": […], "std": […]}`),
/// and ``ModelFile/predict(_:)`` inverts it.
public struct TargetScaling: Sendable, Equatable {
  /// μ per target column.
  public var mean: [Float]
  /// σ per target column (population standard deviation; 1 where it would be 0).
  public var standardDeviation: [Float]

  /// A scaling from given statistics.
  ///
  /// - Precondition: the arrays have the same length and every σ is positive and finite.
  public init(mean: [Float], standardDeviation: [Float]) {
    precondition(
      mean.count == standardDeviation.count && standardDeviation.allSatisfy { $0 > 0 && $0.isFinite },
      "TargetScaling needs one positive σ per mean, got \(mean.count) means and σ \(standardDeviation)")
    self.mean = mean
    self.standardDeviation = standardDeviation
  }

  /// μ and σ of each column of `targets` `[N, outputs]`, in Double.
  ///
  /// - Precondition: `targets` is rank 2 with at least one row.
  public static func fit(_ targets: Tensor) -> TargetScaling {
    precondition(targets.rank == 2 && targets.shape[0] > 0, "TargetScaling.fit needs [rows, outputs] targets, got \(targets.shape)")
    let (rows, columns) = (targets.shape[0], targets.shape[1])
    var means: [Float] = []
    var deviations: [Float] = []
    for column in 0..<columns {
      var sum = 0.0
      for row in 0..<rows { sum += Double(targets.scalars[row * columns + column]) }
      let mean = sum / Double(rows)
      var squares = 0.0
      for row in 0..<rows {
        let difference = Double(targets.scalars[row * columns + column]) - mean
        squares += difference * difference
      }
      let deviation = Float((squares / Double(rows)).squareRoot())
      means.append(Float(mean))
      deviations.append(deviation > 0 && deviation.isFinite ? deviation : 1)
    }
    return TargetScaling(mean: means, standardDeviation: deviations)
  }

  /// The number of target columns.
  public var columnCount: Int { mean.count }

  /// t′ = (t − μ)/σ per column.
  ///
  /// - Precondition: `targets` is `[N, columnCount]`.
  public func apply(_ targets: Tensor) -> Tensor { map(targets) { value, column in (value - mean[column]) / standardDeviation[column] } }

  /// y = y′·σ + μ per column: outputs back in the targets' units.
  ///
  /// - Precondition: `outputs` is `[N, columnCount]`.
  public func invert(_ outputs: Tensor) -> Tensor { map(outputs) { value, column in value * standardDeviation[column] + mean[column] } }

  private func map(_ tensor: Tensor, _ transform: (Float, Int) -> Float) -> Tensor {
    precondition(
      tensor.rank == 2 && tensor.shape[1] == columnCount,
      "TargetScaling of \(columnCount) columns got shape \(tensor.shape)")
    let columns = columnCount
    let scalars = tensor.scalars.enumerated().map { index, value in transform(value, index % columns) }
    return Tensor(shape: tensor.shape, scalars: scalars)
  }
}
