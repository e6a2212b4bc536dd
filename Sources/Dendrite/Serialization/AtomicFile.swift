#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Writes a whole file or nothing: readers see the old file or the new one, never a
/// partial write, even if the process dies half-way.
///
///     1. create a temporary file beside the target (same folder, so same file system)
///     2. write every byte, fsync it, close it
///     3. rename it over the target (atomic on POSIX), then fsync the folder
///
/// On failure the temporary file is removed and the target is left as it was.
///
///     try AtomicFile.write(file.encoded(), to: "digits.safetensors")
public enum AtomicFile {
  /// Replaces (or creates) the file at `path` with `bytes`, atomically.
  ///
  ///     try AtomicFile.write(Array("hello\n".utf8), to: "out/greeting.txt")
  ///
  /// - Throws: ``AtomicFileError`` naming what failed: a missing folder, a permission, a full disk.
  public static func write(_ bytes: [UInt8], to path: String) throws(AtomicFileError) {
    try write(bytes, to: path, beforeRename: {})
  }

  /// ``write(_:to:)`` with a hook run after the temporary file is complete and before the
  /// rename, so that tests can fail the write at its last moment.
  static func write(
    _ bytes: [UInt8], to path: String, beforeRename: () throws(AtomicFileError) -> Void
  ) throws(AtomicFileError) {
    let (directory, name) = split(path)
    guard !name.isEmpty else {
      throw AtomicFileError(path: path, reason: "cannot write: the path names a folder, not a file")
    }
    var info = stat()
    guard stat(directory, &info) == 0 else {
      let reason = errno == ENOENT ? "does not exist (create it first)" : "cannot be reached (\(explain(errno)))"
      throw AtomicFileError(path: path, reason: "cannot write: the folder \(directory) \(reason)")
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw AtomicFileError(path: path, reason: "cannot write: \(directory) is not a folder")
    }
    if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
      throw AtomicFileError(path: path, reason: "cannot write: it is a folder, not a file")
    }

    let temporary = "\(directory)/.\(name).\(getpid()).\(String(UInt32.random(in: .min ... .max), radix: 16)).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else {
      throw AtomicFileError(path: path, reason: "cannot create a file in \(directory): \(explain(errno))")
    }
    func fail(_ step: String, _ code: Int32, closing: Bool = true) -> AtomicFileError {
      if closing { close(descriptor) }
      unlink(temporary)
      return AtomicFileError(path: path, reason: "\(step) failed: \(explain(code))")
    }

    let failure = bytes.withUnsafeBytes { buffer -> Int32? in
      guard let base = buffer.baseAddress else { return nil }
      var offset = 0
      while offset < buffer.count {
        let count = writeSome(descriptor, base + offset, buffer.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += count
      }
      return nil
    }
    if let failure { throw fail("write", failure) }
    guard fsync(descriptor) == 0 else { throw fail("fsync", errno) }
    guard close(descriptor) == 0 else { throw fail("close", errno, closing: false) }
    do {
      try beforeRename()
    } catch {
      unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else { throw fail("rename", errno, closing: false) }

    // Make the rename itself durable; best effort, as some file systems refuse it.
    let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folder >= 0 {
      _ = fsync(folder)
      close(folder)
    }
  }

  /// The folder (`.` when none is given) and the file name of `path`.
  private static func split(_ path: String) -> (directory: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let directory = slash == path.startIndex ? "/" : String(path[..<slash])
    return (directory, String(path[path.index(after: slash)...]))
  }

  /// `errno` in words, with a hint where a permission is missing.
  private static func explain(_ code: Int32) -> String {
    let text = describeSystemError(code)
    return code == EACCES || code == EPERM ? text + " (is the folder writable?)" : text
  }
}

/// POSIX `write(2)`, named apart from ``AtomicFile/write(_:to:)`` that would shadow it.
private func writeSome(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

/// A file that ``AtomicFile`` could not write, with what failed.
///
///     out/model.safetensors: cannot write: the folder out does not exist (create it first)
public struct AtomicFileError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file that was being written.
  public var path: String
  /// What failed, and a hint.
  public var reason: String

  /// Creates an error.
  ///
  ///     AtomicFileError(path: "a.bin", reason: "write failed: no space left on the device")
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  /// `path: reason`.
  public var description: String { "\(path): \(reason)" }
}
