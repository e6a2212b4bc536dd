import Foundation
import Testing

@Suite("train: regression targets in their own units")
struct RegressionScalingTests {
  /// Prices near 300,000 from two features, with noise of 10,000.
  static func houses() -> String {
    var generator = SplitMix64(seed: 7)
    var rows = ["area,rooms,price"]
    for _ in 0..<300 {
      let area = 30 + Double(generator.next() % 170)
      let rooms = 1 + Double(generator.next() % 6)
      let noise = Double(Int(generator.next() % 20_001) - 10_000)
      rows.append("\(area),\(rooms),\(2_500 * area + 15_000 * rooms + 50_000 + noise)")
    }
    return rows.joined(separator: "\n") + "\n"
  }

  @Test("large targets are standardised: the model beats the mean baseline; predict and evaluate give prices")
  func houses() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.houses().write(to: directory.appendingPathComponent("houses.csv"), atomically: true, encoding: .utf8)
    let train = try DendriteProcess.run(
      ["train", "--dataset", "houses.csv", "--epochs", "40", "--json", "--save", "houses.safetensors"], in: directory)
    try #require(train.status == 0, "\(train.stderr)")
    let figures = try train.json()
    let mae = try #require(figures["test_mae"] as? Double)
    let baseline = try #require(figures["baseline_mae"] as? Double)
    let r2 = try #require(figures["test_r2"] as? Double)
    #expect(mae < baseline / 4, "test MAE \(mae) against the mean's \(baseline)")
    #expect(r2 > 0.9)

    try "area,rooms\n100,3\n".write(to: directory.appendingPathComponent("row.csv"), atomically: true, encoding: .utf8)
    let predict = try DendriteProcess.run(["predict", "--model", "houses.safetensors", "--input", "row.csv", "--json"], in: directory)
    try #require(predict.status == 0, "\(predict.stderr)")
    let outputs = try #require(try predict.json()["outputs"] as? [[Double]])
    #expect(abs((outputs.first?.first ?? 0) - 345_000) < 30_000, "\(outputs)")  // 2,500·100 + 15,000·3 + 50,000

    let evaluate = try DendriteProcess.run(["evaluate", "--model", "houses.safetensors", "--dataset", "houses.csv", "--json"], in: directory)
    try #require(evaluate.status == 0, "\(evaluate.stderr)")
    let scores = try evaluate.json()
    #expect(abs((scores["mae"] as? Double ?? 0) - mae) < mae)  // same units as train's figure
    #expect((scores["loss"] as? Double ?? 1) < 0.2)  // on standardised targets
  }
}
