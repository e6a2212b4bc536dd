import Foundation

/// A safetensors file in memory: named tensors in order, plus string metadata.
///
///     [8 bytes: header length N, little-endian u64]
///     [N bytes: JSON header, padded with spaces to a multiple of 8]
///         {"__metadata__": {"key": "value", …},
///          "0.weight": {"dtype": "F32", "shape": [32, 64], "data_offsets": [0, 8192]}, …}
///     [data: every tensor's little-endian bytes, in order; offsets are relative to here]
///
/// Dendrite writes and reads F32 tensors, and I64 ones (PyTorch's dtype for batch norm's
/// `num_batches_tracked`) whose values it holds as whole floats; other dtypes are an error
/// that names them. Reading checks everything the header claims against the bytes, so that
/// a damaged file is an error that names the problem, never a crash.
///
///     var file = SafetensorsFile(metadata: ["dendrite.format_version": "1"])
///     file["0.weight"] = Tensor([[1, 2], [3, 4]])
///     file.setTensor(Tensor(scalar: 12), named: "1.num_batches_tracked", as: .int64)
///     let bytes = file.encoded()
///     let back = try SafetensorsFile(bytes: bytes)   // == file
public struct SafetensorsFile: Sendable, Equatable {
  /// How a tensor's elements are stored in the file.
  ///
  ///     file.elementType(of: "1.num_batches_tracked")   // .int64
  public enum ElementType: String, Sendable {
    /// 32-bit floats, `F32`: parameters, running statistics, optimizer slots.
    case float32 = "F32"
    /// 64-bit signed integers, `I64`: counts such as `num_batches_tracked`. Dendrite holds
    /// them as floats, exact up to 2²⁴.
    case int64 = "I64"

    /// Bytes per element.
    var byteCount: Int { self == .float32 ? 4 : 8 }
  }

  /// The tensor names, in the order their data is laid out.
  public private(set) var names: [String]
  /// String metadata, the header's `__metadata__` (written with sorted keys).
  public var metadata: [String: String]
  private var storage: [String: Tensor]
  /// The tensors stored as I64; every other tensor is F32.
  private var integerNames: Set<String> = []

  /// How the tensor called `name` is stored: `.float32` unless set with ``setTensor(_:named:as:)``
  /// as `.int64` or read from an I64 entry; nil when there is no such tensor.
  ///
  ///     file.elementType(of: "0.weight")   // .float32
  public func elementType(of name: String) -> ElementType? {
    guard storage[name] != nil else { return nil }
    return integerNames.contains(name) ? .int64 : .float32
  }

  /// Sets the tensor called `name` (appending a new name) and how the file stores it.
  ///
  ///     file.setTensor(Tensor(scalar: 3), named: "1.num_batches_tracked", as: .int64)
  ///
  /// - Precondition: for `.int64`, every value is a whole number.
  public mutating func setTensor(_ tensor: Tensor, named name: String, as type: ElementType) {
    precondition(
      type == .float32 || tensor.scalars.allSatisfy { Int64(exactly: $0) != nil },
      "an I64 tensor holds whole numbers, \"\(name)\" has \(tensor.scalars)")
    self[name] = tensor
    if type == .int64 { integerNames.insert(name) } else { integerNames.remove(name) }
  }

  /// Creates a file from tensors in order; a repeated name keeps its first position and
  /// its last tensor.
  ///
  ///     SafetensorsFile(tensors: [("0.weight", w), ("0.bias", b)], metadata: [:])
  public init(tensors: [(name: String, tensor: Tensor)] = [], metadata: [String: String] = [:]) {
    self.names = []
    self.storage = [:]
    self.metadata = metadata
    for (name, tensor) in tensors { self[name] = tensor }
  }

  /// The tensor called `name`, or nil. Setting a new name appends it; setting nil removes it.
  ///
  ///     file["0.bias"] = Tensor([0, 0])
  ///
  /// - Precondition: `name` is not `__metadata__`, which the format reserves.
  public subscript(name: String) -> Tensor? {
    get { storage[name] }
    set {
      precondition(name != Self.metadataKey, "\"\(Self.metadataKey)\" is reserved for the header's metadata")
      integerNames.remove(name)
      if let newValue {
        if storage.updateValue(newValue, forKey: name) == nil { names.append(name) }
      } else if storage.removeValue(forKey: name) != nil {
        names.removeAll { $0 == name }
      }
    }
  }

  /// The tensors with their names, in order.
  ///
  ///     for (name, tensor) in file.tensors { print(name, tensor.shape) }
  public var tensors: [(name: String, tensor: Tensor)] {
    names.compactMap { name in storage[name].map { (name, $0) } }
  }

