/// The collective operations data-parallel training needs, over a group of processes
/// (ranks) that each run the same program: Horovod's and PyTorch's DistributedDataParallel
/// model. Every rank must make the same calls in the same order; a call returns when every
/// rank has made it.
///
/// ``SingleProcessCommunicator`` is the group of one (every operation a no-op);
/// ``MPICommunicator`` (the `MPI` package trait) runs over Open MPI. Another engine (say
/// gloo or NCCL) conforms with these five members.
///
///     let communicator: any Communicator = SingleProcessCommunicator()
///     var gradients: [Float] = [1, 2, 3]
///     try communicator.allReduceSum(&gradients)   // on N ranks: the element-wise sum over ranks
public protocol Communicator: AnyObject, Sendable {
  /// This process's index in the group, 0..<size; rank 0 prints and writes files.
  var rank: Int { get }
  /// The number of processes in the group.
  var size: Int { get }
  /// Replaces `buffer` on every rank by the element-wise sum of every rank's `buffer` (the
  /// same length on each). Every rank receives the same sums.
  ///
  /// - Throws: ``CommunicatorError`` when the transport fails.
  func allReduceSum(_ buffer: inout [Float]) throws(CommunicatorError)
  /// Replaces `buffer` on every rank by rank `root`'s (the same length on each).
  ///
  /// - Throws: ``CommunicatorError`` when the transport fails.
  func broadcast(_ buffer: inout [Float], from root: Int) throws(CommunicatorError)
  /// Returns when every rank has called it.
  ///
  /// - Throws: ``CommunicatorError`` when the transport fails.
  func barrier() throws(CommunicatorError)
}

/// A collective operation that failed, or a rank that failed while the others waited.
public struct CommunicatorError: Error, Equatable, CustomStringConvertible {
  /// What went wrong, in words.
  public let message: String
  /// The rank the failure came from, when known.
  public let rank: Int?

  /// Creates an error.
  ///
  ///     CommunicatorError("MPI_Allreduce failed: …", rank: 1)
  public init(_ message: String, rank: Int? = nil) {
    self.message = message
    self.rank = rank
  }

  /// The message, prefixed with the rank it came from when known.
  public var description: String { rank.map { "rank \($0): \(message)" } ?? message }
}

extension Communicator {
  /// Whether this rank prints, writes files and checkpoints: rank 0.
  public var isLeader: Bool { rank == 0 }

  /// Runs `body` on every rank and makes its outcome collective: when it throws on any rank,
  /// every rank throws (the failing rank its own error, the others ``CommunicatorError``
  /// naming that rank, with its message), so that no rank goes on to a collective the others
  /// never reach. One all-reduce of a flag per rank, and a broadcast of the message when one
  /// failed.
  ///
  ///     let data = try world.agree { try Datasets.named(path) }   // a bad file on any rank stops all
  public func agree<Value>(_ body: () throws -> Value) throws -> Value {
    try DataParallel.agree(over: self, body)
  }
}
