import Dendrite
@testable import DendriteData
import Foundation
import Testing

@Suite("The CSV reader: numbers from bytes, chunks, two threads")
struct CSVReaderTests {
  /// What the reader makes of `text`: the fast path, else `Double(String)`.
  private func parsed(_ text: String) -> Double? {
    let bytes = Array(text.utf8)
    return CSVNumber.decimal(bytes, from: 0, to: bytes.count) ?? Double(text)
  }

  /// Everything a table holds, NaN-safe (floats by bit pattern), to compare two reads.
  private func signature(_ table: CSVTable) -> String {
    var parts = ["header \(table.header ?? [])", "delimiter \(table.delimiter)", "width \(table.width)", "lines \(table.rowLines)"]
    for (column, summary) in zip(table.columns, table.summaries) {
      switch column {
      case .numbers(let values): parts.append("numbers \(values.map(\.bitPattern))")
      case .categories(let codes, let names): parts.append("categories \(codes) \(names)")
      }
      parts.append("summary \(summary.numberCount) \(summary.textCount) \(String(describing: summary.firstText))")
    }
    return parts.joined(separator: "\n")
  }

  /// The outcome of reading, as text: the table's signature or the error.
  private func outcome(_ read: () throws(DataError) -> CSVTable) -> String {
    do {
      return signature(try read())
    } catch {
      return "error: \(error)"
    }
  }