  /// The file's bytes: header length, space-padded JSON header, then each tensor's
  /// little-endian data (F32, or I64 for ``ElementType/int64`` tensors) in ``names`` order.
  ///
  ///     try AtomicFile.write(file.encoded(), to: "model.safetensors")
  public func encoded() -> [UInt8] {
    var header = "{"
    var entries: [String] = []
    if !metadata.isEmpty {
      let fields = JSONValue.object(metadata.mapValues(JSONValue.string))
      entries.append("\(JSONText.quoted(Self.metadataKey)):\(fields.jsonText())")
    }
    var offset = 0
    for (name, tensor) in tensors {
      let type = elementType(of: name) ?? .float32
      let end = offset + type.byteCount * tensor.scalarCount
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      entries.append(
        "\(JSONText.quoted(name)):{\"dtype\":\"\(type.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
      offset = end
    }
    header += entries.joined(separator: ",") + "}"
    var headerBytes = Array(header.utf8)
    headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)

    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + headerBytes.count + offset)
    appendLittleEndian(UInt64(headerBytes.count), to: &bytes)
    bytes += headerBytes
    for (name, tensor) in tensors {
      if integerNames.contains(name) {
        for scalar in tensor.scalars { appendLittleEndian(UInt64(bitPattern: Int64(scalar)), to: &bytes) }
      } else {
        for scalar in tensor.scalars { appendLittleEndian(UInt64(scalar.bitPattern), byteCount: 4, to: &bytes) }
      }
    }
    return bytes
  }

  /// Reads a file, checking the header against the data: a header length that fits, a
  /// UTF-8 JSON object, `dtype` / `shape` / `data_offsets` on every tensor, F32 or I64
  /// (whose values must be within ±2²⁴, which a float holds exactly),
  /// offsets in range that cover the data without gaps or overlaps, and shapes that
  /// match their byte counts. Non-finite values are kept as they are.
  ///
  ///     let file = try SafetensorsFile(bytes: Array(data))
  ///     file["0.weight"]?.shape   // [32, 64]
  ///
  /// - Throws: ``ModelFileError`` without a file name; ``ModelFileError/inFile(_:)`` adds one.
  public init(bytes: [UInt8]) throws(ModelFileError) {
    guard bytes.count >= 8 else { throw ModelFileError(.tooShort(byteCount: bytes.count)) }
    let declared = readLittleEndian(bytes, at: 0, byteCount: 8)
    guard declared <= UInt64(bytes.count - 8) else {
      throw ModelFileError(.headerLengthTooLarge(declared: declared, available: bytes.count - 8))
    }
    let headerEnd = 8 + Int(declared)
    let fields = try parseHeader(bytes[8..<headerEnd])
    let dataCount = bytes.count - headerEnd

    var entries: [(name: String, shape: [Int], type: ElementType, begin: Int, end: Int)] = []
    var metadata: [String: String] = [:]
    for name in fields.keys.sorted() {
      guard let value = fields[name] else { continue }
      if name == Self.metadataKey {
        metadata = try parseMetadata(value)
        continue
      }
      let entry = try parseEntry(name: name, value)
      guard entry.end <= dataCount else {
        throw ModelFileError(.offsetsOutOfRange(tensor: name, end: entry.end, dataByteCount: dataCount))
      }
      let byteCount = entry.end - entry.begin
      guard byteCount == entry.type.byteCount * entry.elementCount else {
        guard entry.type == .float32 else {
          throw ModelFileError(
            .invalidField(
              tensor: name, field: "data_offsets",
              expected: "8 bytes per I64 element of shape \(entry.shape), not \(byteCount) bytes"))
        }
        throw ModelFileError(.shapeMismatch(tensor: name, shape: entry.shape, dataByteCount: byteCount))
      }
      entries.append((name, entry.shape, entry.type, entry.begin, entry.end))
    }

    entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
    var covered = 0
    for (index, entry) in entries.enumerated() {
      if entry.begin < covered {
        throw ModelFileError(.overlappingTensors(entries[index - 1].name, entry.name))
      }
      if entry.begin > covered {
        throw ModelFileError(.uncoveredData(from: covered, to: entry.begin, dataByteCount: dataCount))
      }
      covered = entry.end
    }
    if covered != dataCount {
      throw ModelFileError(.uncoveredData(from: covered, to: dataCount, dataByteCount: dataCount))
    }

    self.init(metadata: metadata)
    for entry in entries {
      let start = headerEnd + entry.begin
      var scalars = [Float](repeating: 0, count: (entry.end - entry.begin) / entry.type.byteCount)
      switch entry.type {
      case .float32:
        for i in scalars.indices {
          scalars[i] = Float(
            bitPattern: UInt32(truncatingIfNeeded: readLittleEndian(bytes, at: start + 4 * i, byteCount: 4)))
        }
      case .int64:
        for i in scalars.indices {
          let value = Int64(bitPattern: readLittleEndian(bytes, at: start + 8 * i, byteCount: 8))
          guard value.magnitude <= 1 << 24 else {
            throw ModelFileError(
              .invalidField(tensor: entry.name, field: "data", expected: "I64 values within ±2^24 (got \(value))"))
          }
          scalars[i] = Float(value)
        }
      }
      setTensor(Tensor(shape: entry.shape, scalars: scalars), named: entry.name, as: entry.type)
    }
  }

  /// The header key that holds the metadata.
  static let metadataKey = "__metadata__"
}

