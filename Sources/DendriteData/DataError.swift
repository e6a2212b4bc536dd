import Dendrite

/// A problem reading a data file or a bundled data set, with a one-line message that says
/// where, what, and what to do.
///
///     do {
///       let data = try CSVLoader.load(path: "digits.csv")
///     } catch {
///       print("error: \(error)")
///       // error: digits.csv line 214, column 9: "1,5" is not a number (a decimal comma? numbers need a decimal point: 1.5, not 1,5)
///     }
///
/// Lines and columns count from 1; a CSV column is the cell's position in its row. Byte
/// offsets count from 0, in the decompressed bytes for a `.gz` IDX file.
public enum DataError: Error, Equatable, CustomStringConvertible {
  // Files.
  /// No file at `path`.
  case fileNotFound(path: String)
  /// The file exists but could not be read (a directory, no permission, …).
  case unreadable(path: String, reason: String)

  // CSV.
  /// The file holds no rows at all.
  case emptyFile(file: String)
  /// The file holds a header row and nothing else.
  case noDataRows(file: String)
  /// A feature cell that is not a number.
  case notANumber(file: String, line: Int, column: Int, text: String)
  /// Regression was asked for, but a label cell is not a number (a class name).
  case labelNotANumber(file: String, line: Int, column: Int, text: String)
  /// A number that is NaN, infinite, or outside the 32-bit float range.
  case notFinite(file: String, line: Int, column: Int, text: String)
  /// An empty cell.
  case missingValue(file: String, line: Int, column: Int)
  /// A row with more or fewer cells than the first row.
  case raggedRow(file: String, line: Int, expected: Int, found: Int)
  /// A quoted field that is never closed.
  case unterminatedQuote(file: String, line: Int, column: Int)
  /// A closing quote followed by something other than a separator or the line end.
  case malformedQuote(file: String, line: Int, column: Int)
  /// The requested label column is not in the file; `available` lists the header, if any.
  case missingLabelColumn(file: String, label: String, columnCount: Int, available: [String]?)
  /// Every column is the label: nothing is left as a feature.
  case noFeatureColumns(file: String)
  /// Classification was asked for, but a label is a number with decimals.
  case labelNotAClass(file: String, line: Int, column: Int, text: String)
  /// The labels would make more classes than the loader accepts.
  case tooManyClasses(file: String, classCount: Int, limit: Int)
  /// A cell of text in a column that is mostly numbers (a typo, or a missing-value marker
  /// the loader does not know).
  case textInNumericColumn(file: String, line: Int, column: Int, text: String, numbers: Int, texts: Int)
  /// A text column with more distinct values than one-hot encoding takes (an identifier,
  /// free text, dates).
  case tooManyCategories(file: String, column: String, count: Int, limit: Int)
  /// The feature columns could not be encoded (a missing cell without a fill value, a
  /// column of the wrong kind).
  case unencodable(file: String, problem: String)
  /// Every row has a missing cell, so dropping them leaves nothing.
  case noCompleteRows(file: String, rows: Int)

  // IDX and gzip.
  /// The first four bytes are not the IDX magic number expected.
  case badMagic(file: String, found: UInt32, expected: UInt32)
  /// A dimension in the IDX header is zero, or the sizes overflow.
  case badDimension(file: String, offset: Int, dimension: String, value: Int)
  /// The file ends before its header says it should.
  case truncated(file: String, expected: Int, actual: Int)
  /// The file is longer than its header says.
  case trailingBytes(file: String, expected: Int, actual: Int)
  /// The images and labels files disagree on the number of samples.
  case countMismatch(imagesFile: String, images: Int, labelsFile: String, labels: Int)
  /// No labels file beside an IDX images file.
  case labelsFileNotFound(imagesFile: String, tried: [String])
  /// The gzip stream is damaged or cut short; `offset` is in the compressed bytes.
  case corruptGzip(file: String, offset: Int, reason: String)
  /// Inflating the gzip stream would pass `limit` bytes (a decompression bomb, or a file
  /// too large to hold in memory).
  case decompressedTooLarge(file: String, limit: Int)

