import Dendrite

/// `--json` output: one JSON object on stdout, keys sorted, nothing else there.
enum JSONOutput {
  /// Prints `value` as one line of compact JSON (``JSONValue/jsonText(_:)``).
  static func print(_ value: JSONValue) {
    Swift.print(value.jsonText())
  }

  /// Figures as a JSON object of numbers (non-finite values become null).
  static func figures(_ values: [String: Float]) -> JSONValue {
    .object(values.mapValues { JSONValue.float($0) })
  }
}
