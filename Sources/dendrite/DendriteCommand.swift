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
      DatasetsCommand.self, BenchCommand.self, PlaygroundCommand.self,
    ]
  )

  /// ArgumentParser's entry point, except that an invalid option prints one `error: …` line
  /// and exits 64, like the runtime errors (exit 1), instead of `Error: …` and the usage.
  /// ArgumentParser's own messages (a missing or unknown option, a value that is not a
  /// number) get a pointer to `--help`; ours name the option first and carry their hint.
  static func main() {
    // Training allocates and frees the same large arrays every step (a CNN's im2col
    // matrices): keep freed memory for reuse rather than faulting it in again.
    ComputeSettings.keepFreedMemoryForReuse()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
      let message = message(for: error)
      let subcommand = CommandLine.arguments.dropFirst().first.flatMap { name in
        configuration.subcommands.contains { $0.configuration.commandName == name } ? " \(name)" : nil
      }
      let hint = message.hasPrefix("--") ? "" : " (see 'dendrite\(subcommand ?? "") --help')"
      Terminal.printError("error: \(message)\(hint)")
      exit(withError: ExitCode.validationFailure)
    }
  }
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