  /// Writes `bytes` to a fresh temporary file and passes its path to `body`.
  private func withFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dendrite-csv-\(UUID().uuidString).csv").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
  }

  @Test("the byte-level number parser gives Float(Double(text)) exactly")
  func numbers() {
    let edges = [
      "0", "-0", "+0", "0.0", "1e-45", "1e-46", "3.4028235e38", "3.4028236e38", "1.5E+3", ".5", "5.", "+2", "007",
      "-007.50", "1234567890123456789", "12345678901234567890", "1234567890123456789012345",
      "0.1234567890123456789012345", "9007199254740993", "9007199254740992", "4.35e-7", "1e22", "1e23", "1e-22",
      "1e-23", "123456789e-30", "0e400", "-0e-400", "1.e5", "2.2250738585072014e-308", "0.000000000000000000000001",
      "16777217", "0.1", "0.2", "0.3", "1.00000005960464477539062", "3.14159265358979",
    ]
    for text in edges {
      let expected = Double(text)
      #expect(parsed(text).map { Float($0).bitPattern } == expected.map { Float($0).bitPattern }, "\(text)")
      #expect(parsed(text)?.bitPattern == expected?.bitPattern, "\(text)")
    }
    for text in ["", ".", "-", "+", "e5", "1e", "1e+", "1.2.3", "1-2", "--1", "1 2", "0x10", "inf", "nan", "1,5", "١"] {
      #expect(CSVNumber.decimal(Array(text.utf8), from: 0, to: text.utf8.count) == nil || Double(text) != nil, "\(text)")
      #expect(parsed(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
    }
    var generator = SplitMix(state: 2024)
    for _ in 0..<20000 {
      var text = ["", "-", "+"].randomElement(using: &generator) ?? ""
      let digits = Int.random(in: 0...24, using: &generator)
      let point = Int.random(in: -1...digits, using: &generator)
      for index in 0..<digits {
        if index == point { text += "." }
        text += String(Int.random(in: 0...9, using: &generator))
      }
      if point == digits { text += "." }
      if Bool.random(using: &generator) {
        text += ["e", "E"].randomElement(using: &generator) ?? "e"
        text += ["", "-", "+"].randomElement(using: &generator) ?? ""
        text += String(Int.random(in: 0...60, using: &generator))
      }
      let expected = Double(text)
      #expect(parsed(text)?.bitPattern == expected?.bitPattern, "\(text)")
    }
    for _ in 0..<20000 {
      let value = Double(Float.random(in: -1e6...1e6, using: &generator)) * pow(10, Double(Int.random(in: -30...30, using: &generator)))
      let text = String(value)
      #expect(parsed(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
    }
  }

  @Test("cells are read as Float(Double(text)), spaces trimmed; a number too large for a Float is an error")
  func cells() throws {
    let table = try CSVTable.read(bytes: Array("a,b\n  7 ,1.5E+3\n-0,.5\n".utf8), file: "x.csv")
    #expect(table.columns[0] == .numbers([7, -0.0]))
    #expect(table.columns[1] == .numbers([1500, 0.5]))
    if case .numbers(let values) = table.columns[0] { #expect(values[1].sign == .minus) }
    #expect(throws: DataError.notFinite(file: "x.csv", line: 3, column: 2, text: " 1e400")) {
      try CSVTable.read(bytes: Array("a,b\n1,2\n3, 1e400\n".utf8), file: "x.csv")
    }
    #expect(throws: DataError.notFinite(file: "x.csv", line: 2, column: 1, text: "3.5e38")) {
      try CSVTable.read(bytes: Array("a\n3.5e38\n".utf8), file: "x.csv")
    }
  }

  /// A file with every awkward thing: a BOM, CRLF and lone CR line ends, empty lines,
  /// quoted fields with separators, line breaks and `""`, missing markers, a column that
  /// turns to text, and a number in a text column.
  private let awkward = Array(
    ("\u{FEFF}name,\"x\r\ny\",z\r\n" + "a,1.5,NA\r\n" + "\r\n" + "\"b,\"\"c\"\"\",2,3\n" + "\"multi\nline\",  4 ,x\r"
      + "d,,2\n\n" + "e,1e2,\"q\"\r\n" + "7,3,2.0").utf8)

  @Test("a file read in chunks of any size reads as the whole file does")
  func chunks() throws {
    let whole = outcome { () throws(DataError) in try CSVTable.read(bytes: awkward, file: "f.csv") }
    let table = try CSVTable.read(bytes: awkward, file: "f.csv")
    #expect(table.header == ["name", "x\r\ny", "z"])
    #expect(table.rowLines == [3, 5, 6, 8, 10, 11])
    #expect(table.columns[0] == .categories(codes: [0, 1, 2, 3, 4, 5], names: ["a", "b,\"c\"", "multi\nline", "d", "e", "7"]))
    if case .numbers(let values) = table.columns[1] {
      #expect(values.map(\.bitPattern) == [1.5, 2, 4, Float.nan, 100, 3].map(\.bitPattern))
    } else {
      Issue.record("column 2 should be numeric")
    }
    #expect(table.columns[2] == .categories(codes: [-1, 0, 1, 2, 3, 2], names: ["3", "x", "2", "q"]))
    #expect(table.summaries[2].firstText?.row == 2 && table.summaries[2].firstText?.text == "x")
    try withFile(awkward) { path in
      for chunkSize in [1, 2, 3, 4, 5, 7, 11, 64, 1 << 20] {
        for threads in [1, 2] {
          let options = CSVTable.ReadOptions(chunkSize: chunkSize, threads: threads, parallelMinimumBytes: 0)
          let read = outcome { () throws(DataError) in try CSVTable.read(path: path, options: options) }
          #expect(read == whole, "chunk size \(chunkSize), \(threads) threads")
        }
      }
    }
  }

  @Test("errors in chunked reads name the same line and column")
  func chunkedErrors() throws {
    let files = [
      "a,b\n1,2\n\"x\ny\",3,4\n",  // ragged, on line 3 after a quoted line break
      "a,b\n1,\"2\nz\"x\n",  // text after a closing quote, on line 3
      "a,b\n1,2\n3,\"4\n",  // never closed, from line 3
      "a,b\r\n1,2\r\n\r\n\"p\r\nq\",1e39\r\n",  // not finite, line 5
    ]
    for text in files {
      let bytes = Array(text.utf8)
      let whole = outcome { () throws(DataError) in try CSVTable.read(bytes: bytes, file: "e.csv") }
      #expect(whole.hasPrefix("error: "), "\(text)")
      try withFile(bytes) { path in
        for chunkSize in [1, 2, 3, 5, 8, 1000] {
          let read = outcome { () throws(DataError) in
            try CSVTable.read(path: path, options: CSVTable.ReadOptions(chunkSize: chunkSize, threads: 1))
          }
          #expect(read.replacingOccurrences(of: path, with: "e.csv") == whole, "\(text) in chunks of \(chunkSize)")
        }
      }
    }
  }

  /// A random CSV of `rows` rows: numbers, missing markers, a column that is numeric in
  /// the first half and text in the second, one the other way round, and (when asked)
  /// quoted fields in `quotedRows`.
  private func randomCSV(rows: Int, seed: UInt64, quotedRows: Range<Int> = 0..<0, lineEnd: String = "\n") -> [UInt8] {
    var generator = SplitMix(state: seed)
    var text = "x,late text,early text,label" + lineEnd
    for row in 0..<rows {
      let number = String(Double(Int.random(in: -99999...99999, using: &generator)) / 100)
      let missing = Int.random(in: 0..<20, using: &generator) == 0 ? "NA" : number
      let late = row > rows * 3 / 4 && row % 7 == 0 ? "t\(row % 3)" : String(row % 5)
      let early = row < rows / 4 && row % 11 == 0 ? "u\(row % 4)" : String(Double(row % 6) / 2)
      var label = String(row % 3)
      if quotedRows.contains(row) { label = row % 2 == 0 ? "\"\(label)\"" : "\"a\(lineEnd)b\"" }
      text += [missing, late, early, label].joined(separator: ",") + lineEnd
      if row % 97 == 0 { text += lineEnd }
    }
    return Array(text.utf8)
  }

  @Test("two threads read a file as one thread does, quotes or not")
  func twoThreads() throws {
    let cases: [(String, [UInt8])] = [
      ("plain", randomCSV(rows: 4000, seed: 1)),
      ("CRLF", randomCSV(rows: 4000, seed: 2, lineEnd: "\r\n")),
      ("lone CR", randomCSV(rows: 3000, seed: 3, lineEnd: "\r")),
      ("quotes in the first half", randomCSV(rows: 4000, seed: 4, quotedRows: 100..<200)),
      ("quotes across the middle", randomCSV(rows: 4000, seed: 5, quotedRows: 1900..<2100)),
      ("quotes in the second half", randomCSV(rows: 4000, seed: 6, quotedRows: 3000..<3100)),
    ]
    for (name, bytes) in cases {
      let one = outcome { () throws(DataError) in
        try CSVTable.read(bytes: bytes, file: "t.csv", options: CSVTable.ReadOptions(threads: 1))
      }
      #expect(one.hasPrefix("header"), "\(name)")
      let two = outcome { () throws(DataError) in
        try CSVTable.read(bytes: bytes, file: "t.csv", options: CSVTable.ReadOptions(threads: 2, parallelMinimumBytes: 0))
      }
      #expect(two == one, "\(name), bytes")
      try withFile(bytes) { path in
        let options = CSVTable.ReadOptions(chunkSize: 1000, threads: 2, parallelMinimumBytes: 0)
        let fromFile = outcome { () throws(DataError) in try CSVTable.read(path: path, options: options) }
        #expect(fromFile.replacingOccurrences(of: path, with: "t.csv") == one, "\(name), file")
      }
    }
  }

  @Test("lines of plain numbers (read straight into the columns) and the cells that need the parser agree")
  func numericLines() throws {
    var generator = SplitMix(state: 77)
    let cells = ["1", "-2.5", "3e-7", "0.1", "1234567890123456789012", " 7 ", "NA", "", "8.", ".25", "+4", "1E+2", "\"9\""]
    for lineEnd in ["\n", "\r\n", "\r"] {
      var text = "a,b,c" + lineEnd
      var expected: [[Float]] = [[], [], []]
      for row in 0..<3000 {
        let plain = row % 10 != 0
        let chosen = (0..<3).map { _ in
          plain ? cells[Int.random(in: 0..<6, using: &generator)] : cells[Int.random(in: 0..<cells.count, using: &generator)]
        }
        for (column, cell) in chosen.enumerated() {
          let trimmed = cell.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "")
          expected[column].append(trimmed.isEmpty || trimmed == "NA" ? .nan : Float(Double(trimmed) ?? .nan))
        }
        text += chosen.joined(separator: ",") + lineEnd
      }
      let bytes = Array(text.utf8)
      let one = try CSVTable.read(bytes: bytes, file: "n.csv", options: CSVTable.ReadOptions(threads: 1))
      for column in 0..<3 {
        guard case .numbers(let values) = one.columns[column] else {
          Issue.record("column \(column) should be numeric")
          continue
        }
        #expect(values.map(\.bitPattern) == expected[column].map(\.bitPattern), "column \(column)")
        #expect(one.summaries[column].numberCount == expected[column].count { !$0.isNaN })
      }
      #expect(one.rowLines == (0..<3000).map { Int32($0 + 2) })
      let reference = signature(one)
      try withFile(bytes) { path in
        for (chunkSize, threads) in [(1000, 1), (1000, 2), (7, 2), (1 << 20, 2)] {
          let options = CSVTable.ReadOptions(chunkSize: chunkSize, threads: threads, parallelMinimumBytes: 0)
          #expect(outcome { () throws(DataError) in try CSVTable.read(path: path, options: options) } == reference)
        }
      }
    }
  }

  @Test("an error in the second half names its line in the whole file")
  func secondHalfErrors() throws {
    let good = randomCSV(rows: 2000, seed: 9)
    let lines = good.count { $0 == UInt8(ascii: "\n") }
    let tails: [(String, DataError)] = [
      ("1,2\n", .raggedRow(file: "t.csv", line: lines + 1, expected: 4, found: 2)),
      ("1,2,3,1e99\n", .notFinite(file: "t.csv", line: lines + 1, column: 4, text: "1e99")),
      ("1,2,\"3\nx\"y,4\n", .malformedQuote(file: "t.csv", line: lines + 2, column: 3)),
      ("1,2,3,\"4\n", .unterminatedQuote(file: "t.csv", line: lines + 1, column: 4)),
    ]
    for (tail, expected) in tails {
      let bytes = good + Array(tail.utf8)
      for threads in [1, 2] {
        #expect(throws: expected, "\(tail), \(threads) threads") {
          try CSVTable.read(
            bytes: bytes, file: "t.csv", options: CSVTable.ReadOptions(threads: threads, parallelMinimumBytes: 0))
        }
      }
    }
  }
}
