import Dendrite
import Foundation

/// Numbers as frames carry them: rounded to four significant digits, so that a frame stays
/// small; NaN and infinities become `null`.
///
///     FrameNumbers.json(0.123456)   // 0.1235
enum FrameNumbers {
  /// One number, rounded.
  static func json(_ value: Float) -> JSONValue {
    guard value.isFinite else { return .null }
    guard value != 0 else { return .number(0) }
    return .number(rounded(Double(value)))
  }

  /// An optional number; nil becomes `null`.
  static func json(_ value: Float?) -> JSONValue {
    value.map { json($0) } ?? .null
  }

  /// Numbers, rounded.
  static func json(_ values: [Float]) -> JSONValue {
    .array(values.map { json($0) })
  }

  /// Grid values (the boundary, unit maps), which only colour cells: rounded to a fixed
  /// number of decimals, so that `0.000123` costs one character, not nine.
  ///
  ///     FrameNumbers.grid([0.12345, -0.000123], decimals: 2)   // [0.12, 0]
  static func grid(_ values: [Float], decimals: Int) -> JSONValue {
    let scale = Foundation.pow(10, Double(decimals))
    return .array(
      values.map { value in
        guard value.isFinite else { return .null }
        let rounded = (Double(value) * scale).rounded() / scale
        return .number(rounded == 0 ? 0 : rounded)
      })
  }

  /// `value` rounded to four significant digits.
  static func rounded(_ value: Double) -> Double {
    let magnitude = Foundation.floor(Foundation.log10(Swift.abs(value)))
    let scale = Foundation.pow(10, 3 - magnitude)
    let result = (value * scale).rounded() / scale
    // The division can leave 0.30000000000000004; the shortest decimal of 4 digits is exact.
    return Double(String(format: "%.4g", result)) ?? result
  }
}
