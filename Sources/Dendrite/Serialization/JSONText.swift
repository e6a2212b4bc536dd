/// How ``JSONValue/jsonText(_:)`` lays JSON text out.
///
///     JSONLayout.compact    {"a":[1,2]}
///     JSONLayout.indented   {
///                             "a" : [
///                               1,
///                               2
///                             ]
///                           }
public enum JSONLayout: Sendable {
  /// One line, no spaces: model-file metadata and `--json` output.
  case compact
  /// Two spaces per level and `"key" : value`, Foundation's `.prettyPrinted` layout (an
  /// empty array or object spans two lines): the lab's `results.json`.
  case indented
}

extension JSONValue {
  /// The value as JSON text, the same bytes on every run and platform: Dendrite's one JSON
  /// writer (model-file metadata, `--json` output, the lab's `results.json`).
  ///
  /// Object keys are sorted (Swift's `String` order); numbers are written as Swift's
  /// shortest round-trip form without a trailing `.0` (`3`, `0.1`, `1e-05`, `-0`) and
  /// non-finite ones as `null`; strings escape `"`, `\` and the control characters (`\n`,
  /// `\t`, `\u001f`, …) and nothing else — not `/`, not non-ASCII characters.
  ///
  ///     JSONValue.object(["b": 1.5, "a": [true, .null]]).jsonText()   // {"a":[true,null],"b":1.5}
  public func jsonText(_ layout: JSONLayout = .compact) -> String {
    var text = ""
    JSONText.write(self, layout: layout, depth: 0, into: &text)
    return text
  }
}

/// The pieces of JSON text that ``JSONValue/jsonText(_:)`` and the safetensors header
/// writer share, and the readers' number check.
enum JSONText {
  /// `value` as compact JSON text (``JSONValue/jsonText(_:)``).
  static func encode(_ value: JSONValue) -> String { value.jsonText() }

  /// `text` as a JSON string literal.
  static func quoted(_ text: String) -> String {
    var result = "\""
    appendQuoted(text, to: &result)
    return result
  }

  /// A number as JSON: Swift's shortest round-trip form without a trailing `.0`, `null`
  /// when not finite.
  static func number(_ number: Double) -> String {
    guard number.isFinite else { return "null" }
    let text = number.description
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }

  /// The integers of a JSON array of non-negative integers (exact in a Double), or nil.
  static func nonNegativeIntegers(_ value: JSONValue) -> [Int]? {
    guard let numbers = value.numbers else { return nil }
    var integers: [Int] = []
    for number in numbers {
      guard number >= 0, number < 9.007_199_254_740_992e15, number.rounded(.towardZero) == number else { return nil }
      integers.append(Int(number))
    }
    return integers
  }

  fileprivate static func write(_ value: JSONValue, layout: JSONLayout, depth: Int, into text: inout String) {
    switch value {
    case .null: text += "null"
    case .bool(let flag): text += flag ? "true" : "false"
    case .number(let value): text += number(value)
    case .string(let string):
      text += "\""
      appendQuoted(string, to: &text)
    case .array(let items):
      writeContainer(items, open: "[", close: "]", layout: layout, depth: depth, into: &text) { item, text in
        write(item, layout: layout, depth: depth + 1, into: &text)
      }
    case .object(let fields):
      let keys = fields.keys.sorted()
      writeContainer(keys, open: "{", close: "}", layout: layout, depth: depth, into: &text) { key, text in
        text += "\""
        appendQuoted(key, to: &text)
        text += layout == .compact ? ":" : " : "
        write(fields[key] ?? .null, layout: layout, depth: depth + 1, into: &text)
      }
    }
  }

  /// `open`, the elements separated by commas (one a line when indented), `close`.
  private static func writeContainer<Element>(
    _ elements: [Element], open: String, close: String, layout: JSONLayout, depth: Int, into text: inout String,
    element writeElement: (Element, inout String) -> Void
  ) {
    text += open
    switch layout {
    case .compact:
      for (index, element) in elements.enumerated() {
        if index > 0 { text += "," }
        writeElement(element, &text)
      }
    case .indented:
      let inner = "\n" + String(repeating: "  ", count: depth + 1)
      if elements.isEmpty { text += "\n" }
      for (index, element) in elements.enumerated() {
        text += index > 0 ? "," + inner : inner
        writeElement(element, &text)
      }
      text += "\n" + String(repeating: "  ", count: depth)
    }
    text += close
  }

  /// Appends `string`'s characters, escaped, and the closing quote.
  private static func appendQuoted(_ string: String, to text: inout String) {
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case "\u{08}": text += "\\b"
      case "\u{0C}": text += "\\f"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: text.unicodeScalars.append(scalar)
      }
    }
    text += "\""
  }
}
