import Dendrite

/// The lab's results file, `results.json`: the Dendrite version and one entry per
/// experiment. It holds no timings, so two runs give the same bytes.
///
///     let results = LabResults(experiments: [WorkedExamples.compute().result])
///     try results.write(toDirectory: "dendrite-lab")
public struct LabResults: Sendable, Codable, Equatable {
  /// The version of Dendrite that produced the file.
  public var dendriteVersion: String
  /// The experiments, in the order they ran.
  public var experiments: [ExperimentResult]

  enum CodingKeys: String, CodingKey {
    case dendriteVersion = "dendrite_version"
    case experiments
  }

  /// Creates a results file for this version of Dendrite.
  public init(experiments: [ExperimentResult]) {
    self.dendriteVersion = Dendrite.dendriteVersion
    self.experiments = experiments
  }

  /// The file's text: indented JSON with sorted keys (Dendrite's `JSONValue.jsonText(_:)`), ending
  /// in a newline.
  public func jsonText() -> String {
    let object: JSONValue = [
      CodingKeys.dendriteVersion.stringValue: .string(dendriteVersion),
      CodingKeys.experiments.stringValue: .array(experiments.map(\.json)),
    ]
    return object.jsonText(.indented) + "\n"
  }

  /// Writes `results.json` into `directory`, creating the directory if needed, atomically
  /// (Dendrite's `AtomicFile`): a crash never leaves half a file.
  ///
  /// - Throws: ``LabError`` when the directory cannot be created or the file written.
  public func write(toDirectory directory: String) throws {
    try LabOutput.createDirectory(directory)
    try LabOutput.writeAtomically(jsonText(), to: LabOutput.path(directory, "results.json"))
  }
}
