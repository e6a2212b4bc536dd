import ArgumentParser
import Dendrite

/// `dendrite`: Dendrite's command-line tool. Thin: it parses, calls the modules and renders.
@main
struct DendriteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dendrite",
    abstract: "Neural-network losses and activations in Swift: learn, test and reproduce the study.",
    version: dendriteVersion,
    subcommands: [
      LabCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self, InspectCommand.self,
      DatasetsCommand.self,
    ]
  )
}

/// Runs a subcommand's body, turning a thrown error into one `error: …` line on stderr and
/// exit code 1, as DESIGN.md's command-line section says.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let exit as ExitCode {
    throw exit
  } catch {
    Terminal.printError("error: \(error)")
    throw ExitCode(1)
  }
}
