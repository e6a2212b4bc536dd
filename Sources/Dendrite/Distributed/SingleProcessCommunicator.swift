/// The group of one process: every collective operation leaves its buffer as it is. Giving
/// it (or any one-rank group) to `fit` or ``Trainer`` is the same as giving no communicator:
/// they train as one process, with no collective step.
///
///     let solo = SingleProcessCommunicator()
///     var x: [Float] = [1, 2]
///     try solo.allReduceSum(&x)   // [1, 2]
public final class SingleProcessCommunicator: Communicator {
  /// Creates the group of one.
  public init() {}
  /// Always 0.
  public var rank: Int { 0 }
  /// Always 1.
  public var size: Int { 1 }
  /// The sum over one rank: `buffer` unchanged.
  public func allReduceSum(_ buffer: inout [Float]) throws(CommunicatorError) {}
  /// Rank 0's buffer: `buffer` unchanged.
  public func broadcast(_ buffer: inout [Float], from root: Int) throws(CommunicatorError) {
    guard root == 0 else { throw CommunicatorError("broadcast from rank \(root) in a group of one") }
  }
  /// Returns at once.
  public func barrier() throws(CommunicatorError) {}
}
