/// Reads a plain decimal number straight from a CSV cell's bytes, giving exactly the
/// `Double` that `Double(String)` gives for the same text, without making the string.
///
///     let bytes = Array("-1.5e3".utf8)
///     CSVNumber.decimal(bytes, from: 0, to: bytes.count)   // -1500.0
///     CSVNumber.decimal(Array("inf".utf8), from: 0, to: 3) // nil: ask Double(String)
///
/// It takes `[+-]digits[.digits][(e|E)[+-]digits]` (digits on at least one side of the
/// point) with at most 19 significant digits and, once the point is moved, a power of
/// ten within ±22 and a mantissa below 2^53: then the mantissa and the power of ten are
/// both exact doubles and one IEEE multiplication or division rounds correctly
/// (Clinger's fast path). Everything else (longer mantissas, larger exponents, `inf`,
/// `nan`, hexadecimal, text) returns nil, and the caller falls back to `Double(String)`.
enum CSVNumber {
  /// The powers of ten that are exact doubles: 1e0 … 1e22.
  private static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  ]

  /// The value of `bytes[start..<end]` when it is a plain decimal the fast path rounds
  /// exactly, else nil (not a number, or one for `Double(String)` to read).
  @inline(__always)
  static func decimal(_ bytes: [UInt8], from start: Int, to end: Int) -> Double? {
    let (value, stop) = decimalPrefix(bytes, from: start, to: end)
    return stop == end ? value : nil
  }

  /// The number that starts at `start`, read up to the first byte that cannot continue
  /// it (or `end`), and where that is; the value is nil when the text up to there is not
  /// a plain decimal the fast path rounds exactly.
  ///
  ///     CSVNumber.decimalPrefix(Array("2.5,x".utf8), from: 0, to: 5)   // (2.5, 3)
  @inline(__always)
  static func decimalPrefix(_ bytes: [UInt8], from start: Int, to end: Int) -> (value: Double?, end: Int) {
    var index = start
    guard index < end else { return (nil, index) }
    var negative = false
    if bytes[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    } else if bytes[index] == UInt8(ascii: "+") {
      index += 1
    }
    var mantissa: UInt64 = 0
    var significant = 0
    var sawDigit = false
    var exponent = 0
    while index < end {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit < 10 else { break }
      if mantissa != 0 || digit != 0 { significant += 1 }
      mantissa = mantissa &* 10 &+ UInt64(digit)
      sawDigit = true
      index += 1
    }
    if index < end, bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < end {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit < 10 else { break }
        if mantissa != 0 || digit != 0 { significant += 1 }
        mantissa = mantissa &* 10 &+ UInt64(digit)
        exponent -= 1
        sawDigit = true
        index += 1
      }
    }
    guard sawDigit, significant <= 19 else { return (nil, index) }
    if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      var exponentNegative = false
      if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
        exponentNegative = bytes[index] == UInt8(ascii: "-")
        index += 1
      }
      var written = 0
      var exponentDigits = 0
      while index < end {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit < 10 else { break }
        if written < 100_000 { written = written * 10 + Int(digit) }
        exponentDigits += 1
        index += 1
      }
      guard exponentDigits > 0 else { return (nil, index) }
      exponent += exponentNegative ? -written : written
    }
    if mantissa == 0 { return (negative ? -0.0 : 0.0, index) }
    guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return (nil, index) }
    let magnitude =
      exponent < 0 ? Double(mantissa) / powersOfTen[-exponent] : Double(mantissa) * powersOfTen[exponent]
    return (negative ? -magnitude : magnitude, index)
  }
}
