import Dendrite

/// Reads whole data files with Dendrite's ``FileContents``, turning its failures into
/// ``DataError``s.
enum FileReading {
  /// The bytes of the file at `path`.
  ///
  /// - Throws: ``DataError/fileNotFound(path:)`` or ``DataError/unreadable(path:reason:)``.
  static func bytes(atPath path: String) throws(DataError) -> [UInt8] {
    do {
      return try FileContents.bytes(atPath: path)
    } catch {
      switch error.reason {
      case .noSuchFile: throw DataError.fileNotFound(path: path)
      case .isFolder: throw DataError.unreadable(path: path, reason: "it is a directory; give a file")
      case .unreadable(let reason): throw DataError.unreadable(path: path, reason: reason)
      }
    }
  }
}
