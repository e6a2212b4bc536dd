#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Reads a whole file into memory: Dendrite's one way to open a file, for model files,
/// benchmark workloads, CSV and IDX files alike, so that every reader tells a missing
/// file, a folder and an unreadable file apart in the same words.
///
///     let bytes = try FileContents.bytes(atPath: "digits.safetensors")
public enum FileContents {
  /// The bytes of the file at `path`.
  ///
  ///     try FileContents.bytes(atPath: "nope.csv")   // throws: nope.csv: no such file (check the path)
  ///
  /// - Throws: ``FileReadError``: no such file, a folder, or a file that cannot be read
  ///   (with the system's reason, such as a permission).
  public static func bytes(atPath path: String) throws(FileReadError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      throw FileReadError(
        path: path, reason: code == ENOENT || code == ENOTDIR ? .noSuchFile : .unreadable(describeSystemError(code)))
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw FileReadError(path: path, reason: .unreadable(describeSystemError(errno)))
    }
    guard info.st_mode & S_IFMT != S_IFDIR else { throw FileReadError(path: path, reason: .isFolder) }

    // One byte more than the size, so that a file read whole ends in a read of 0 bytes
    // without growing the buffer; files whose size is not known up front (pipes) grow it.
    var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
    var count = 0
    while true {
      if count == bytes.count { bytes += [UInt8](repeating: 0, count: max(bytes.count, 1 << 16)) }
      let result = bytes.withUnsafeMutableBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return read(descriptor, base + count, buffer.count - count)
      }
      if result < 0 {
        if errno == EINTR { continue }
        throw FileReadError(path: path, reason: .unreadable(describeSystemError(errno)))
      }
      if result == 0 { break }
      count += result
    }
    bytes.removeSubrange(count...)
    return bytes
  }
}

/// A file that ``FileContents`` could not read: which, and why.
///
///     digits.safetensors: no such file (check the path)
public struct FileReadError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Why a file could not be read.
  public enum Reason: Equatable, Sendable {
    /// Nothing exists at the path.
    case noSuchFile
    /// The path names a folder.
    case isFolder
    /// The file exists but the system refused to read it, with its reason
    /// (`permission denied`, …).
    case unreadable(String)
  }

  /// The file that was being read.
  public var path: String
  /// Why it could not be read.
  public var reason: Reason

  /// Creates an error.
  ///
  ///     FileReadError(path: "m.safetensors", reason: .isFolder)
  public init(path: String, reason: Reason) {
    self.path = path
    self.reason = reason
  }

  /// What is wrong, without the path, for a reader that expected `kind`:
  /// `no such file (check the path)`, `is a folder, not a model file`,
  /// `cannot be read (permission denied)`.
  ///
  ///     error.problem(expecting: "model file")
  public func problem(expecting kind: String = "file") -> String {
    switch reason {
    case .noSuchFile: "no such file (check the path)"
    case .isFolder: "is a folder, not a \(kind)"
    case .unreadable(let why): "cannot be read (\(why))"
    }
  }

  /// `path: problem`.
  public var description: String { "\(path): \(problem())" }
}
