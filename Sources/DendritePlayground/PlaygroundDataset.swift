import Foundation

/// The data sets the playground offers (the `dataset` key): 2-D sets generated from the
/// seed, as in TensorFlow Playground, and the bundled tables of DendriteData.
///
///     PlaygroundDataset.spiral3.classCount   // 3
///     PlaygroundDataset.plane.classCount     // nil: regression
public enum PlaygroundDataset: String, Sendable, CaseIterable {
  /// Class 0 inside a disc of radius 2.5, class 1 in a ring from 3.5 to 5.
  case circle
  /// Class 1 where x1·x2 > 0 (first and third quadrants), class 0 elsewhere.
  case xor
  /// Two Gaussian blobs: class 0 around (2, 2), class 1 around (−2, −2).
  case gauss
  /// Two interleaved spirals.
  case spiral
  /// Three Gaussian blobs on a circle of radius 3.
  case gauss3
  /// Three interleaved spirals.
  case spiral3
  /// Regression: the target is (x1 + x2) / 12, in [−1, 1].
  case plane
  /// Regression: a sum of six signed Gaussian bumps, in [−1, 1].
  case multiGauss = "multi-gauss"
  /// Bundled: 150 irises, 4 features, 3 classes.
  case iris
  /// Bundled: 178 wines, 13 features, 3 classes.
  case wine
  /// Bundled: 569 tumours, 30 features, 2 classes.
  case breastCancer = "breast-cancer"
  /// Bundled: 1,797 8×8 digits, 64 features, 10 classes.
  case digits

  /// Whether the points are generated in the plane (boundary, unit maps and points are drawn).
  public var isPlanar: Bool {
    switch self {
    case .iris, .wine, .breastCancer, .digits: false
    default: true
    }
  }

  /// The number of classes; nil for regression.
  ///
  ///     PlaygroundDataset.digits.classCount   // 10
  public var classCount: Int? {
    switch self {
    case .circle, .xor, .gauss, .spiral, .breastCancer: 2
    case .gauss3, .spiral3, .iris, .wine: 3
    case .digits: 10
    case .plane, .multiGauss: nil
    }
  }
}

/// An input feature computed from a 2-D point (the `features` key).
///
///     PlaygroundFeature.x1x2.value(x1: 2, x2: 3)   // 6
public enum PlaygroundFeature: String, Sendable, CaseIterable {
  /// x1.
  case x1
  /// x2.
  case x2
  /// x1².
  case x1sq
  /// x2².
  case x2sq
  /// x1·x2.
  case x1x2
  /// sin x1.
  case sinx1
  /// sin x2.
  case sinx2

  /// The feature's value at a point.
  ///
  ///     PlaygroundFeature.x1sq.value(x1: 3, x2: 1)   // 9
  public func value(x1: Float, x2: Float) -> Float {
    switch self {
    case .x1: x1
    case .x2: x2
    case .x1sq: x1 * x1
    case .x2sq: x2 * x2
    case .x1x2: x1 * x2
    case .sinx1: sin(x1)
    case .sinx2: sin(x2)
    }
  }
}
