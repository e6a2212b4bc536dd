import Dendrite
import Foundation
import Testing

/// Text feature columns (one-hot) and missing cells (`--missing`), through the command line
/// with files made in the test.
@Suite("train, predict and evaluate: categorical columns and missing cells")
struct TableColumnsTests {
  /// 120 rows: `city` decides the class (Lyon → a, Paris → b, Nice → c, Lille → a), `noise`
  /// does not; the label is the first column. Row 7's city is missing, and row 11's noise,
  /// when `withMissing`.
  static func table(withMissing: Bool = false) -> String {
    let cities = ["Lyon", "Paris", "Nice", "Lille"]
    let classes = ["a", "b", "c", "a"]
    var lines = ["label,noise,city"]
    for row in 0..<120 {
      let city = withMissing && row == 7 ? "" : cities[row % 4]
      let noise = withMissing && row == 11 ? "NA" : String(Double((row * 7) % 10) / 10)
      lines.append("\(classes[row % 4]),\(noise),\(city)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func write(_ text: String, _ name: String, in directory: URL) throws {
    try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  @Test("a text column is one-hot encoded over the training rows; predict matches by name and warns about unseen cities")
  func categoricalColumn() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.write(Self.table(), "cities.csv", in: directory)
    let train = try DendriteProcess.run(
      ["train", "--dataset", "cities.csv", "--label", "label", "--epochs", "60", "--seed", "3", "--save", "m.st", "--json"],
      in: directory)
    try #require(train.status == 0, "\(train.stderr)")
    let figures = try train.json()
    #expect(figures["test_accuracy"] as? Double == 1)
    #expect(figures["class_names"] as? [String] == ["a", "b", "c"])
    let file = try ModelFile.load(from: directory.appendingPathComponent("m.st").path)
    #expect(file.featureEncoding?.columnNames == ["noise", "city"])
    #expect(file.featureEncoding?.columns[1].kind == .oneHot(categories: ["Lille", "Lyon", "Nice", "Paris"], fill: nil))
    #expect(file.featureNames == ["noise", "city=Lille", "city=Lyon", "city=Nice", "city=Paris"])
    #expect(file.inputSize == 5)
    // One-hot inputs are left unscaled; the numeric one is standardised.
    if case .standardize(let mean, let deviation) = file.preprocessing {
      #expect(mean.dropFirst() == [0, 0, 0, 0] && deviation.dropFirst() == [1, 1, 1, 1])
    } else {
      Issue.record("expected standardisation, got \(file.preprocessing)")
    }
    let inspect = try DendriteProcess.run(["inspect", "m.st"], in: directory)
    #expect(inspect.stdout.contains("  columns (2 → 5 inputs):\n    noise: number\n    city: one-hot over Lille, Lyon, Nice, Paris\n"))
    // Columns in another order, an extra column, and a city never seen in training.
    try Self.write("city,extra,noise\nParis,9,0.5\nNice,9,0.1\nBerlin,9,0.3\nLyon,9,0.2\n", "rows.csv", in: directory)
    let predict = try DendriteProcess.run(["predict", "--model", "m.st", "--input", "rows.csv", "--json"], in: directory)
    try #require(predict.status == 0, "\(predict.stderr)")
    let labels = try #require(try predict.json()["labels"] as? [String])
    #expect(labels[0] == "b" && labels[1] == "c" && labels[3] == "a")
    #expect(predict.stderr.contains("1 cells hold categories the model never saw in training (city: 1)"))
    #expect(predict.stderr.contains("ignoring column the model does not use: \"extra\""))
    // A missing city cannot be filled by a model trained without --missing mean.
    try Self.write("city,noise\n,0.5\n", "blank.csv", in: directory)
    let blank = try DendriteProcess.run(["predict", "--model", "m.st", "--input", "blank.csv"], in: directory)
    #expect(blank.status == 1)
    #expect(blank.stderr.hasPrefix("error: blank.csv row 1, column \"city\": the cell is missing"))
    #expect(blank.stderr.contains("--missing mean"))
  }

  @Test("--missing error names the option; drop leaves the rows out; mean fills from the training rows")
  func missingModes() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.write(Self.table(withMissing: true), "gaps.csv", in: directory)
    let refused = try DendriteProcess.run(["train", "--dataset", "gaps.csv", "--label", "0", "--epochs", "2"], in: directory)
    #expect(refused.status == 1)
    #expect(refused.stderr == "error: gaps.csv line 9, column 3: the cell is missing (empty, NA, NaN, …); drop such rows with "
      + "--missing drop or fill them from the training rows with --missing mean (MissingValues in the library)\n")

    func train(_ mode: String) throws -> (figures: [String: Any], stderr: String) {
      let result = try DendriteProcess.run(
        ["train", "--dataset", "gaps.csv", "--label", "label", "--missing", mode, "--epochs", "40", "--seed", "2",
         "--save", "\(mode).st", "--json"], in: directory)
      try #require(result.status == 0, "\(result.stderr)")
      return (try result.json(), result.stderr)
    }
    func rows(_ figures: [String: Any]) -> Int {
      ["train_samples", "validation_samples", "test_samples"].reduce(0) { $0 + (figures[$1] as? Int ?? 0) }
    }
    let dropped = try train("drop")
    #expect(rows(dropped.figures) == 118)
    let filled = try train("mean")
    #expect(rows(filled.figures) == 120)
    #expect(filled.stderr.contains("missing cells filled with the training rows' means and most frequent values"))
    let file = try ModelFile.load(from: directory.appendingPathComponent("mean.st").path)
    guard case .number(let fill)? = file.featureEncoding?.columns.first?.kind, let fill else {
      Issue.record("no fill value for noise: \(String(describing: file.featureEncoding))")
      return
    }
    #expect(fill > 0.3 && fill < 0.6)  // the training rows' mean of 0.0…0.9
    #expect(file.dataset?.missing == .mean && file.dataset?.rowCount == 120)
    // The filling model predicts on a row with both cells missing, and says it filled them.
    try Self.write("noise,city\n,\n", "blank.csv", in: directory)
    let predict = try DendriteProcess.run(["predict", "--model", "mean.st", "--input", "blank.csv", "--json"], in: directory)
    try #require(predict.status == 0, "\(predict.stderr)")
    #expect(predict.stderr.contains("2 missing cells filled"))
    // evaluate on the same file scores the same held-out rows as training, for both modes.
    for (mode, figures) in [("drop", dropped.figures), ("mean", filled.figures)] {
      let evaluate = try DendriteProcess.run(["evaluate", "--model", "\(mode).st", "--dataset", "gaps.csv", "--json"], in: directory)
      try #require(evaluate.status == 0, "\(evaluate.stderr)")
      let scores = try evaluate.json()
      #expect(scores["scored_on"] as? String == "test-split")
      #expect(scores["rows"] as? Int == figures["test_samples"] as? Int)
      #expect(abs((scores["accuracy"] as? Double ?? -1) - (figures["test_accuracy"] as? Double ?? -2)) < 1e-5)
    }
    let wrong = try DendriteProcess.run(["train", "--dataset", "iris", "--missing", "mean", "--epochs", "1"], in: directory)
    #expect(wrong.status == 1 && wrong.stderr.contains("--missing: iris is not a CSV file"))
    let unknown = try DendriteProcess.run(["train", "--dataset", "gaps.csv", "--missing", "zero"], in: directory)
    #expect(unknown.status != 0 && unknown.stderr.contains("--missing zero: use error, drop or mean"))
  }

  @Test("text in a numeric column and identifier-like text columns are clean errors")
  func badColumns() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var typo = "a,b,label\n"
    for row in 0..<30 { typo += "\(row),\(row == 17 ? "1.5x" : String(row % 5)),\(row % 2)\n" }
    try Self.write(typo, "typo.csv", in: directory)
    let typoRun = try DendriteProcess.run(["train", "--dataset", "typo.csv", "--epochs", "1"], in: directory)
    #expect(typoRun.status == 1)
    #expect(typoRun.stderr == "error: typo.csv line 19, column 2: \"1.5x\" is text in a column of numbers "
      + "(29 numbers, 1 text cell); fix the cell, or empty it to mark a missing value\n")
    var ids = "id,x,label\n"
    for row in 0..<1_100 { ids += "user\(row),\(row % 7),\(row % 2)\n" }
    try Self.write(ids, "ids.csv", in: directory)
    let idRun = try DendriteProcess.run(["train", "--dataset", "ids.csv", "--epochs", "1"], in: directory)
    #expect(idRun.status == 1)
    #expect(idRun.stderr.hasPrefix("error: ids.csv: column \"id\" holds 1100 distinct texts, more than the 1000 categories"))
  }
}
