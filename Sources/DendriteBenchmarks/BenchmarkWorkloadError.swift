/// A workload file that cannot be used: the file and what is wrong, on one line.
///
///     workload.safetensors: tensor "mlp.labels" is missing (write the file with Scripts/bench_peers.py)
public struct BenchmarkWorkloadError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file (or the workload's source).
  public var file: String
  /// What is wrong, with a hint where one helps.
  public var problem: String

  /// Creates an error.
  ///
  ///     BenchmarkWorkloadError(file: "w.safetensors", problem: "no such file (check the path)")
  public init(file: String, problem: String) {
    self.file = file
    self.problem = problem
  }

  /// `file: problem`.
  public var description: String { "\(file): \(problem)" }
}