  // Bundled data sets.
  /// `Datasets.named(_:)` was given a name it does not know.
  case unknownDataset(name: String, available: [String])
  /// The package's resource bundle is not beside the executable (a copied binary).
  case resourceBundleNotFound(searched: [String])
  /// The resource bundle was found but a data file is missing from it.
  case resourceMissing(bundle: String, file: String)
  /// The loaded values did not make a valid `Dataset` (Dendrite).
  case invalidDataset(DatasetError)

  /// The one-line message, without the `error: ` prefix.
  public var description: String {
    switch self {
    case .fileNotFound(let path):
      "\(path): no such file; check the path (relative paths start at the current directory)"
    case .unreadable(let path, let reason):
      "\(path): cannot read the file (\(reason))"
    case .emptyFile(let file):
      "\(file): the file is empty; expected comma-separated rows of numbers"
    case .noDataRows(let file):
      "\(file): the file has a header row but no data rows"
    case .notANumber(let file, let line, let column, let text):
      "\(file) line \(line), column \(column): \(quoted(text)) is not a number\(notANumberHint(text))"
    case .labelNotANumber(let file, let line, let column, let text):
      "\(file) line \(line), column \(column): the label \(quoted(text)) is not a number, so it cannot be a regression target"
        + " (load the file as classification to make the label texts classes, or choose another label column)"
    case .notFinite(let file, let line, let column, let text):
      "\(file) line \(line), column \(column): \(quoted(text)) is \(nonFiniteKind(text)); clean or drop that row"
    case .missingValue(let file, let line, let column):
      "\(file) line \(line), column \(column): the cell is missing (empty, NA, NaN, …); drop such rows with "
        + "--missing drop or fill them from the training rows with --missing mean (MissingValues in the library)"
    case .raggedRow(let file, let line, let expected, let found):
      "\(file) line \(line): \(found) cells, but the first row has \(expected) (a missing or extra separator?)"
    case .unterminatedQuote(let file, let line, let column):
      "\(file) line \(line), column \(column): the quoted field is never closed; add the closing \""
    case .malformedQuote(let file, let line, let column):
      "\(file) line \(line), column \(column): text after a closing quote; write a quote inside a quoted field as \"\""
    case .missingLabelColumn(let file, let label, let columnCount, let available):
      "\(file): no label column \(label) among the \(columnCount) columns"
        + (available.map { "; the header has " + $0.map(quoted).joined(separator: ", ") } ?? " (the file has no header row)")
    case .noFeatureColumns(let file):
      "\(file): the only column is the label; a data set needs at least one feature column"
        + " (is the file using another separator? give --delimiter ';', tab or '|')"
    case .labelNotAClass(let file, let line, let column, let text):
      "\(file) line \(line), column \(column): the label \(quoted(text)) has decimals, so it is not a class; "
        + "load it as regression for numeric targets"
    case .tooManyClasses(let file, let classCount, let limit):
      "\(file): the labels would make \(classCount) classes (limit \(limit)); "
        + "load it as regression if the labels are numeric targets"
    case .textInNumericColumn(let file, let line, let column, let text, let numbers, let texts):
      "\(file) line \(line), column \(column): \(quoted(text)) is text in a column of numbers "
        + "(\(numbers) numbers, \(texts) text cell\(texts == 1 ? "" : "s")); fix the cell, or empty it to mark a missing value"
    case .tooManyCategories(let file, let column, let count, let limit):
      "\(file): column \(quoted(column)) holds \(count) distinct texts, more than the \(limit) categories one-hot encoding takes "
        + "(an identifier, free text or dates?); remove the column or write it as numbers"
    case .unencodable(let file, let problem):
      "\(file): \(problem)"
    case .noCompleteRows(let file, let rows):
      "\(file): each of the \(rows) rows has a missing cell, so --missing drop leaves none; use --missing mean to fill them"
    case .badMagic(let file, let found, let expected):
      "\(file): magic number \(hex(found)) at byte 0, expected \(hex(expected))\(magicHint(found: found, expected: expected))"
    case .badDimension(let file, let offset, let dimension, let value):
      "\(file): the IDX header's \(dimension) at byte \(offset) is \(value); it must be between 1 and the file's size"
    case .truncated(let file, let expected, let actual):
      "\(file): the file ends at byte \(actual) but its header needs \(expected) bytes (incomplete download?)"
    case .trailingBytes(let file, let expected, let actual):
      "\(file): \(actual) bytes, but its header accounts for \(expected); the counts in the header are wrong or the file was appended to"
    case .countMismatch(let imagesFile, let images, let labelsFile, let labels):
      "\(imagesFile) holds \(images) images but \(labelsFile) holds \(labels) labels; use the labels file of the same set"
    case .labelsFileNotFound(let imagesFile, let tried):
      "\(imagesFile): no labels file beside it (tried \(tried.joined(separator: ", "))); "
        + "name it by the MNIST convention, images-idx3 → labels-idx1"
    case .corruptGzip(let file, let offset, let reason):
      "\(file): the gzip stream is corrupt at byte \(offset) (\(reason)); download the file again"
    case .decompressedTooLarge(let file, let limit):
      "\(file): the gzip stream inflates to more than \(limit) bytes; refusing to decompress it"
    case .unknownDataset(let name, let available):
      "unknown data set \(quoted(name)); the bundled ones are \(available.joined(separator: ", ")) (or give a .csv or IDX file)"
    case .resourceBundleNotFound(let searched):
      "the bundled data sets are missing: no \(ResourceBundle.bundleName) beside the executable (searched "
        + searched.joined(separator: ", ")
        + "); copy that folder from the build directory next to the binary, or load files with CSVLoader or IDXLoader"
    case .resourceMissing(let bundle, let file):
      "\(bundle): the bundled file \(file) is missing; rebuild the package"
    case .invalidDataset(let error):
      error.description
    }
  }
}

