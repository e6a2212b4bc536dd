/// An n-dimensional array of 32-bit floats, stored row-major, with value semantics.
///
/// Copies are cheap: the scalars live in a copy-on-write array, so a copy shares storage
/// until one side is mutated. The last axis is the feature or class axis, the first the batch.
///
///     let x = Tensor([[1, 2, 3], [4, 5, 6]])   // shape [2, 3]
///     let y = (x * 2 + 1).sum()                 // 48, a rank-0 tensor
///
/// Operations on tensors are recorded for reverse-mode differentiation when they happen
/// inside ``valueWithGradient(at:in:)->(_,Tensor)`` or ``gradient(at:in:)``; outside them a tensor is
/// a plain value and nothing is recorded.
public struct Tensor: Sendable {
  /// The size of each axis; `[]` for a scalar (rank-0) tensor.
  public private(set) var shape: [Int]
  /// The elements in row-major order.
  public private(set) var scalars: [Float]
  /// Where this tensor sits on a gradient tape, when it is being differentiated.
  var tapeHandle: TapeHandle?

  /// Creates a tensor of the given shape from its scalars in row-major order.
  ///
  ///     let t = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
  ///
  /// - Precondition: the product of `shape` equals `scalars.count`, and no axis is negative.
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative axis")
    precondition(
      shape.reduce(1, *) == scalars.count,
      "Tensor shape \(shape) needs \(shape.reduce(1, *)) scalars but \(scalars.count) were given")
    self.shape = shape
    self.scalars = scalars
  }

  /// Creates a rank-1 tensor.
  ///
  ///     let v = Tensor([3, 1, -3])   // shape [3]
  public init(_ scalars: [Float]) {
    self.init(shape: [scalars.count], scalars: scalars)
  }

  /// Creates a rank-2 tensor from rows of equal length.
  ///
  ///     let m = Tensor([[1, 5, 3]])   // shape [1, 3]
  ///
  /// - Precondition: every row has the same length.
  public init(_ rows: [[Float]]) {
    let width = rows.first?.count ?? 0
    precondition(
      rows.allSatisfy { $0.count == width },
      "Tensor rows have different lengths: \(rows.map(\.count))")
    self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
  }

  /// Creates a rank-0 (scalar) tensor.
  ///
  ///     let s = Tensor(scalar: 2.5)   // shape []
  public init(scalar: Float) {
    self.init(shape: [], scalars: [scalar])
  }

  /// Creates a tensor of the given shape with every element equal to `value`.
  ///
  ///     let t = Tensor(repeating: 0.5, shape: [2, 3])
  public init(repeating value: Float, shape: [Int]) {
    let count = shape.reduce(1, *)
    // A one-element literal allocates through a cached type lookup; `Array(repeating:count:)`
    // looks the storage type up at run time, which costs several times more and shows in
    // the tape's per-step bookkeeping, where scalars are common (loss values, seeds,
    // reductions).
    self.init(shape: shape, scalars: count == 1 ? [value] : [Float](repeating: value, count: count))
  }

  /// A tensor of zeros.
  ///
  ///     let z = Tensor.zeros(shape: [3, 4])
  public static func zeros(shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

  /// A tensor of ones.
  ///
  ///     let o = Tensor.ones(shape: [3])
  public static func ones(shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

  /// The number of axes.
  public var rank: Int { shape.count }

  /// The number of elements.
  public var scalarCount: Int { scalars.count }

  /// The single element of a tensor that holds exactly one.
  ///
  ///     Tensor([[4]]).scalar   // 4
  ///
  /// - Precondition: the tensor has one element.
  public var scalar: Float {
    precondition(scalars.count == 1, "scalar needs a one-element tensor, but the shape is \(shape)")
    return scalars[0]
  }

  /// Moves the scalars out, leaving this tensor empty (shape `[0]`), so that the caller
  /// holds the only reference to them and can update them in place without a copy; the
  /// optimizers use it on the parameter they are updating, then store a new tensor.
  mutating func takeScalars() -> [Float] {
    let taken = scalars
    self = Tensor(shape: [0], scalars: [])
    return taken
  }

  /// The same values, disconnected from any gradient tape: a constant for differentiation.
  ///
  ///     let frozen = x.withoutDerivative()
  public func withoutDerivative() -> Tensor {
    var copy = self
    copy.tapeHandle = nil
    return copy
  }
}

extension Tensor: Equatable {
  /// Two tensors are equal when their shapes and scalars are; tape state is ignored.
  public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
    lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
  }
}

extension Tensor {
  /// Whether every element is within `tolerance` of the other tensor's, with equal shapes.
  ///
  ///     Tensor([0.1, 0.2]).isApproximatelyEqual(to: Tensor([0.1000001, 0.2]), tolerance: 1e-6)   // true
  public func isApproximatelyEqual(to other: Tensor, tolerance: Float = 1e-6) -> Bool {
    guard shape == other.shape else { return false }
    return zip(scalars, other.scalars).allSatisfy { abs($0 - $1) <= tolerance }
  }

  /// Whether every element is finite (neither infinite nor NaN).
  public var isFinite: Bool { scalars.allSatisfy(\.isFinite) }
}
