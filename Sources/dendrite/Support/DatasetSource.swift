import Dendrite
import DendriteData
import Foundation

/// `--dataset NAME|FILE`: a bundled data set by name, a CSV file, or an IDX images file
/// whose labels lie beside it. Bundled names are matched ignoring case and `_`/`-`
/// (`Digits`, `BREAST_CANCER`).
enum DatasetSource {
  static func load(_ argument: String, regression: Bool) throws -> Dataset {
    let lowercased = argument.lowercased()
    let bundledName = String(lowercased.map { $0 == "_" ? "-" : $0 })
    if Datasets.catalog.contains(where: { $0.name == bundledName }) {
      return try Datasets.named(bundledName)
    }
    if lowercased.hasSuffix(".csv") {
      return try CSVLoader.load(path: argument, task: regression ? .regression : nil)
    }
    if lowercased.contains("idx3") || lowercased.hasSuffix("-ubyte") || lowercased.hasSuffix("-ubyte.gz") {
      return try IDXLoader.load(imagesPath: argument)
    }
    if FileManager.default.fileExists(atPath: argument) {
      return try CSVLoader.load(path: argument, task: regression ? .regression : nil)
    }
    let names = Datasets.catalog.map(\.name).joined(separator: ", ")
    throw CommandError("--dataset \(argument): no bundled data set of that name and no such file; bundled: \(names), or give a .csv or IDX file")
  }
}

/// A command-line error with its full message.
struct CommandError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