private func quoted(_ text: String) -> String {
  var shown = ""
  for (index, scalar) in text.unicodeScalars.enumerated() {
    if index == 40 { shown += "…"; break }
    switch scalar {
    case "\n": shown += "\\n"
    case "\r": shown += "\\r"
    default: shown.unicodeScalars.append(scalar)
    }
  }
  return "\"" + shown + "\""
}

private func notANumberHint(_ text: String) -> String {
  let trimmed = text.trimmingSpaces
  if ["na", "n/a", "?", "null", "none", "-", "missing"].contains(trimmed.lowercased()) {
    return " (a missing value? fill or drop rows with missing values)"
  }
  if trimmed.contains(";") { return " (is the file using ';' as separator? give --delimiter ';')" }
  if trimmed.contains(",") { return " (a decimal comma? numbers need a decimal point: 1.5, not 1,5)" }
  if trimmed.contains("\t") { return " (is the file tab-separated? give --delimiter tab)" }
  return ""
}

private func nonFiniteKind(_ text: String) -> String {
  guard let value = Double(text.trimmingSpaces) else { return "not a finite number" }
  if value.isNaN { return "NaN" }
  if value.isInfinite { return "infinite" }
  return "outside the 32-bit float range"
}

private func magicHint(found: UInt32, expected: UInt32) -> String {
  switch (found, expected) {
  case (IDXFormat.labelsMagic, IDXFormat.imagesMagic): " (IDX images); this is a labels file, give the images file"
  case (IDXFormat.imagesMagic, IDXFormat.labelsMagic): " (IDX labels); this is an images file"
  case _ where found >> 16 != 0: " (IDX \(expected == IDXFormat.imagesMagic ? "images" : "labels")); this is not an IDX file"
  case _ where (found >> 8) & 0xFF != 0x08: "; only unsigned-byte IDX data (type 0x08) is supported"
  default: " (IDX \(expected == IDXFormat.imagesMagic ? "images, 3 dimensions" : "labels, 1 dimension"))"
  }
}

private func hex(_ value: UInt32) -> String {
  let digits = String(value, radix: 16)
  return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

extension String {
  /// The string without leading and trailing spaces and tabs.
  var trimmingSpaces: String {
    let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
    guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return self }
    var view = Substring(self)
    while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
    while let last = view.last, last == " " || last == "\t" { view.removeLast() }
    return String(view)
  }
}
