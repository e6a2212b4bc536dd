import Dendrite
import Foundation

/// One case of TensorFlow's reference file (schema: Fixtures/README.md).
struct ReferenceCase: Decodable, Sendable {
  struct Array: Decodable, Sendable {
    let shape: [Int]
    let data: [Double]

    /// The values rounded to Float, as a float32 case's inputs are.
    var tensor: Tensor { Tensor(shape: shape, scalars: data.map { Float($0) }) }
    var integers: [Int] { data.map { Int($0) } }
  }

  let id: String
  let group: String
  let op: String
  let dtype: String
  let reduction: String
  let inputs: [String: Array]
  let output: Array
  let grad: [String: Array]
  let perSample: Array?

  enum CodingKeys: String, CodingKey {
    case id, group, op, dtype, reduction, inputs, output, grad
    case perSample = "per_sample"
  }
}

/// What Dendrite computes for a case: the value, the gradient(s) by input name, and for
/// losses the per-sample values.
struct ReferenceResult {
  var output: Tensor
  var gradients: [String: Tensor]
  var perSample: Tensor?
}

enum ReferenceFile {
  struct Contents: Decodable {
    let cases: [ReferenceCase]
  }

  /// The cases of a fixture file in the test bundle.
  static func load(_ name: String) throws -> [ReferenceCase] {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures")
    else {
      throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name).json"])
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return try decoder.decode(Contents.self, from: Data(contentsOf: url)).cases
  }

  /// The agreement rule of DESIGN.md: |a − b| ≤ 1e-6 + 1e-5·|b| against TensorFlow's
  /// float32 value or its float64 value for the same input, element by element.
  static func agrees(_ value: Float, float32 reference: Double, float64 other: Double?) -> Bool {
    func close(_ b: Double) -> Bool {
      if b.isNaN { return value.isNaN }
      if b.isInfinite { return Double(value) == b }
      return Swift.abs(Double(value) - b) <= 1e-6 + 1e-5 * Swift.abs(b)
    }
    return close(reference) || (other.map(close) ?? false)
  }

  /// Compares a computed tensor with a reference array (and its float64 twin), returning
  /// a description of the first disagreement, or nil.
  static func mismatch(
    _ what: String, _ value: Tensor, _ reference: ReferenceCase.Array, _ twin: ReferenceCase.Array?
  ) -> String? {
    guard value.shape == reference.shape else {
      return "\(what): shape \(value.shape), TensorFlow \(reference.shape)"
    }
    for (i, v) in value.scalars.enumerated() {
      let other = twin.flatMap { $0.data.count == reference.data.count ? $0.data[i] : nil }
      if !agrees(v, float32: reference.data[i], float64: other) {
        return "\(what)[\(i)]: Dendrite \(v), TensorFlow float32 \(reference.data[i]), float64 \(other.map(String.init(describing:)) ?? "-")"
      }
    }
    return nil
  }
}
