@testable import DendriteData
import Testing

@Suite("Parsers survive arbitrary input")
struct RobustnessTests {
  @Test("random CSV-like bytes either load or throw a DataError, never crash")
  func csvFuzz() {
    var generator = SplitMix(state: 42)
    let tokens = ["0", "1", "2", "7", "2.5", "-1", "1e3", "", " ", "\"3\"", "\"a,b\"", "\"", "x", "nan", "\u{FEFF}", "\u{FF}"]
    let separators = [",", ",", ",", "\n", "\r\n", "\r", ";"]
    var loaded = 0
    for _ in 0..<3000 {
      var text = ""
      for _ in 0..<Int.random(in: 0..<16, using: &generator) {
        text += (tokens.randomElement(using: &generator) ?? "") + (separators.randomElement(using: &generator) ?? "")
      }
      var bytes = Array(text.utf8)
      if Int.random(in: 0..<4, using: &generator) == 0, !bytes.isEmpty {
        bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
      }
      if let data = try? CSVLoader.load(bytes: bytes) {
        loaded += 1
        #expect(data.count > 0 && data.featureCount > 0)
      }
      _ = try? CSVLoader.loadFeatures(bytes: bytes)
    }
    #expect(loaded > 0)
  }

  @Test("damaged IDX and gzip bytes throw, never crash")
  func idxFuzz() {
    var generator = SplitMix(state: 7)
    let images = IDXFixtures.images(count: 2, rows: 3, columns: 2, pixels: Array(0..<12))
    let labels = IDXFixtures.labels([1, 0])
    let gzipped = IDXFixtures.gzip(images)
    var survived = 0
    for round in 0..<1000 {
      var damaged = round.isMultiple(of: 2) ? images : gzipped
      for _ in 0..<Int.random(in: 1...3, using: &generator) {
        let index = Int.random(in: 0..<damaged.count, using: &generator)
        damaged[index] = UInt8.random(in: 0...255, using: &generator)
      }
      if Bool.random(using: &generator) { damaged.removeLast(Int.random(in: 0..<damaged.count, using: &generator)) }
      if (try? IDXLoader.load(images: damaged, labels: labels, decompressionLimit: 1 << 20)) != nil { survived += 1 }
    }
    #expect(survived < 1000)
  }
}
