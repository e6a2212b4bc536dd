import Dendrite

/// The operands of one benchmarked matrix product C[m, n] = A[m, k]·B[k, n]: both drawn
/// from N(0, 1) with `RandomGenerator(seed: 2)`, so every run and both benchmark front ends
/// (`dendrite bench` and the Benchmarks/ package) multiply the same numbers.
///
///     let operands = GEMMOperands(m: 128, k: 784, n: 256)
///     operands.shape   // "128x784x256"
///     _ = operands.multiply()
public struct GEMMOperands: Sendable {
  /// A, `[m, k]`.
  public let a: Tensor
  /// B, `[k, n]`.
  public let b: Tensor
  /// `MxKxN`, as the peers' script names shapes.
  public let shape: String
  /// Floating-point operations of one product: 2·m·k·n.
  public let flops: Double

  /// Draws the operands of an `[m, k]·[k, n]` product.
  ///
  /// - Precondition: `m`, `k` and `n` are positive.
  public init(m: Int, k: Int, n: Int) {
    precondition(m > 0 && k > 0 && n > 0, "GEMM operands need positive sizes, got \(m)x\(k)x\(n)")
    var generator = RandomGenerator(seed: 2)
    a = Tensor(randomNormal: [m, k], generator: &generator)
    b = Tensor(randomNormal: [k, n], generator: &generator)
    shape = "\(m)x\(k)x\(n)"
    flops = 2 * Double(m) * Double(k) * Double(n)
  }

  /// A·B, on as many threads as the kernels use.
  public func multiply() -> Tensor { matmul(a, b) }
}
