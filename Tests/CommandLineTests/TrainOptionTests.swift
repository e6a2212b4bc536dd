import Foundation
import Testing

/// `dendrite train`'s options at their edges, as a new user types them: bundled names in
/// any case, `--layers none`, and defaults that still apply when an option is left out.
@Suite("TrainOptionTests")
struct TrainOptionTests {
  @Test("bundled data set names ignore case and _/-", arguments: [
    ("Digits", "digits"), ("IRIS", "iris"), ("Breast_Cancer", "breast-cancer"),
  ])
  func bundledNameCase(argument: String, name: String) throws {
    let result = try DendriteProcess.run(["train", "--dataset", argument, "--epochs", "1", "--layers", "4"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("\(name): "), "\(result.stdout)")
  }

  @Test("--layers none trains without a hidden layer; the default is one layer of 128")
  func noHiddenLayer() throws {
    let none = try DendriteProcess.run(["train", "--dataset", "iris", "--layers", "none", "--epochs", "1"])
    #expect(none.status == 0, "\(none.stderr)")
    #expect(none.stdout.hasPrefix("iris: 4-3 MLP, softmax-cross-entropy, adam (learning rate 0.001), 15 parameters"),
            "\(none.stdout)")
    let standard = try DendriteProcess.run(["train", "--dataset", "iris", "--epochs", "1"])
    #expect(standard.stdout.hasPrefix("iris: 4-128-3 MLP, softmax-cross-entropy, adam (learning rate 0.001), 1027 parameters"),
            "\(standard.stdout)")
  }

  @Test("--seed 42 given explicitly is the default run, byte for byte")
  func explicitDefaultSeed() throws {
    let arguments = ["train", "--dataset", "wine", "--epochs", "3", "--json"]
    let implicit = try DendriteProcess.run(arguments)
    let explicit = try DendriteProcess.run(arguments + ["--seed", "42", "--layers", "128", "--optimizer", "adam",
                                                        "--activation", "relu", "--preprocessing", "standardize",
                                                        "--dropout", "0"])
    #expect(implicit.status == 0 && explicit.status == 0, "\(implicit.stderr)\(explicit.stderr)")
    #expect(implicit.stdout == explicit.stdout)
    #expect(!implicit.stdout.isEmpty)
  }

  @Test("--resume with only the run's length and outputs continues the checkpoint's run")
  func resumeWithoutModelOptions() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = try DendriteProcess.run(
      ["train", "--dataset", "iris", "--layers", "8", "--seed", "7", "--epochs", "2", "--checkpoint", "c.safetensors"],
      in: directory)
    #expect(first.status == 0, "\(first.stderr)")
    let resumed = try DendriteProcess.run(
      ["train", "--dataset", "iris", "--resume", "c.safetensors", "--epochs", "3", "--batch-size", "16", "--json"],
      in: directory)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let object = try resumed.json()
    #expect(object["epochs_run"] as? Int == 1)
    #expect((object["history"] as? [Any])?.count == 1)
    #expect(object["test_accuracy"] is Double)
  }

  @Test("--help shows the defaults of the options that --resume forbids, and --layers none")
  func helpShowsDefaults() throws {
    let help = try DendriteProcess.run(["train", "--help"])
    let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    for expected in [
      "`none` for no hidden layer (default: 128)", "(default: relu)", "(default: adam)", "(default: 42)",
      "(default: standardize for tables", "(default: 0, none)", "a whole number from 0 to 18446744073709551615",
    ] {
      #expect(text.contains(expected), "\(expected) in \(help.stdout)")
    }
  }
}
