/// The playground's limits (docs/playground-protocol.md, "Limits"): a config beyond one is
/// refused with a ``PlaygroundError`` that names the key and the limit; the server enforces
/// the pacing and connection limits.
///
///     PlaygroundLimits.maximumHiddenLayers   // 8
///     try PlaygroundConfig(hash: "layers=4,4,4,4,4,4,4,4,4")   // throws "layers: at most 8 hidden layers (got 9)"
public enum PlaygroundLimits {
  /// Hidden layers in a network.
  public static let maximumHiddenLayers = 8
  /// Units in one hidden layer.
  public static let maximumUnitsPerLayer = 64
  /// Points of a 2-D data set (the `points` key).
  public static let maximumPoints = 1_000
  /// Rows per training step.
  public static let maximumBatchSize = 1_000
  /// The largest learning rate (the smallest is anything above 0).
  public static let maximumLearningRate: Float = 10
  /// Frames sent per second and connection (the server's pacing).
  public static let maximumFramesPerSecond = 30
  /// Training steps per second and connection (the server's pacing).
  public static let maximumStepsPerSecond = 2_000
  /// The largest message a client may send; a larger one closes the connection.
  public static let maximumMessageBytes = 16_384
  /// Concurrent sessions; the next one gets an `error` and a close.
  public static let maximumSessions = 64
  /// Points of a 2-D data set by default.
  public static let defaultPoints = 500
  /// The fewest points of a 2-D data set.
  public static let minimumPoints = 10
}
