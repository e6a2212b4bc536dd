
/// A JSON value: model-file metadata, layer descriptions and results files whose fields
/// differ from entry to entry.
///
///     let metrics: JSONValue = ["softmax_3_1_neg3": [0.8788782, 0.1189432, 0.0021785], "exact": true]
public enum JSONValue: Sendable, Equatable, Codable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number, integers included.
  case number(Double)
  /// A string.
  case string(String)
  /// An array of values.
  case array([JSONValue])
  /// An object: keys to values.
  case object([String: JSONValue])

  /// A Float as the shortest decimal that reads back as the same Float (0.8788782, not
  /// 0.87887823581695557), so results files stay readable.
  public static func float(_ value: Float) -> JSONValue {
    guard value.isFinite else { return .null }
    return .number(Double("\(value)") ?? Double(value))
  }

  /// Floats as an array of ``float(_:)`` values.
  public static func floats(_ values: [Float]) -> JSONValue {
    .array(values.map(float))
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }

  /// The value under `key` of an object, or nil.
  public subscript(key: String) -> JSONValue? {
    if case .object(let fields) = self { return fields[key] }
    return nil
  }

  /// The numbers of an array of numbers, or nil.
  public var numbers: [Double]? {
    guard case .array(let items) = self else { return nil }
    let numbers = items.compactMap { item -> Double? in
      if case .number(let value) = item { return value }
      return nil
    }
    return numbers.count == items.count ? numbers : nil
  }
}

extension JSONValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}
