import ArgumentParser
import Foundation

/// `--layers 64,32`: the hidden layer widths, checked with a message that says where the
/// problem is.
enum LayerSizes {
  /// Parses `64,32`; an empty string means no hidden layer.
  static func parse(_ text: String) throws -> [Int] {
    if text.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
    return try text.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { index, part in
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else {
        throw ValidationError("--layers \"\(text)\": empty layer size at position \(index + 1); expected sizes like 64,32")
      }
      guard let size = Int(trimmed), size > 0 else {
        throw ValidationError(
          "--layers \"\(text)\": \"\(trimmed)\" at position \(index + 1) is not a positive whole number; expected sizes like 64,32")
      }
      return size
    }
  }
}
