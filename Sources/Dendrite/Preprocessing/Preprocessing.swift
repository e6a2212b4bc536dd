/// How raw feature rows are scaled before they reach the network, fitted on the training
/// part only and stored in the model file so that prediction scales new rows the same way.
///
///     standardize:  x′ = (x − μ)/σ           per feature; σ = 1 where a feature is constant
///     minMax:       x′ = (x − min)/(max − min)  per feature; range 1 where constant
///
///     let scaling = Preprocessing.fitStandardization(train.features)
///     let scaled = scaling.apply(test.features)
public enum Preprocessing: Sendable, Equatable {
  /// Features are used as they are.
  case none
  /// Subtract each feature's mean and divide by its standard deviation.
  case standardize(mean: [Float], standardDeviation: [Float])
  /// Map each feature's training range onto [0, 1].
  case minMax(minimum: [Float], maximum: [Float])

  /// Standardisation fitted on `features` (`[N, D]`), population standard deviation.
  public static func fitStandardization(_ features: Tensor) -> Preprocessing {
    let (rows, columns) = (features.shape[0], features.shape[1])
    var mean = [Double](repeating: 0, count: columns)
    var squares = [Double](repeating: 0, count: columns)
    for r in 0..<rows {
      for c in 0..<columns { mean[c] += Double(features.scalars[r * columns + c]) }
    }
    for c in 0..<columns { mean[c] /= Double(Swift.max(rows, 1)) }
    for r in 0..<rows {
      for c in 0..<columns {
        let d = Double(features.scalars[r * columns + c]) - mean[c]
        squares[c] += d * d
      }
    }
    let deviation = squares.map { s -> Float in
      let sd = Float((s / Double(Swift.max(rows, 1))).squareRoot())
      return sd > 1e-12 ? sd : 1
    }
    return .standardize(mean: mean.map { Float($0) }, standardDeviation: deviation)
  }

  /// Min-max scaling fitted on `features` (`[N, D]`).
  public static func fitMinMax(_ features: Tensor) -> Preprocessing {
    let columns = features.shape[1]
    let minimum = features.rank == 2 && features.shape[0] > 0 ? (-features).max(alongAxis: 0).scalars.map { -$0 } : []
    let maximum = features.rank == 2 && features.shape[0] > 0 ? features.max(alongAxis: 0).scalars : []
    precondition(minimum.count == columns, "fitMinMax needs at least one row")
    return .minMax(minimum: minimum, maximum: maximum)
  }

  /// Min-max scaling by a fixed range that every feature shares, x′ = (x − lower)/(upper − lower):
  /// pixels 0…255 become 0…1, as Keras's and scikit-learn's examples scale MNIST. Stored as
  /// ``minMax(minimum:maximum:)``, so model files need nothing new.
  ///
  ///     Preprocessing.fixedRange(0...255, featureCount: 784)   // x / 255
  ///
  /// - Precondition: `range` has positive width and `featureCount` ≥ 0.
  public static func fixedRange(_ range: ClosedRange<Float>, featureCount: Int) -> Preprocessing {
    precondition(range.upperBound > range.lowerBound && featureCount >= 0, "fixedRange needs a range of positive width")
    return .minMax(
      minimum: [Float](repeating: range.lowerBound, count: featureCount),
      maximum: [Float](repeating: range.upperBound, count: featureCount))
  }

  /// The number of features it was fitted on, or nil for `.none`.
  public var featureCount: Int? {
    switch self {
    case .none: nil
    case .standardize(let mean, _): mean.count
    case .minMax(let minimum, _): minimum.count
    }
  }

  /// Scales `features` (`[N, D]`).
  ///
  /// - Precondition: D equals the fitted feature count.
  public func apply(_ features: Tensor) -> Tensor {
    switch self {
    case .none:
      return features
    case .standardize(let mean, let deviation):
      precondition(features.shape.last == mean.count, "standardization fitted on \(mean.count) features, got shape \(features.shape)")
      return Self.scale(features, subtracting: mean, dividingBy: deviation)
    case .minMax(let minimum, let maximum):
      precondition(features.shape.last == minimum.count, "min-max scaling fitted on \(minimum.count) features, got shape \(features.shape)")
      let range = zip(minimum, maximum).map { $1 - $0 > 0 ? $1 - $0 : 1 }
      return Self.scale(features, subtracting: minimum, dividingBy: range)
    }
  }

  /// (x − shift)/divisor per column, in one pass and one new array (a table of a million
  /// rows is scaled without an intermediate copy).
  private static func scale(_ features: Tensor, subtracting shift: [Float], dividingBy divisor: [Float]) -> Tensor {
    let width = shift.count
    var scalars = features.scalars
    guard width > 0 else { return features }
    for start in stride(from: 0, to: scalars.count, by: width) {
      for column in 0..<width { scalars[start + column] = (scalars[start + column] - shift[column]) / divisor[column] }
    }
    return Tensor(shape: features.shape, scalars: scalars)
  }
}

extension Preprocessing {
  /// The same scaling with `columns` left as they are (mean 0 and deviation 1, or range
  /// 0…1): how one-hot inputs keep their 0/1 values, as scikit-learn's column transformers
  /// leave encoded categories unscaled.
  ///
  ///     Preprocessing.fitStandardization(features).leavingUnscaled(encoding.oneHotInputs)
  public func leavingUnscaled(_ columns: [Int]) -> Preprocessing {
    switch self {
    case .none:
      return self
    case .standardize(var mean, var deviation):
      for column in columns where mean.indices.contains(column) { (mean[column], deviation[column]) = (0, 1) }
      return .standardize(mean: mean, standardDeviation: deviation)
    case .minMax(var minimum, var maximum):
      for column in columns where minimum.indices.contains(column) { (minimum[column], maximum[column]) = (0, 1) }
      return .minMax(minimum: minimum, maximum: maximum)
    }
  }
}
