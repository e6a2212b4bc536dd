import ArgumentParser
import Foundation

/// `--input-shape C,H,W`: the image shape of a CSV's rows, for `--architecture`'s
/// convolution and pooling layers, checked with a message that says what is wrong.
enum InputShape {
  /// Parses `1,28,28` into `[1, 28, 28]`: three positive whole numbers.
  static func parse(_ text: String) throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let axes = parts.compactMap { Int($0) }.filter { $0 > 0 && $0 <= maximumAxis }
    guard parts.count == 3, axes.count == 3 else {
      throw ValidationError(
        "--input-shape \"\(text)\": expected channels, height and width as three positive whole numbers up to \(maximumAxis), like 1,28,28")
    }
    return axes
  }

  /// The largest channel count, height or width accepted.
  static let maximumAxis = 65_536
}
