import Dendrite
import Foundation
import Testing

@Suite("predict and evaluate match a CSV's columns to the model's features by name")
struct FeatureMatchingTests {
  @Test("reordered columns give the same outputs; extra columns are ignored with a note; a missing one is an error")
  func matching() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    func write(_ name: String, _ text: String) throws {
      try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    var rows = ["a,b,c,label"]
    for i in 0..<60 { rows.append("\(Double(i % 7) / 7),\(Double(i % 5)),\(Double(i % 3) - 1),\(i % 3 == 0 ? "yes" : "no")") }
    try write("train.csv", rows.joined(separator: "\n") + "\n")
    let train = try DendriteProcess.run(["train", "--dataset", "train.csv", "--epochs", "3", "--save", "m.safetensors"], in: directory)
    try #require(train.status == 0, "\(train.stderr)")
    #expect(try ModelFile.load(from: directory.appendingPathComponent("m.safetensors").path).featureNames == ["a", "b", "c"])

    try write("ordered.csv", "a,b,c\n0.5,2,1\n0.1,4,-1\n")
    try write("shuffled.csv", "c,z,a,b\n1,99,0.5,2\n-1,98,0.1,4\n")
    try write("missing.csv", "c,a,z\n1,0.5,9\n")
    try write("renamed.csv", "x1,x2,x3\n0.5,2,1\n0.1,4,-1\n")
    let ordered = try DendriteProcess.run(["predict", "--model", "m.safetensors", "--input", "ordered.csv", "--json"], in: directory)
    let shuffled = try DendriteProcess.run(["predict", "--model", "m.safetensors", "--input", "shuffled.csv", "--json"], in: directory)
    #expect(ordered.status == 0 && shuffled.status == 0, "\(shuffled.stderr)")
    #expect(shuffled.stdout == ordered.stdout)
    #expect(shuffled.stderr == "note: shuffled.csv: ignoring column the model does not use: \"z\"\n")
    let renamed = try DendriteProcess.run(["predict", "--model", "m.safetensors", "--input", "renamed.csv", "--json"], in: directory)
    #expect(renamed.stdout == ordered.stdout)
    #expect(renamed.stderr.hasPrefix("note: renamed.csv: no column name matches the model's features"))
    let missing = try DendriteProcess.run(["predict", "--model", "m.safetensors", "--input", "missing.csv"], in: directory)
    #expect(missing.status == 1)
    #expect(missing.stderr == "error: missing.csv lacks 1 feature the model m.safetensors was trained on: \"b\"\n")

    var reordered = ["label,c,b,a"]
    for row in rows.dropFirst() {
      let cells = row.split(separator: ",").map(String.init)
      reordered.append([cells[3], cells[2], cells[1], cells[0]].joined(separator: ","))
    }
    try write("reordered.csv", reordered.joined(separator: "\n") + "\n")
    let original = try DendriteProcess.run(["evaluate", "--model", "m.safetensors", "--dataset", "train.csv", "--all-rows", "--json"], in: directory)
    let other = try DendriteProcess.run(
      ["evaluate", "--model", "m.safetensors", "--dataset", "reordered.csv", "--label", "label", "--json"], in: directory)
    #expect(original.status == 0 && other.status == 0, "\(other.stderr)")
    #expect(other.stdout == original.stdout)
  }
}
