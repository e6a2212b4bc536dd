import ArgumentParser
import DendriteLab
import Foundation

/// `dendrite lab`: runs every experiment of the study and writes the report.
struct LabCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lab",
    abstract: "Reproduce every claim of the loss-function study, measured, with charts and a report.",
    discussion: """
      Runs the study's experiments on bundled data with fixed seeds and writes DIR/report.html \
      (charts inline as SVG), DIR/<experiment>.svg and DIR/results.json (no timings: two runs \
      give the same file). Prints a summary table, or results.json itself with --json.
      """
  )

  @Option(name: .long, help: ArgumentHelp("Where to write report.html, the charts and results.json.", valueName: "DIR"))
  var output = "dendrite-lab"

  @Flag(name: .long, help: "Print results.json on stdout instead of the summary table.")
  var json = false

  @Flag(name: .long, help: "Shorter runs for a smoke test (the figures are not the study's).")
  var quick = false

  @OptionGroup var threadOption: ThreadOption

  func run() throws {
    threadOption.apply()
    try reportingErrors {
      let started = Date()
      try Lab.prepareOutput(directory: output)
      let run = try Lab(quick: quick).run { id in
        if !json { Terminal.printError("running \(id)…") }
      }
      try run.write(toDirectory: output)
      if json {
        print(run.results.jsonText(), terminator: "")
        return
      }
      if let examples = run.outcomes.first(where: { $0.result.id == "worked-examples" }),
        let table = examples.section.blocks.compactMap({ block -> [[String]]? in
          if case .table(let table) = block { return table.rows }
          return nil
        }).first
      {
        print("Worked examples (Dendrite's exact value beside the study's):\n")
        print(Terminal.table(header: ["quantity", "Dendrite", "study", "note"], rows: table))
        print()
      }
      print(
        Terminal.table(
          header: ["experiment", "verdict", "key figures"],
          rows: run.outcomes.map { [$0.result.id, $0.result.verdict.rawValue, $0.headline] }))
      let seconds = Date().timeIntervalSince(started)
      print("\nwrote \(output)/report.html, \(output)/results.json and \(run.outcomes.flatMap(\.charts).count) charts in \(String(format: "%.1f", seconds)) s")
    }
  }
}
