import DendriteData
import Foundation
import Testing

@Suite("CSV: broken files fail with a line:column message")
struct CSVErrorTests {
  /// The error `text` raises when loaded as `file`, or nil when it loads.
  private func error(
    loading text: String, file: String = "data.csv", labelColumn: LabelColumn = .last, task: LearningTask? = nil
  ) -> DataError? {
    do {
      _ = try CSVLoader.load(text: text, fileName: file, labelColumn: labelColumn, task: task)
      return nil
    } catch {
      return error
    }
  }

  @Test("a quoted decimal comma is not a number, with the separator hint (STYLE.md's example)")
  func decimalComma() {
    let failure = error(loading: "a,b,label\n1,2,0\n3,\"1,5\",1\n", file: "digits.csv")
    #expect(failure == .notANumber(file: "digits.csv", line: 3, column: 2, text: "1,5"))
    #expect(failure?.description == "digits.csv line 3, column 2: \"1,5\" is not a number (a decimal comma? numbers need a decimal point: 1.5, not 1,5)")
  }

  @Test("a ';'-separated file is read as such; its decimal commas are named (fixture)")
  func semicolonFile() throws {
    let path = try fixturePath("semicolon.csv")
    #expect(throws: DataError.notANumber(file: path, line: 2, column: 1, text: "1,5")) { try CSVLoader.load(path: path) }
    #expect(DataError.noFeatureColumns(file: "x.csv").description
      == "x.csv: the only column is the label; a data set needs at least one feature column (is the file using another separator? give --delimiter ';', tab or '|')")
  }

  @Test("text in a column of numbers is an error; missing-value markers are missing cells")
  func textCell() {
    #expect(error(loading: "a,label\n1,0\n2,1\nhello,1\n")?.description
      == "data.csv line 4, column 1: \"hello\" is text in a column of numbers (2 numbers, 1 text cell); fix the cell, or empty it to mark a missing value")
    #expect(error(loading: "a,b,label\n1,NA,0\n") == .missingValue(file: "data.csv", line: 2, column: 2))
    #expect(error(loading: "a,b,label\n1,?,0\n") == .missingValue(file: "data.csv", line: 2, column: 2))
    // Text in at least half the cells makes a categorical column.
    #expect(error(loading: "a,label\n1,0\nhello,1\n") == nil)
  }

  @Test("an empty cell is a missing value; so is an empty label")
  func missingValues() {
    #expect(error(loading: "a,b,label\n1,,0\n") == .missingValue(file: "data.csv", line: 2, column: 2))
    #expect(error(loading: "a,b,label\n1,2,0\n1,2,\n") == .missingValue(file: "data.csv", line: 3, column: 3))
    #expect(error(loading: "a,label\n  ,1\n")?.description
      == "data.csv line 2, column 1: the cell is missing (empty, NA, NaN, …); drop such rows with --missing drop or fill them "
      + "from the training rows with --missing mean (MissingValues in the library)")
  }

  @Test("a row with fewer or more cells than the first is ragged")
  func raggedRows() {
    let short = error(loading: "a,b,label\n1,2,0\n1,2\n")
    #expect(short == .raggedRow(file: "data.csv", line: 3, expected: 3, found: 2))
    #expect(short?.description == "data.csv line 3: 2 cells, but the first row has 3 (a missing or extra separator?)")
    #expect(error(loading: "1,2,0\n1,2,0,5\n") == .raggedRow(file: "data.csv", line: 2, expected: 3, found: 4))
  }

  @Test("infinity and numbers beyond Float's range are rejected; NaN is a missing cell")
  func nonFinite() {
    #expect(error(loading: "a,label\nnan,0\n") == .missingValue(file: "data.csv", line: 2, column: 1))
    #expect(error(loading: "a,label\n1,0\n-inf,1\n")?.description == "data.csv line 3, column 1: \"-inf\" is infinite; clean or drop that row")
    #expect(error(loading: "a,label\n1e39,0\n")?.description
      == "data.csv line 2, column 1: \"1e39\" is outside the 32-bit float range; clean or drop that row")
    #expect(error(loading: "a,label\n1,NaN\n") == .missingValue(file: "data.csv", line: 2, column: 2))
  }

  @Test("an empty file, a byte-order mark alone, and a header alone")
  func emptyFiles() {
    #expect(error(loading: "") == .emptyFile(file: "data.csv"))
    #expect(error(loading: "\u{FEFF}\r\n\n") == .emptyFile(file: "data.csv"))
    #expect(error(loading: "")?.description == "data.csv: the file is empty; expected comma-separated rows of numbers")
    #expect(error(loading: "a,b,label\n") == .noDataRows(file: "data.csv"))
  }

  @Test("an unclosed quote and text after a closing quote")
  func badQuotes() {
    let unclosed = error(loading: "a,label\n1,0\n2,\"1\n3,1\n")
    #expect(unclosed == .unterminatedQuote(file: "data.csv", line: 3, column: 2))
    #expect(unclosed?.description == "data.csv line 3, column 2: the quoted field is never closed; add the closing \"")
    #expect(error(loading: "a,label\n\"1\"2,0\n") == .malformedQuote(file: "data.csv", line: 2, column: 1))
  }

  @Test("a label column that is not there: unknown name, index out of range, name without header")
  func missingLabelColumn() {
    let byName = error(loading: "a,b\n1,0\n", labelColumn: .name("price"))
    #expect(byName == .missingLabelColumn(file: "data.csv", label: "\"price\"", columnCount: 2, available: ["a", "b"]))
    #expect(byName?.description == "data.csv: no label column \"price\" among the 2 columns; the header has \"a\", \"b\"")
    #expect(error(loading: "a,b\n1,0\n", labelColumn: .index(2))?.description
      == "data.csv: no label column at index 2 (from 0) among the 2 columns; the header has \"a\", \"b\"")
    #expect(error(loading: "a,b\n1,0\n", labelColumn: .index(-3))?.description
      == "data.csv: no label column at index -3 (-1 is the last) among the 2 columns; the header has \"a\", \"b\"")
    #expect(error(loading: "1,0\n", labelColumn: .name("y"))?.description
      == "data.csv: no label column \"y\" among the 2 columns (the file has no header row)")
  }

  @Test("regression asked for, but a label is text (a class name)")
  func labelText() {
    #expect(error(loading: "a,species\n1,setosa\n", task: .regression)?.description
      == "data.csv line 2, column 2: the label \"setosa\" is not a number, so it cannot be a regression target"
        + " (load the file as classification to make the label texts classes, or choose another label column)")
  }

  @Test("classification asked for, but a label has decimals; negative integers are classes")
  func labelNotAClass() throws {
    let failure = error(loading: "a,y\n1,0\n2,2.5\n", task: .classification)
    #expect(failure == .labelNotAClass(file: "data.csv", line: 3, column: 2, text: "2.5"))
    #expect(failure?.description
      == "data.csv line 3, column 2: the label \"2.5\" has decimals, so it is not a class; load it as regression for numeric targets")
    let negative = try CSVLoader.load(text: "y,a\n-1,0\n3,1\n", labelColumn: .first, task: .classification)
    #expect(negative.classNames == ["-1", "3"])
    #expect(negative.classIndices == [0, 1])
  }

  @Test("classification of more than 10 000 distinct labels is refused; regression loads them")
  func tooManyClasses() throws {
    let text = "a,price\n" + (0...10_000).map { "1,\($0 * 3)" }.joined(separator: "\n")
    #expect(error(loading: text, task: .classification) == .tooManyClasses(file: "data.csv", classCount: 10_001, limit: 10_000))
    #expect(try CSVLoader.load(text: text).targets?.shape == [10_001, 1])
    #expect(try CSVLoader.load(text: "a,price\n1,250000\n2,1\n", task: .regression).targets?.scalars == [250_000, 1])
  }

  @Test("a missing file and a directory are reported by path")
  func files() throws {
    #expect(throws: DataError.fileNotFound(path: "/no/such/dir/x.csv")) { try CSVLoader.load(path: "/no/such/dir/x.csv") }
    #expect(DataError.fileNotFound(path: "x.csv").description
      == "x.csv: no such file; check the path (relative paths start at the current directory)")
    let directory = try IDXFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(throws: DataError.unreadable(path: directory.path, reason: "it is a directory; give a file")) {
      try CSVLoader.loadFeatures(path: directory.path)
    }
  }
}
