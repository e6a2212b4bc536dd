import Foundation

/// Reads whole files into memory, turning Foundation's failures into ``DataError``s.
enum FileReading {
  /// The bytes of the file at `path`.
  ///
  /// - Throws: ``DataError/fileNotFound(path:)`` or ``DataError/unreadable(path:reason:)``.
  static func bytes(atPath path: String) throws(DataError) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw DataError.fileNotFound(path: path)
    }
    if isDirectory.boolValue { throw DataError.unreadable(path: path, reason: "it is a directory; give a file") }
    do {
      return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
    } catch {
      let reason = FileManager.default.isReadableFile(atPath: path) ? error.localizedDescription : "permission denied"
      throw DataError.unreadable(path: path, reason: reason)
    }
  }
}
