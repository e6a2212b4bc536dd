/// Elementwise arithmetic with broadcasting (see `Broadcasting.swift`), each with its
/// derivative: for z = a ∘ b the pullback of an upstream gradient g is
///
///     +:  (g, g)        −:  (g, −g)        ×:  (g·b, g·a)        ÷:  (g/b, −g·a/b²)
///
/// each summed back to its operand's shape when that operand was broadcast, and each
/// computed only for an operand that is being differentiated.
extension Tensor {
  /// Elementwise sum, with broadcasting.
  ///
  ///     Tensor([[1, 2], [3, 4]]) + Tensor([10, 20])   // [[11, 22], [13, 24]]
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    let value = broadcastValues(lhs, rhs, +)
    return recording(value, from: lhs, rhs) { g, needed in
      (needed[0] ? g.summed(toShape: lhs.shape) : nil, needed[1] ? g.summed(toShape: rhs.shape) : nil)
    }
  }

  /// Elementwise difference, with broadcasting.
  ///
  ///     Tensor([3, 4]) - Tensor([1, 1])   // [2, 3]
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
    let value = broadcastValues(lhs, rhs, -)
    return recording(value, from: lhs, rhs) { g, needed in
      (needed[0] ? g.summed(toShape: lhs.shape) : nil, needed[1] ? (-g).summed(toShape: rhs.shape) : nil)
    }
  }

  /// Elementwise product, with broadcasting.
  ///
  ///     Tensor([1, 2]) * Tensor([3, 4])   // [3, 8]
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
    let value = broadcastValues(lhs, rhs, *)
    return recording(value, from: lhs, rhs) { g, needed in
      (needed[0] ? (g * rhs).summed(toShape: lhs.shape) : nil, needed[1] ? (g * lhs).summed(toShape: rhs.shape) : nil)
    }
  }

  /// Elementwise quotient, with broadcasting.
  ///
  ///     Tensor([1, 2]) / Tensor([4, 4])   // [0.25, 0.5]
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
    let value = broadcastValues(lhs, rhs, /)
    return recording(value, from: lhs, rhs) { g, needed in
      (needed[0] ? (g / rhs).summed(toShape: lhs.shape) : nil,
       needed[1] ? (-g * lhs / (rhs * rhs)).summed(toShape: rhs.shape) : nil)
    }
  }

  /// Elementwise negation.
  public static prefix func - (x: Tensor) -> Tensor {
    recording(Tensor(shape: x.shape, scalars: Kernels.map(x.scalars) { -$0 }), from: x) { g in -g }
  }

  /// Adds a scalar to every element.
  public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs + Tensor(scalar: rhs) }
  /// Adds a scalar to every element.
  public static func + (lhs: Float, rhs: Tensor) -> Tensor { Tensor(scalar: lhs) + rhs }
  /// Subtracts a scalar from every element.
  public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs - Tensor(scalar: rhs) }
  /// Subtracts every element from a scalar.
  public static func - (lhs: Float, rhs: Tensor) -> Tensor { Tensor(scalar: lhs) - rhs }
  /// Multiplies every element by a scalar.
  public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs * Tensor(scalar: rhs) }
  /// Multiplies every element by a scalar.
  public static func * (lhs: Float, rhs: Tensor) -> Tensor { Tensor(scalar: lhs) * rhs }
  /// Divides every element by a scalar.
  public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs / Tensor(scalar: rhs) }
  /// Divides a scalar by every element.
  public static func / (lhs: Float, rhs: Tensor) -> Tensor { Tensor(scalar: lhs) / rhs }

  /// Adds `rhs` into `lhs` elementwise.
  public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
  /// Subtracts `rhs` from `lhs` elementwise.
  public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
  /// Multiplies `lhs` by `rhs` elementwise.
  public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs * rhs }
  /// Divides `lhs` by `rhs` elementwise.
  public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs / rhs }
}
