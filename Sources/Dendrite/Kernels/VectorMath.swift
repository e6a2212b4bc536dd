/// Math on eight lanes at once, for the formulas whose vector form the fused kernels
/// use (``SigmoidFormula``): plain functions of `SIMD8<Float>`, no pointers. The C
/// library has no vector `expf`, and a call per element would keep the loop around it
/// from vectorising.
enum VectorMath {
  /// eˣ in eight lanes, to about 1 ulp (Cephes's expf): x = n·ln 2 + r with |r| ≤ ln 2 / 2
  /// (ln 2 split in two parts so n·ln 2 is exact), eʳ by a degree-7 polynomial, and 2ⁿ built
  /// in the exponent bits. Above 88.3 the result is +∞ (eˣ is within 30% of overflowing);
  /// below −87.3 it is e^−87.3 ≈ 1.2·10⁻³⁸ rather than a subnormal.
  @inline(__always) static func exp(_ input: SIMD8<Float>) -> SIMD8<Float> {
    var x = input.replacing(with: -87.3, where: input .< -87.3)
    x.replace(with: 88.3, where: x .> 88.3)
    // n = round(x·log₂e) by adding 1.5·2²³: the sum's low mantissa bits are n itself,
    // which also gives 2ⁿ's exponent bits without a float-to-int conversion.
    let magic: Float = 12_582_912
    let shifted = x * 1.442_695_040_888_963_4 + magic
    let n = shifted - magic
    let r = x - n * 0.693_359_375 + n * 2.121_944_40e-4
    var p = SIMD8<Float>(repeating: 1.987_569_150_0e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    p = p * r * r + r + 1
    let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    return (p * unsafeBitCast(exponent, to: SIMD8<Float>.self)).replacing(with: .infinity, where: input .> 88.3)
  }
}
