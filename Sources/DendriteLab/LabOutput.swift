import Dendrite
import Foundation

/// A failure to write the lab's output, with a message that says what to do.
public enum LabError: Error, CustomStringConvertible, Equatable {
  /// The output directory could not be created (or is a file).
  case cannotCreateDirectory(path: String, reason: String)
  /// An output file could not be written.
  case cannotWrite(path: String, reason: String)

  /// The message `dendrite lab` prints, naming the path.
  public var description: String {
    switch self {
    case .cannotCreateDirectory(let path, let reason):
      "cannot create the output directory \(path): \(reason) (choose another with --output DIR)"
    case .cannotWrite(let path, let reason):
      "cannot write \(path): \(reason) (check the folder's permissions, or choose another with --output DIR)"
    }
  }
}

/// File output for the lab: directory creation and atomic writes.
enum LabOutput {
  static func path(_ directory: String, _ name: String) -> String {
    URL(fileURLWithPath: directory).appendingPathComponent(name).path
  }

  static func createDirectory(_ directory: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw LabError.cannotCreateDirectory(path: directory, reason: "a file of that name exists")
      }
      return
    }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw LabError.cannotCreateDirectory(path: directory, reason: whyNotCreatable(directory) ?? (error as NSError).localizedDescription)
    }
  }

  /// Foundation's "error 512" in words: the nearest existing ancestor of `directory` is a
  /// file, or a folder that cannot be written; nil when neither.
  private static func whyNotCreatable(_ directory: String) -> String? {
    var ancestor = URL(fileURLWithPath: directory).deletingLastPathComponent()
    while ancestor.path != "/" && !FileManager.default.fileExists(atPath: ancestor.path) {
      ancestor.deleteLastPathComponent()
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) else { return nil }
    if !isDirectory.boolValue { return "\(ancestor.path) is a file, not a folder" }
    if !FileManager.default.isWritableFile(atPath: ancestor.path) { return "the folder \(ancestor.path) is not writable" }
    return nil
  }

  /// Writes `text` with ``AtomicFile``: a temporary file beside `path`, fsync, rename.
  static func writeAtomically(_ text: String, to path: String) throws(LabError) {
    do {
      try AtomicFile.write(Array(text.utf8), to: path)
    } catch {
      throw LabError.cannotWrite(path: path, reason: error.reason)
    }
  }
}
