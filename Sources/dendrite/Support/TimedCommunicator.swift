import Dendrite
import Foundation

/// A ``Communicator`` that passes every call to another and adds up the wall time its
/// all-reduces take: what `dendrite train --json` reports as `allreduce_ms_per_call` under
/// mpirun (the step's one all-reduce, waiting for the slowest rank included).
final class TimedCommunicator: Communicator, @unchecked Sendable {
  private let base: any Communicator
  /// Seconds spent in ``allReduceSum(_:)`` so far, and the number of calls.
  private(set) var allReduceSeconds = 0.0
  private(set) var allReduceCalls = 0

  init(_ base: any Communicator) { self.base = base }

  var rank: Int { base.rank }
  var size: Int { base.size }

  func allReduceSum(_ buffer: inout [Float]) throws(CommunicatorError) {
    let start = DispatchTime.now().uptimeNanoseconds
    defer {
      allReduceSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      allReduceCalls += 1
    }
    try base.allReduceSum(&buffer)
  }

  func broadcast(_ buffer: inout [Float], from root: Int) throws(CommunicatorError) {
    try base.broadcast(&buffer, from: root)
  }

  func barrier() throws(CommunicatorError) { try base.barrier() }

  /// Milliseconds per all-reduce so far (0 before the first).
  var millisecondsPerAllReduce: Double { allReduceCalls == 0 ? 0 : 1000 * allReduceSeconds / Double(allReduceCalls) }
}
