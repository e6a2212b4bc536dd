/// A model file that cannot be read, rebuilt or written: where, what, and a hint, on one line.
///
///     model.safetensors: tensor "2.weight" has shape [10, 32] but its data holds 300 floats (file truncated?)
///
/// ``SafetensorsFile/init(bytes:)`` throws it without a file name; ``ModelFile/load(from:customLayers:)``
/// and ``ModelFile/save(to:)`` add the path.
///
///     do { _ = try ModelFile.load(from: "model.safetensors") }
///     catch { print("error: \(error)") }
public struct ModelFileError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file, when known.
  public var file: String?
  /// What is wrong.
  public var reason: Reason

  /// Creates an error, with the file when it is known.
  ///
  ///     ModelFileError(.tooShort(byteCount: 3), file: "model.safetensors")
  public init(_ reason: Reason, file: String? = nil) {
    self.reason = reason
    self.file = file
  }

  /// The same error, naming `file`.
  ///
  ///     error.inFile("model.safetensors").description   // "model.safetensors: …"
  public func inFile(_ file: String) -> ModelFileError { ModelFileError(reason, file: file) }

  /// The one-line message: `file: problem (hint)`.
  public var description: String { (file.map { "\($0): " } ?? "") + reason.description }

  /// What is wrong with a model file.
  public enum Reason: Equatable, Sendable, CustomStringConvertible {
    // The safetensors container.
    /// Fewer than the 8 bytes of the header length.
    case tooShort(byteCount: Int)
    /// The header length points past the end of the file.
    case headerLengthTooLarge(declared: UInt64, available: Int)
    /// The header is not UTF-8, not JSON, or not an object of the expected form.
    case invalidHeader(String)
    /// A tensor entry lacks `dtype`, `shape` or `data_offsets`.
    case missingField(tensor: String, field: String)
    /// A tensor entry's field has the wrong form.
    case invalidField(tensor: String, field: String, expected: String)
    /// A dtype the safetensors format does not define.
    case unknownDType(tensor: String, dtype: String)
    /// A safetensors dtype other than F32 and I64.
    case unsupportedDType(tensor: String, dtype: String)
    /// A tensor's data ends past the end of the data section.
    case offsetsOutOfRange(tensor: String, end: Int, dataByteCount: Int)
    /// Two tensors share bytes.
    case overlappingTensors(String, String)
    /// Bytes `from..<to` of the data section belong to no tensor.
    case uncoveredData(from: Int, to: Int, dataByteCount: Int)
    /// A tensor's shape does not match its byte count.
    case shapeMismatch(tensor: String, shape: [Int], dataByteCount: Int)

    // The Dendrite model stored in it.
    /// No `dendrite.architecture` metadata: a plain state_dict, written by PyTorch say.
    case notADendriteModel
    /// A `dendrite.format_version` this version does not read.
    case unsupportedFormatVersion(String)
    /// A `dendrite.*` metadata entry that is missing or malformed.
    case invalidMetadata(key: String, problem: String)
    /// A parameter the architecture needs is not in the file.
    case missingTensor(String, layer: String)
    /// A tensor that belongs to no parameter of the architecture.
    case unexpectedTensor(String)
    /// A parameter or optimizer slot with the wrong shape.
    case wrongTensorShape(String, shape: [Int], expected: [Int], layer: String)
    /// The model, loss, classes and preprocessing do not fit together.
    case inconsistent(String)
    /// A custom layer that does not conform to ``SavableLayer``: model files cannot store it.
    case unsavableLayer(layer: String, type: String)
    /// The file has a custom layer whose type was not given to the loader.
    case unknownCustomLayer(layer: String, name: String)
    /// A custom layer's `init(configuration:parameters:)` refused what the file holds.
    case customLayerRejected(layer: String, problem: String)

    // Input and output.
    /// The file cannot be read.
    case cannotRead(String)
    /// The file cannot be written.
    case cannotWrite(String)

    /// The problem and its hint, without the file name.
    public var description: String {
      switch self {
      case .tooShort(let count):
        "the file is \(count) bytes, too short for a safetensors header (empty or truncated file?)"
      case .headerLengthTooLarge(let declared, let available):
        "the header length says \(declared) bytes but only \(available) follow it "
          + "(file truncated, or not a safetensors file?)"
      case .invalidHeader(let problem):
        "\(problem) (not a safetensors file, or a corrupted one?)"
      case .missingField(let tensor, let field):
        "tensor \"\(tensor)\" has no \"\(field)\" in the header (corrupted header?)"
      case .invalidField(let tensor, let field, let expected):
        "tensor \"\(tensor)\": \"\(field)\" should be \(expected) (corrupted header?)"
      case .unknownDType(let tensor, let dtype):
        "tensor \"\(tensor)\" has unknown dtype \"\(dtype)\" (corrupted header?)"
      case .unsupportedDType(let tensor, let dtype):
        "tensor \"\(tensor)\" is \(dtype) but Dendrite reads F32 (and I64 counts) only "
          + "(save it as float32, e.g. tensor.float() in PyTorch)"
      case .offsetsOutOfRange(let tensor, let end, let count):
        "tensor \"\(tensor)\" data ends at byte \(end) but the data section holds \(count) bytes (file truncated?)"
      case .overlappingTensors(let first, let second):
        "tensors \"\(first)\" and \"\(second)\" overlap in the data section (corrupted header?)"
      case .uncoveredData(let from, let to, let count) where to == count:
        "the data section has \(to - from) bytes after the last tensor (corrupted header, or data appended?)"
      case .uncoveredData(let from, let to, _):
        "bytes \(from)..<\(to) of the data section belong to no tensor (corrupted header?)"
      case .shapeMismatch(let tensor, let shape, let count) where count % 4 != 0:
        "tensor \"\(tensor)\" has shape \(shape) but its data is \(count) bytes, "
          + "not a whole number of floats (corrupted header?)"
      case .shapeMismatch(let tensor, let shape, let count):
        "tensor \"\(tensor)\" has shape \(shape) but its data holds \(count / 4) floats "
          + (count / 4 < shape.reduce(1, *) ? "(file truncated?)" : "(corrupted header?)")
      case .notADendriteModel:
        "no dendrite.architecture metadata, so the model cannot be rebuilt "
          + "(a file written by PyTorch? Dendrite reads the files it saves)"
      case .unsupportedFormatVersion(let version):
        "dendrite.format_version is \"\(version)\" but this Dendrite reads version 1 (written by a newer Dendrite?)"
      case .invalidMetadata(let key, let problem):
        "\(key): \(problem) (edited or corrupted metadata?)"
      case .missingTensor(let name, let layer):
        "tensor \"\(name)\" is missing; \(layer) needs it (file from another model?)"
      case .unexpectedTensor(let name):
        "tensor \"\(name)\" belongs to no layer of dendrite.architecture (file from another model?)"
      case .wrongTensorShape(let name, let shape, let expected, let layer):
        "tensor \"\(name)\" has shape \(shape) but \(layer) needs \(expected) (file from another model?)"
      case .inconsistent(let problem):
        problem
      case .unsavableLayer(let layer, let type):
        "\(layer) is a custom layer that a model file cannot store: conform \(type) to SavableLayer "
          + "(a typeName, a JSON configuration and init(configuration:parameters:)) to save it"
      case .unknownCustomLayer(let layer, let name):
        "\(layer) is the custom layer \"\(name)\": pass the SavableLayer type whose typeName is \"\(name)\" "
          + "to the loader, ModelFile.load(from: path, customLayers: [TheType.self])"
      case .customLayerRejected(let layer, let problem):
        "\(layer) cannot be rebuilt from the file: \(problem)"
      case .cannotRead(let problem), .cannotWrite(let problem):
        problem
      }
    }
  }
}
