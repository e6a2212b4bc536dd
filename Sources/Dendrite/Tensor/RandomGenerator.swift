#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Dendrite's seeded random number generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same sequence on every platform and Swift version (unlike the
/// system generator, which cannot be seeded), so initial weights, shuffles and splits are
/// reproducible.
///
///     var generator = RandomGenerator(seed: 42)
///     let w = Tensor(randomNormal: [3, 2], standardDeviation: 0.1, generator: &generator)
public struct RandomGenerator: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  /// Creates a generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) {
    var splitMix = seed
    func next() -> UInt64 {
      splitMix &+= 0x9E37_79B9_7F4A_7C15
      var z = splitMix
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (next(), next(), next(), next())
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotate(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotate(state.3, 45)
    return result
  }

  /// A uniform float in [0, 1) with 24 random bits: exact, so identical everywhere.
  public mutating func nextUnitFloat() -> Float {
    Float(next() >> 40) * 0x1p-24
  }

  /// A standard normal sample (Box–Muller, computed in Double and rounded once).
  public mutating func nextStandardNormal() -> Float {
    // u1 in (0, 1] so that log(u1) is finite.
    let u1 = (Double(next() >> 11) + 1) * 0x1p-53
    let u2 = Double(next() >> 11) * 0x1p-53
    return Float((-2 * naturalLog(u1)).squareRoot() * cosine(2 * Double.pi * u2))
  }

  private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

@inline(__always) private func naturalLog(_ x: Double) -> Double { log(x) }
@inline(__always) private func cosine(_ x: Double) -> Double { cos(x) }

extension Tensor {
  /// A tensor of samples from the normal distribution N(mean, standardDeviation²).
  ///
  ///     var g = RandomGenerator(seed: 1)
  ///     let w = Tensor(randomNormal: [64, 32], standardDeviation: 0.05, generator: &g)
  public init(
    randomNormal shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
    generator: inout RandomGenerator
  ) {
    let count = shape.reduce(1, *)
    var scalars = [Float](repeating: 0, count: count)
    for i in 0..<count { scalars[i] = mean + standardDeviation * generator.nextStandardNormal() }
    self.init(shape: shape, scalars: scalars)
  }

  /// A tensor of samples from the uniform distribution on `range` (lower bound included).
  ///
  ///     var g = RandomGenerator(seed: 1)
  ///     let w = Tensor(randomUniform: [64, 32], in: -0.1...0.1, generator: &g)
  public init(randomUniform shape: [Int], in range: ClosedRange<Float> = 0...1, generator: inout RandomGenerator) {
    let count = shape.reduce(1, *)
    let width = range.upperBound - range.lowerBound
    var scalars = [Float](repeating: 0, count: count)
    for i in 0..<count { scalars[i] = range.lowerBound + width * generator.nextUnitFloat() }
    self.init(shape: shape, scalars: scalars)
  }
}
