import ArgumentParser
import Foundation

/// `--layers 64,32`: the hidden layer widths, checked with a message that says where the
/// problem is.
enum LayerSizes {
  /// Parses `64,32`; `none` means no hidden layer, and an empty string is an error (an
  /// unset shell variable should not silently drop the hidden layers).
  static func parse(_ text: String) throws -> [Int] {
    let whole = text.trimmingCharacters(in: .whitespaces)
    if whole.lowercased() == noHiddenLayer { return [] }
    guard !whole.isEmpty else {
      throw ValidationError("--layers is empty; give hidden layer sizes like 64,32, or \(noHiddenLayer) for no hidden layer")
    }
    let sizes = try text.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { index, part in
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else {
        throw ValidationError("--layers \"\(text)\": empty layer size at position \(index + 1); expected sizes like 64,32")
      }
      guard let size = Int(trimmed), size > 0 else {
        throw ValidationError(
          "--layers \"\(text)\": \"\(trimmed)\" at position \(index + 1) is not a positive whole number; expected sizes like 64,32")
      }
      guard size <= maximumWidth else {
        throw ValidationError(
          "--layers \"\(text)\": \(size) units at position \(index + 1) is more than \(maximumWidth); Dendrite trains small MLPs on the CPU")
      }
      return size
    }
    for position in sizes.indices.dropFirst() where sizes[position - 1] * sizes[position] > maximumWeights {
      throw ValidationError(
        "--layers \"\(text)\": \(sizes[position - 1])×\(sizes[position]) weights between positions \(position) and \(position + 1) "
          + "are more than \(maximumWeights) (256 MiB); use narrower layers")
    }
    return sizes
  }

  /// The `--layers` value that asks for no hidden layer (a linear or logistic model).
  static let noHiddenLayer = "none"
  /// The widest hidden layer accepted: wider ones would exhaust memory (a trap, not an error).
  static let maximumWidth = 65_536
  /// The most weights between two hidden layers (2²⁶ floats, 256 MiB).
  static let maximumWeights = 1 << 26
}