// MARK: - Header parsing

/// The dtypes the safetensors format defines.
private let knownDTypes: Set<String> = [
  "BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64",
  "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64",
]

private func parseHeader(_ header: ArraySlice<UInt8>) throws(ModelFileError) -> [String: JSONValue] {
  guard String(validating: header, as: UTF8.self) != nil else {
    throw ModelFileError(.invalidHeader("the header is not UTF-8 text"))
  }
  let firstNonSpace = header.first { !isJSONWhitespace($0) }
  guard firstNonSpace == UInt8(ascii: "{") else {
    throw ModelFileError(.invalidHeader("the header is not a JSON object"))
  }
  let value: JSONValue
  do {
    value = try JSONDecoder().decode(JSONValue.self, from: Data(header))
  } catch {
    throw ModelFileError(.invalidHeader("the header is not valid JSON"))
  }
  guard case .object(let fields) = value else {
    throw ModelFileError(.invalidHeader("the header is not a JSON object"))
  }
  return fields
}

private func parseMetadata(_ value: JSONValue) throws(ModelFileError) -> [String: String] {
  guard case .object(let fields) = value else {
    throw ModelFileError(.invalidHeader("__metadata__ is not an object of strings"))
  }
  var metadata: [String: String] = [:]
  for (key, item) in fields {
    guard case .string(let text) = item else {
      throw ModelFileError(.invalidHeader("__metadata__ value \"\(key)\" is not a string"))
    }
    metadata[key] = text
  }
  return metadata
}

private func parseEntry(
  name: String, _ value: JSONValue
) throws(ModelFileError) -> (shape: [Int], type: SafetensorsFile.ElementType, elementCount: Int, begin: Int, end: Int) {
  guard case .object = value else {
    throw ModelFileError(.invalidField(tensor: name, field: "entry", expected: "an object"))
  }
  guard let dtypeValue = value["dtype"] else { throw ModelFileError(.missingField(tensor: name, field: "dtype")) }
  guard case .string(let dtype) = dtypeValue else {
    throw ModelFileError(.invalidField(tensor: name, field: "dtype", expected: "a string such as \"F32\""))
  }
  guard knownDTypes.contains(dtype) else { throw ModelFileError(.unknownDType(tensor: name, dtype: dtype)) }
  guard let type = SafetensorsFile.ElementType(rawValue: dtype) else {
    throw ModelFileError(.unsupportedDType(tensor: name, dtype: dtype))
  }

  guard let shapeValue = value["shape"] else { throw ModelFileError(.missingField(tensor: name, field: "shape")) }
  guard let shape = JSONText.nonNegativeIntegers(shapeValue) else {
    throw ModelFileError(.invalidField(tensor: name, field: "shape", expected: "an array of non-negative integers"))
  }
  guard let offsetsValue = value["data_offsets"] else {
    throw ModelFileError(.missingField(tensor: name, field: "data_offsets"))
  }
  guard let offsets = JSONText.nonNegativeIntegers(offsetsValue), offsets.count == 2, offsets[0] <= offsets[1] else {
    throw ModelFileError(
      .invalidField(tensor: name, field: "data_offsets", expected: "[begin, end] with begin ≤ end"))
  }
  var elementCount = 1
  for axis in shape {
    let (product, overflow) = elementCount.multipliedReportingOverflow(by: axis)
    let (bytes, overflowBytes) = product.multipliedReportingOverflow(by: type.byteCount)
    guard !overflow, !overflowBytes, bytes >= 0 else {
      throw ModelFileError(.invalidField(tensor: name, field: "shape", expected: "a shape whose size fits in memory"))
    }
    elementCount = product
  }
  return (shape, type, elementCount, offsets[0], offsets[1])
}

private func isJSONWhitespace(_ byte: UInt8) -> Bool {
  byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

// MARK: - Bytes

private func appendLittleEndian(_ value: UInt64, byteCount: Int = 8, to bytes: inout [UInt8]) {
  for i in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
}

private func readLittleEndian(_ bytes: [UInt8], at offset: Int, byteCount: Int) -> UInt64 {
  var value: UInt64 = 0
  for i in 0..<byteCount { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
  return value
}
