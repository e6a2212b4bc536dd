import DendriteData
import Testing

@Suite("CSV delimiters")
struct CSVDelimiterTests {
  @Test("the most frequent separator of the first line, outside quotes; a comma by default")
  func detection() {
    #expect(CSVDelimiter.detect(in: Array("a;b;label\n1;2;0\n".utf8)) == .semicolon)
    #expect(CSVDelimiter.detect(in: Array("a\tb\tlabel\n1\t2\t0\n".utf8)) == .tab)
    #expect(CSVDelimiter.detect(in: Array("\n\na|b|label\n1|2|0\n".utf8)) == .pipe)
    #expect(CSVDelimiter.detect(in: Array("\"x;y;z\",b,label\n1,2,0\n".utf8)) == .comma)  // ; only inside quotes
    #expect(CSVDelimiter.detect(in: Array("label\n1\n".utf8)) == .comma)
    #expect(CSVDelimiter(name: "tab") == .tab && CSVDelimiter(name: ";") == .semicolon && CSVDelimiter(name: "x") == nil)
  }

  @Test("a semicolon file with decimal points loads the same as its comma twin, given or detected")
  func semicolonFile() throws {
    let comma = try CSVLoader.load(text: "a,b,label\n1.5,2,0\n3,4.25,1\n")
    let detected = try CSVLoader.loadLabeled(bytes: Array("a;b;label\n1.5;2;0\n3;4.25;1\n".utf8))
    let given = try CSVLoader.loadLabeled(bytes: Array("a;b;label\n1.5;2;0\n3;4.25;1\n".utf8), delimiter: .semicolon)
    #expect(detected.delimiter == .semicolon)
    for loaded in [detected, given] {
      #expect(try loaded.dataset().features == comma.features)
      #expect(try loaded.dataset().classIndices == comma.classIndices)
      #expect(try loaded.dataset().featureNames == ["a", "b"])
    }
  }
}
