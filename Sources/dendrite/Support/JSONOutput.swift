import Dendrite
import Foundation

/// `--json` output: one JSON object on stdout, keys sorted, nothing else there.
enum JSONOutput {
  static func print(_ value: JSONValue) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
  }

  /// Figures as a JSON object of numbers (non-finite values become null).
  static func figures(_ values: [String: Float]) -> JSONValue {
    .object(values.mapValues { JSONValue.float($0) })
  }
}
