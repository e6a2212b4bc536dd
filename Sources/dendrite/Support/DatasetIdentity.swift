import Crypto
import Dendrite
import DendriteData
import Foundation

/// What identifies the data a `--dataset` argument names: a bundled data set by its
/// canonical name, a file (CSV, or an IDX images file) by its name and the SHA-256 of its
/// bytes. `dendrite train` records it in the model file (``DatasetRecord``) and
/// `dendrite evaluate` compares it with that record to recognise the model's own data.
///
///     try DatasetIdentity(argument: "Breast_Cancer")   // name "breast-cancer", sha256 nil
///     try DatasetIdentity(argument: "data/iris.csv")   // name "iris.csv", sha256 "9f86d0…"
///
/// A renamed copy of a file has the same identity (the name is kept for messages only);
/// a file with one byte changed does not.
struct DatasetIdentity: Equatable {
  /// The bundled data set's canonical name, or the file's last path component.
  let name: String
  /// The file's SHA-256 as 64 lowercase hex digits; nil for a bundled data set.
  let sha256: String?

  /// Bytes hashed per read: a large IDX file is streamed, never held whole.
  static let chunkSize = 4 << 20

  /// The identity of what `argument` names, matched as ``DatasetSource`` matches it: a
  /// bundled name ignoring case and `_`/`-` first, otherwise a file.
  init(argument: String) throws {
    let bundledName = String(argument.lowercased().map { $0 == "_" ? "-" : $0 })
    if Datasets.catalog.contains(where: { $0.name == bundledName }) {
      (name, sha256) = (bundledName, nil)
    } else {
      (name, sha256) = (URL(fileURLWithPath: argument).lastPathComponent, try Self.sha256(ofFileAt: argument))
    }
  }

  /// The SHA-256 of the file at `path`, read in chunks of ``chunkSize`` bytes.
  ///
  ///     try DatasetIdentity.sha256(ofFileAt: "empty.csv")   // "e3b0c442…b855"
  static func sha256(ofFileAt path: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CommandError("--dataset \(path): cannot open the file to record its SHA-256; check that it exists and is readable")
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    do {
      while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty { hasher.update(data: chunk) }
    } catch {
      throw CommandError("--dataset \(path): reading the file failed (\(error.localizedDescription)); check that it is readable")
    }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
  }

  /// The record `dendrite train` stores for this data and its split.
  ///
  ///     identity.record(rowCount: 150, labelColumn: nil, seed: 42, testFraction: 0.2, validationFraction: 0.1)
  func record(
    rowCount: Int, labelColumn: String?, seed: UInt64, testFraction: Double, validationFraction: Double, missing: MissingValues
  ) -> DatasetRecord {
    DatasetRecord(
      name: name, sha256: sha256, rowCount: rowCount, labelColumn: labelColumn, seed: seed, testFraction: testFraction,
      validationFraction: validationFraction, missing: missing)
  }

  /// Whether `record` names this data: the same bundled name, or the same bytes (the file's
  /// name may differ).
  func matches(_ record: DatasetRecord) -> Bool {
    if let sha256 { return record.sha256 == sha256 }
    return record.isBundled && record.name == name
  }
}
