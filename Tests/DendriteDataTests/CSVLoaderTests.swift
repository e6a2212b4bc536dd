import Dendrite
import DendriteData
import Foundation
import Testing

@Suite("CSV: well-formed files")
struct CSVLoaderTests {
  @Test("a text header is detected; the last column is the class label")
  func headerAndLastLabel() throws {
    let data = try CSVLoader.load(text: "a,b,label\n1,2,0\n3,4.5,1\n")
    #expect(data.features.shape == [2, 2])
    #expect(data.features.scalars == [1, 2, 3, 4.5])
    #expect(data.classIndices == [0, 1])
    #expect(data.classCount == 2)
    #expect(data.featureNames == ["a", "b"])
    #expect(data.name == "input")
  }

  @Test("a numeric first row is data, not a header; classes are the labels present, none empty")
  func numericFirstRowIsData() throws {
    let data = try CSVLoader.load(text: "1,2,0\n3,4,2")
    #expect(data.count == 2)
    #expect(data.featureNames == nil)
    #expect(data.classIndices == [0, 1])
    #expect(data.classCount == 2)
    #expect(data.classNames == ["0", "2"])
  }

  @Test("a first row with an empty cell but no text is data (the cell is missing)")
  func emptyCellDoesNotMakeAHeader() {
    #expect(throws: DataError.missingValue(file: "input.csv", line: 1, column: 2)) {
      try CSVLoader.load(text: "1,,0\n3,4,1\n")
    }
  }

  @Test("byte-order mark, CRLF, quoted cells with commas and \"\" (fixture file)")
  func bomCRLFQuotedFixture() throws {
    let data = try CSVLoader.load(path: try fixturePath("bom_crlf_quoted.csv"))
    #expect(data.name == "bom_crlf_quoted")
    #expect(data.featureNames == ["width, cm", "say \"hi\""])
    #expect(data.features.scalars == [1.5, 2, 3.25, 4])
    #expect(data.classIndices == [0, 1])
    #expect(data.classNames == ["0", "2"])
  }

  @Test("a table of text alone: a first row of names found nowhere below is a header; repeated values are data")
  func textOnlyHeader() throws {
    let loaded = try CSVLoader.loadLabeled(bytes: Array("color,size,label\nred,S,a\nblue,M,b\nred,L,a\ngreen,S,b\n".utf8))
    #expect(loaded.hasHeader && loaded.labelColumnName == "label")
    #expect(loaded.features.names == ["color", "size"])
    #expect(loaded.classNames == ["a", "b"] && loaded.rowCount == 4)
    #expect(try loaded.dataset().featureNames == ["color=blue", "color=green", "color=red", "size=L", "size=M", "size=S"])
    // Without a header, the first row's values come again below it: it stays data.
    let bare = try CSVLoader.loadLabeled(bytes: Array("red,S,a\nblue,M,b\nred,L,a\ngreen,S,b\n".utf8))
    #expect(!bare.hasHeader && bare.rowCount == 4)
  }

  @Test("a quoted header cell may span lines; later line numbers still count them")
  func multilineQuotedField() throws {
    let data = try CSVLoader.load(text: "\"multi\nline\",label\n7,1\n")
    #expect(data.featureNames == ["multi\nline"])
    #expect(data.features.scalars == [7])
    #expect(throws: DataError.notFinite(file: "input.csv", line: 4, column: 1, text: "inf")) {
      try CSVLoader.load(text: "\"multi\r\nline\",label\r\n7,1\r\ninf,0\r\n")
    }
  }

  @Test("lone-CR line ends, blank lines, no final line end, spaces around numbers")
  func looseFormatting() throws {
    let data = try CSVLoader.load(text: "a,label\r\r\n 1 ,0\n\n\t2\t, 1\r3,1")
    #expect(data.features.scalars == [1, 2, 3])
    #expect(data.classIndices == [0, 1, 1])
  }

  @Test("label column by name (exact or ignoring case), by index, or first")
  func labelColumnChoices() throws {
    let text = "f1,Target,f2\n1,0,2\n3,1,4\n"
    for column in [LabelColumn.name("Target"), .name(" target "), .index(1)] {
      let data = try CSVLoader.load(text: text, labelColumn: column)
      #expect(data.features.scalars == [1, 2, 3, 4])
      #expect(data.classIndices == [0, 1])
      #expect(data.featureNames == ["f1", "f2"])
    }
    let first = try CSVLoader.load(text: text, labelColumn: .first)
    #expect(first.classIndices == [0, 1])
    #expect(first.classNames == ["1", "3"])
    #expect(first.featureNames == ["Target", "f2"])
    let fromEnd = try CSVLoader.load(text: text, labelColumn: .index(-2))
    #expect(fromEnd.featureNames == ["f1", "f2"])
    #expect(fromEnd.classNames == ["0", "1"])
  }

  @Test("labels with decimals make regression targets [N, 1]; -1/1 make two classes")
  func regressionDetected() throws {
    let data = try CSVLoader.load(text: "x,y\n1,0.5\n2,-1.25\n")
    #expect(data.classCount == nil)
    #expect(data.targets?.shape == [2, 1])
    #expect(data.targets?.scalars == [0.5, -1.25])
    let negative = try CSVLoader.load(text: "x,y\n1,-1\n2,1\n")
    #expect(negative.classNames == ["-1", "1"])
    #expect(negative.classIndices == [0, 1])
  }

  @Test("task: .regression keeps integer labels as targets (fixture, label in the middle)")
  func regressionRequested() throws {
    let data = try CSVLoader.load(path: try fixturePath("houses.csv"), labelColumn: .name("price"), task: .regression)
    #expect(data.name == "houses")
    #expect(data.features.shape == [3, 2])
    #expect(data.features.scalars == [3, 12, 4, 3, 2, 40])
    #expect(data.targets?.scalars == [250_000, 310_000.5, 180_000])
    #expect(data.featureNames == ["rooms", "age"])
  }

  @Test("task: .classification accepts integral labels written as 1.0")
  func classificationRequested() throws {
    let data = try CSVLoader.load(text: "x,y\n1,1.0\n2,2\n", task: .classification)
    #expect(data.classIndices == [0, 1])
    #expect(data.classNames == ["1", "2"])
  }

  @Test("loadFeatures keeps every column and returns the header when there is one")
  func featuresOnly() throws {
    let withHeader = try CSVLoader.loadFeatures(bytes: Array("a,b\n1,2\n3,4\n".utf8))
    #expect(withHeader.features.shape == [2, 2])
    #expect(withHeader.features.scalars == [1, 2, 3, 4])
    #expect(withHeader.header == ["a", "b"])
    let bare = try CSVLoader.loadFeatures(bytes: Array("5\n6\n".utf8))
    #expect(bare.features.shape == [2, 1])
    #expect(bare.header == nil)
  }

  @Test("loadFeatures and load read files from disk")
  func readsFiles() throws {
    let directory = try IDXFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("rows.csv").path
    try Data("p,q\n1,2\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(try CSVLoader.loadFeatures(path: path).features.scalars == [1, 2])
    #expect(try CSVLoader.load(path: path).classNames == ["2"])
  }
}

/// The path of a file in the test target's Fixtures folder.
func fixturePath(_ name: String) throws -> String {
  let parts = name.split(separator: ".")
  let url = try #require(Bundle.module.url(forResource: String(parts[0]), withExtension: String(parts[1]), subdirectory: "Fixtures"))
  return url.path
}
