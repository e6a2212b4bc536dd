import Foundation
import Testing

@Suite("train: CSV delimiters")
struct CSVDelimiterCommandLineTests {
  @Test("a ; or tab file trains with the separator detected and reported; --delimiter sets it; bad values are errors")
  func delimiters() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var rows = ["a;b;label"]
    for i in 0..<30 { rows.append("\(Double(i % 5) / 5);\(Double(i % 3));\(i % 2)") }
    try (rows.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("semi.csv"), atomically: true, encoding: .utf8)
    let tabbed = rows.map { $0.replacingOccurrences(of: ";", with: "\t") }.joined(separator: "\n") + "\n"
    try tabbed.write(to: directory.appendingPathComponent("tabs.csv"), atomically: true, encoding: .utf8)

    let semi = try DendriteProcess.run(["train", "--dataset", "semi.csv", "--epochs", "1"], in: directory)
    #expect(semi.status == 0, "\(semi.stderr)")
    #expect(semi.stderr.contains("; fields separated by \";\"\n"), "\(semi.stderr)")
    let tabs = try DendriteProcess.run(["train", "--dataset", "tabs.csv", "--epochs", "1"], in: directory)
    #expect(tabs.status == 0, "\(tabs.stderr)")
    #expect(tabs.stderr.contains("; fields separated by tab\n"), "\(tabs.stderr)")
    let given = try DendriteProcess.run(["train", "--dataset", "semi.csv", "--epochs", "1", "--delimiter", ";"], in: directory)
    #expect(given.status == 0 && given.stdout == semi.stdout)

    let bad = try DendriteProcess.run(["train", "--dataset", "semi.csv", "--delimiter", "x"], in: directory)
    #expect(bad.status == 64 && bad.stderr == "error: --delimiter x: use `,` `;` `tab` or `|`\n")
    let bundled = try DendriteProcess.run(["train", "--dataset", "iris", "--delimiter", ";"], in: directory)
    #expect(bundled.status == 1 && bundled.stderr.hasPrefix("error: --delimiter: iris is not a CSV file"))
  }
}
