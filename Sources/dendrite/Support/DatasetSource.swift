import Dendrite
import DendriteData
import Foundation

/// `--dataset NAME|FILE`: a bundled data set by name, a CSV file, or an IDX images file
/// whose labels lie beside it. Bundled names are matched ignoring case and `_`/`-`
/// (`Digits`, `BREAST_CANCER`).
enum DatasetSource {
  static func load(_ argument: String, regression: Bool) throws -> Dataset {
    try loadLabeled(argument, labelColumn: nil, task: regression ? .regression : nil).dataset
  }

  /// The data set, and for a CSV file which column its labels came from and how they were
  /// read. `labelColumn` (`--label`) is for CSV files only: nil means the last column.
  static func loadLabeled(
    _ argument: String, labelColumn: LabelColumn?, task: LearningTask?, delimiter: CSVDelimiter? = nil
  ) throws -> (dataset: Dataset, csv: LabeledCSV?) {
    let lowercased = argument.lowercased()
    let bundledName = String(lowercased.map { $0 == "_" ? "-" : $0 })
    let isBundled = Datasets.catalog.contains(where: { $0.name == bundledName })
    let isIDX = lowercased.contains("idx3") || lowercased.hasSuffix("-ubyte") || lowercased.hasSuffix("-ubyte.gz")
    if !isBundled && (lowercased.hasSuffix(".csv") || (!isIDX && FileManager.default.fileExists(atPath: argument))) {
      let csv = try CSVLoader.loadLabeled(
        path: argument, labelColumn: labelColumn ?? .last, task: task, delimiter: delimiter)
      return (csv.dataset, csv)
    }
    if delimiter != nil && (isBundled || isIDX) {
      throw CommandError("--delimiter: \(argument) is not a CSV file; --delimiter sets a CSV file's field separator")
    }
    if labelColumn != nil && (isBundled || isIDX) {
      throw CommandError("--label: \(argument) is not a CSV file; --label chooses the label column of a CSV file")
    }
    if isBundled { return (try Datasets.named(bundledName), nil) }
    if isIDX { return (try IDXLoader.load(imagesPath: argument), nil) }
    let names = Datasets.catalog.map(\.name).joined(separator: ", ")
    throw CommandError("--dataset \(argument): no bundled data set of that name and no such file; bundled: \(names), or give a .csv or IDX file")
  }
}

extension LabelColumn {
  /// `--label COLUMN`: a whole number is an index from 0 (negative counts from the end),
  /// anything else a header name.
  ///
  ///     LabelColumn(argument: "-1")        // .index(-1), the last column
  ///     LabelColumn(argument: "species")   // .name("species")
  init(argument: String) {
    self = Int(argument).map(LabelColumn.index) ?? .name(argument)
  }
}

extension LabeledCSV {
  /// The line `dendrite train` prints before training: which column is the label, which
  /// task was chosen and why, and how to override it.
  ///
  ///     label column "species" (index 4): classification, because the labels are text;
  ///     3 classes: setosa, versicolor, virginica (override with --task classification|regression)
  var summary: String {
    let column = labelColumnName.map { "\"\($0)\" (index \(labelColumnIndex))" } ?? "at index \(labelColumnIndex) (no header)"
    let because = encoding.isInferred ? "because \(encoding.reason)" : "as --task asked"
    var classes = ""
    if let names = dataset.classNames {
      let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : "")
      classes = "; \(names.count) classes: \(shown)"
    }
    let separator = delimiter == .tab ? "tab" : "\"\(delimiter.rawValue)\""
    return "label column \(column): \(encoding.task.rawValue), \(because)\(classes) "
      + "(override with --task \(CommandLineNames.tasks.joined(separator: "|"))); fields separated by \(separator)"
  }
}

/// A command-line error with its full message.
struct CommandError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
