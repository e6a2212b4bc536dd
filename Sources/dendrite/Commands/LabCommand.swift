import ArgumentParser
import DendriteLab

/// `dendrite lab`: runs the study's experiments and writes `results.json`.
struct LabCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lab",
    abstract: "Reproduce the loss-function study's worked examples and experiments.",
    discussion: """
      Computes each of the study's examples with the library, prints them beside the \
      values the study quotes, and writes DIR/results.json (no timings: two runs give \
      the same file).
      """
  )

  @Option(name: .long, help: ArgumentHelp("Where to write results.json.", valueName: "DIR"))
  var output = "dendrite-lab"

  @Flag(name: .long, help: "Print results.json on stdout instead of the summary table.")
  var json = false

  func run() throws {
    try reportingErrors {
      let examples = WorkedExamples.compute()
      let results = LabResults(experiments: [examples.result])
      try results.write(toDirectory: output)
      if json {
        print(try results.jsonText(), terminator: "")
        return
      }
      print("Worked examples of the study (Dendrite's exact value beside the study's):\n")
      print(
        Terminal.table(
          header: ["quantity", "Dendrite", "study", "note"],
          rows: examples.rows.map { [$0.quantity, $0.dendrite, $0.study, $0.note] }))
      print()
      for experiment in results.experiments {
        print("\(experiment.id): \(experiment.verdict.rawValue)")
      }
      print("\nwrote \(output)/results.json")
    }
  }
}
