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
    let (descriptor, info) = try openForReading(path)
    defer { close(descriptor) }

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

  /// Opens `path` read-only and checks that it is not a folder.
  fileprivate static func openForReading(_ path: String) throws(FileReadError) -> (Int32, stat) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      throw FileReadError(
        path: path, reason: code == ENOENT || code == ENOTDIR ? .noSuchFile : .unreadable(describeSystemError(code)))
    }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      let code = errno
      close(descriptor)
      throw FileReadError(path: path, reason: .unreadable(describeSystemError(code)))
    }
    guard info.st_mode & S_IFMT != S_IFDIR else {
      close(descriptor)
      throw FileReadError(path: path, reason: .isFolder)
    }
    return (descriptor, info)
  }
}

extension FileContents {
  /// An open file read piece by piece at any offset, so that a large file (a CSV of
  /// millions of rows) need not be held in memory whole, and two threads may read two
  /// parts of it at once. It closes the file when released.
  ///
  ///     let file = try FileContents.Reader(path: "large.csv")
  ///     var chunk: [UInt8] = []
  ///     let count = try file.read(at: 0, count: 4 << 20, appendingTo: &chunk)
  public final class Reader: Sendable {
    /// The path it was opened with.
    public let path: String
    /// The file's size in bytes when it was opened (0 for a pipe).
    public let size: Int
    /// Whether it is a regular file, which can be read at any offset; a pipe or a device
    /// is not (read it with ``FileContents/bytes(atPath:)``).
    public let isRegularFile: Bool
    private let descriptor: Int32

    /// Opens the file at `path`.
    ///
    /// - Throws: ``FileReadError``, as ``FileContents/bytes(atPath:)`` does.
    public init(path: String) throws(FileReadError) {
      let (descriptor, info) = try FileContents.openForReading(path)
      self.path = path
      self.descriptor = descriptor
      self.size = max(Int(info.st_size), 0)
      self.isRegularFile = info.st_mode & S_IFMT == S_IFREG
    }

    deinit { close(descriptor) }

    /// Appends up to `count` bytes read from `offset` to `bytes` and returns how many it
    /// read: fewer than `count` only at the end of the file.
    ///
    ///     var bytes: [UInt8] = []
    ///     _ = try file.read(at: 1024, count: 16, appendingTo: &bytes)   // bytes 1024..<1040
    ///
    /// - Throws: ``FileReadError`` with the system's reason when a read fails.
    public func read(at offset: Int, count: Int, appendingTo bytes: inout [UInt8]) throws(FileReadError) -> Int {
      let start = bytes.count
      bytes.append(contentsOf: repeatElement(0, count: max(count, 0)))
      var done = 0
      while done < count {
        let result = bytes.withUnsafeMutableBytes { buffer -> Int in
          guard let base = buffer.baseAddress else { return 0 }
          return pread(descriptor, base + start + done, count - done, off_t(offset + done))
        }
        if result < 0 {
          if errno == EINTR { continue }
          let code = errno
          bytes.removeSubrange((start + done)...)
          throw FileReadError(path: path, reason: .unreadable(describeSystemError(code)))
        }
        if result == 0 { break }
        done += result
      }
      bytes.removeSubrange((start + done)...)
      return done
    }
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
