import Dendrite
import Foundation

/// The points of a 2-D data set, generated from a seed as TensorFlow Playground does, in
/// the square [−6, 6]²: each point's coordinates and its label (a class index as a Float,
/// or the regression target).
///
///     let points = PlanarPoints(.xor, count: 500, noise: 0, seed: 1)
///     points.x1.count   // 500
///     points.labels[0]  // 0 or 1
public struct PlanarPoints: Sendable, Equatable {
  /// The first coordinates.
  public var x1: [Float] = []
  /// The second coordinates.
  public var x2: [Float] = []
  /// Class indices (0, 1, 2 as Floats) or regression targets, one per point.
  public var labels: [Float] = []

  /// The half-width of the square the points (and the boundary) cover.
  public static let extent: Float = 6

  /// Generates `count` points of `dataset` (a planar one; a bundled name gives no points).
  ///
  /// - Parameters:
  ///   - noise: 0…50, the percentage of the data's spread added as uniform noise (the
  ///     Gaussian sets widen their blobs instead).
  ///   - seed: the same seed gives the same points.
  public init(_ dataset: PlaygroundDataset, count: Int, noise: Int, seed: UInt64) {
    var generator = RandomGenerator(seed: seed)
    let noise = Float(noise) / 100
    func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * generator.nextUnitFloat() }
    func add(_ x: Float, _ y: Float, _ label: Float) {
      x1.append(Swift.max(-Self.extent, Swift.min(Self.extent, x)))
      x2.append(Swift.max(-Self.extent, Swift.min(Self.extent, y)))
      labels.append(label)
    }
    switch dataset {
    case .circle:
      let radius: Float = 5
      for index in 0..<count {
        let inner = index % 2 == 0
        let r = inner ? uniform(0, radius * 0.5) : uniform(radius * 0.7, radius)
        let angle = uniform(0, 2 * .pi)
        add(r * cos(angle) + uniform(-radius, radius) * noise, r * sin(angle) + uniform(-radius, radius) * noise,
            inner ? 0 : 1)
      }
    case .xor:
      let padding: Float = 0.3
      for _ in 0..<count {
        var x = uniform(-5, 5)
        x += x > 0 ? padding : -padding
        var y = uniform(-5, 5)
        y += y > 0 ? padding : -padding
        add(x + uniform(-5, 5) * noise, y + uniform(-5, 5) * noise, x * y > 0 ? 1 : 0)
      }
    case .gauss, .gauss3:
      let centres: [(Float, Float)] =
        dataset == .gauss
        ? [(2, 2), (-2, -2)]
        : [90, 210, 330].map { (degrees: Float) in
          let angle = degrees * .pi / 180
          return (3 * cos(angle), 3 * sin(angle))
        }
      let variance = 0.5 + 3.5 * noise * 2  // from 0.5 (no noise) to 4 (50%)
      let deviation = variance.squareRoot()
      for index in 0..<count {
        let label = index % centres.count
        let (cx, cy) = centres[label]
        add(cx + deviation * generator.nextStandardNormal(), cy + deviation * generator.nextStandardNormal(), Float(label))
      }
    case .spiral, .spiral3:
      let arms = dataset == .spiral ? 2 : 3
      let perArm = Swift.max(1, (count + arms - 1) / arms)
      for index in 0..<count {
        let arm = index % arms
        let step = index / arms
        let r = Float(step) / Float(perArm) * 5
        let t = 1.75 * Float(step) / Float(perArm) * 2 * .pi + Float(arm) * 2 * .pi / Float(arms)
        add(r * sin(t) + uniform(-1, 1) * noise * 5, r * cos(t) + uniform(-1, 1) * noise * 5, Float(arm))
      }
    case .plane:
      for _ in 0..<count {
        let x = uniform(-Self.extent, Self.extent)
        let y = uniform(-Self.extent, Self.extent)
        let label = (x + y) / (2 * Self.extent)
        add(x + uniform(-Self.extent, Self.extent) * noise, y + uniform(-Self.extent, Self.extent) * noise, label)
      }
    case .multiGauss:
      let bumps: [(x: Float, y: Float, sign: Float)] = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
      for _ in 0..<count {
        let x = uniform(-Self.extent, Self.extent)
        let y = uniform(-Self.extent, Self.extent)
        var label: Float = 0
        for bump in bumps {
          let d2 = (x - bump.x) * (x - bump.x) + (y - bump.y) * (y - bump.y)
          label += bump.sign * exp(-d2 / (2 * 1.6 * 1.6))
        }
        label = Swift.max(-1, Swift.min(1, label))
        add(x + uniform(-Self.extent, Self.extent) * noise, y + uniform(-Self.extent, Self.extent) * noise, label)
      }
    case .iris, .wine, .breastCancer, .digits:
      break
    }
  }

  /// The network inputs of these points: one column per feature.
  ///
  ///     points.features([.x1, .x2, .x1x2]).shape   // [500, 3]
  public func features(_ features: [PlaygroundFeature]) -> Tensor {
    Self.features(features, x1: x1, x2: x2)
  }

  /// The network inputs of the points (x1[i], x2[i]).
  static func features(_ features: [PlaygroundFeature], x1: [Float], x2: [Float]) -> Tensor {
    var scalars: [Float] = []
    scalars.reserveCapacity(x1.count * features.count)
    for (a, b) in zip(x1, x2) {
      for feature in features { scalars.append(feature.value(x1: a, x2: b)) }
    }
    return Tensor(shape: [x1.count, features.count], scalars: scalars)
  }
}
