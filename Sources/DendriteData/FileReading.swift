import Dendrite

/// Reads data files with Dendrite's ``FileContents``, turning its failures into
/// ``DataError``s.
enum FileReading {
  /// The bytes of the file at `path`.
  ///
  /// - Throws: ``DataError/fileNotFound(path:)`` or ``DataError/unreadable(path:reason:)``.
  static func bytes(atPath path: String) throws(DataError) -> [UInt8] {
    do {
      return try FileContents.bytes(atPath: path)
    } catch {
      throw dataError(error)
    }
  }

  /// The file at `path`, opened to be read piece by piece.
  ///
  ///     let file = try FileReading.open(atPath: "large.csv")   // file.size, file.read(at:count:appendingTo:)
  ///
  /// - Throws: ``DataError/fileNotFound(path:)`` or ``DataError/unreadable(path:reason:)``.
  static func open(atPath path: String) throws(DataError) -> FileContents.Reader {
    do {
      return try FileContents.Reader(path: path)
    } catch {
      throw dataError(error)
    }
  }

  /// Appends up to `count` bytes of `file` from `offset` to `bytes`; returns how many.
  ///
  /// - Throws: ``DataError/unreadable(path:reason:)``.
  static func read(_ file: FileContents.Reader, at offset: Int, count: Int, appendingTo bytes: inout [UInt8])
    throws(DataError) -> Int
  {
    do {
      return try file.read(at: offset, count: count, appendingTo: &bytes)
    } catch {
      throw dataError(error)
    }
  }

  /// The ``DataError`` that says what `error` says.
  private static func dataError(_ error: FileReadError) -> DataError {
    switch error.reason {
    case .noSuchFile: DataError.fileNotFound(path: error.path)
    case .isFolder: DataError.unreadable(path: error.path, reason: "it is a directory; give a file")
    case .unreadable(let reason): DataError.unreadable(path: error.path, reason: reason)
    }
  }
}
