/// A config the playground refuses, or a session it cannot build: one line that names the
/// key, what was wrong and the limit, for the `error` message.
///
///     do { _ = try PlaygroundConfig(hash: "batchSize=0") } catch { print(error) }
///     // batchSize: a whole number from 1 to 1000 (got 0)
public struct PlaygroundError: Error, CustomStringConvertible, Equatable {
  /// The message, starting with the key it is about (`layers: at most 8 hidden layers (got 9)`).
  public let description: String

  /// An error with its message.
  ///
  ///     PlaygroundError("seed: a whole number from 0 (got -1)")
  public init(_ description: String) {
    self.description = description
  }
}
