#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// How a weight tensor gets its initial values, from the layer's fan-in and fan-out.
///
///     glorotUniform:  U(−l, l),  l = √(6/(fan_in + fan_out))        (Xavier; for sigmoid, tanh)
///     glorotNormal:   N(0, 2/(fan_in + fan_out))
///     heUniform:      U(−l, l),  l = √(6/fan_in)                     (Kaiming; for ReLU)
///     heNormal:       N(0, 2/fan_in)
///     leCunUniform:   U(−l, l),  l = √(3/fan_in)                     (for SELU)
///     leCunNormal:    N(0, 1/fan_in)
///
/// Glorot keeps the variance of activations and of gradients about equal across layers for
/// activations with unit slope at 0 (tanh; sigmoid near 0); He doubles it to make up for
/// the half of the units a ReLU switches off. Normal variants are plain (untruncated)
/// normals, as PyTorch's `kaiming_normal_` and `xavier_normal_`.
///
///     var g = RandomGenerator(seed: 1)
///     let w = Initializer.heNormal.makeTensor(shape: [32, 64], fanIn: 64, fanOut: 32, generator: &g)
public enum Initializer: Sendable, Equatable {
  /// A scheme of the table above: Glorot (Xavier), He (Kaiming) or LeCun, uniform or normal.
  case glorotUniform, glorotNormal, heUniform, heNormal, leCunUniform, leCunNormal
  /// All zeros (biases, by default).
  case zeros
  /// Every element equal to the value.
  case constant(Float)
  /// N(0, standardDeviation²).
  case normal(standardDeviation: Float)
  /// U(range).
  case uniform(range: ClosedRange<Float>)

  /// A tensor of `shape` drawn from this initializer.
  public func makeTensor(shape: [Int], fanIn: Int, fanOut: Int, generator: inout RandomGenerator) -> Tensor {
    let fanIn = Float(Swift.max(fanIn, 1))
    let fanOut = Float(Swift.max(fanOut, 1))
    func uniform(_ limit: Float) -> Tensor {
      Tensor(randomUniform: shape, in: -limit...limit, generator: &generator)
    }
    func normal(_ variance: Float) -> Tensor {
      Tensor(randomNormal: shape, standardDeviation: variance.squareRoot(), generator: &generator)
    }
    switch self {
    case .glorotUniform: return uniform((6 / (fanIn + fanOut)).squareRoot())
    case .glorotNormal: return normal(2 / (fanIn + fanOut))
    case .heUniform: return uniform((6 / fanIn).squareRoot())
    case .heNormal: return normal(2 / fanIn)
    case .leCunUniform: return uniform((3 / fanIn).squareRoot())
    case .leCunNormal: return normal(1 / fanIn)
    case .zeros: return Tensor.zeros(shape: shape)
    case .constant(let value): return Tensor(repeating: value, shape: shape)
    case .normal(let standardDeviation):
      return Tensor(randomNormal: shape, standardDeviation: standardDeviation, generator: &generator)
    case .uniform(let range): return Tensor(randomUniform: shape, in: range, generator: &generator)
    }
  }

  /// The default for the weights feeding `activation`: He (normal) for ReLU-like units,
  /// LeCun (normal) for SELU, Glorot (uniform) otherwise, as Keras and the study's
  /// experiments use them.
  public static func defaultWeights(for activation: Activation) -> Initializer {
    if activation.isReLULike { return .heNormal }
    if activation == .selu { return .leCunNormal }
    return .glorotUniform
  }
}
