// Data-parallel training without MPI: two ranks that are two threads of one process,
// joined by a Communicator written here, train one model with `fit(…, communicator:)`.
// Their result is compared with one process training on the same batches.
import Dendrite
import DendriteData
import Foundation

/// What the ranks of a group of threads share. Each collective call waits until every
/// rank has made it; the last to arrive combines the buffers in rank order (so the sums do
/// not depend on which thread came first) and wakes the others.
final class ThreadGroup: @unchecked Sendable {
  let size: Int
  private let condition = NSCondition()
  private var deposits: [[Float]]
  private var arrived = 0
  private var generation = 0
  private var result: [Float] = []
  private(set) var calls: [String: Int] = [:]

  init(size: Int) {
    self.size = size
    self.deposits = Array(repeating: [], count: size)
  }

  func collective(_ kind: String, rank: Int, _ buffer: inout [Float], combine: ([[Float]]) -> [Float]) {
    condition.lock()
    defer { condition.unlock() }
    deposits[rank] = buffer
    arrived += 1
    let round = generation
    if arrived == size {
      result = combine(deposits)
      calls[kind, default: 0] += 1
      arrived = 0
      generation += 1
      condition.broadcast()
    } else {
      while generation == round { condition.wait() }
    }
    buffer = result
  }
}

/// One rank of a ThreadGroup: the five members of Communicator.
final class ThreadRank: Communicator {
  let group: ThreadGroup
  let rank: Int
  var size: Int { group.size }

  init(_ rank: Int, of group: ThreadGroup) {
    self.rank = rank
    self.group = group
  }

  func allReduceSum(_ buffer: inout [Float]) throws(CommunicatorError) {
    group.collective("all-reduce", rank: rank, &buffer) { deposits in
      var sum = deposits[0]
      for other in deposits.dropFirst() {
        for index in sum.indices { sum[index] += other[index] }
      }
      return sum
    }
  }

  func broadcast(_ buffer: inout [Float], from root: Int) throws(CommunicatorError) {
    group.collective("broadcast", rank: rank, &buffer) { $0[root] }
  }

  func barrier() throws(CommunicatorError) {
    var nothing: [Float] = []
    group.collective("barrier", rank: rank, &nothing) { _ in [] }
  }
}

/// What a rank's thread hands back.
final class Outcomes: @unchecked Sendable {
  private let lock = NSLock()
  private var models: [Int: Sequential] = [:]
  private var histories: [Int: Result<History, any Error>] = [:]
  let done = DispatchSemaphore(value: 0)

  func store(rank: Int, model: Sequential, history: Result<History, any Error>) {
    lock.withLock {
      models[rank] = model
      histories[rank] = history
    }
    done.signal()
  }

  func model(_ rank: Int) -> Sequential? { lock.withLock { models[rank] } }
  func history(_ rank: Int) throws -> History? { try lock.withLock { histories[rank] }?.get() }
}

func makeModel() -> Sequential {
  Sequential(seed: 42) {
    Dense(inputSize: 64, outputSize: 32, activation: .relu)
    Dense(inputSize: 32, outputSize: 10)
  }
}

func losses(_ history: History?) -> String {
  (history?["loss"] ?? []).map { String(format: "%.4f", $0) }.joined(separator: " ")
}

/// 512 digits, pixels scaled to [0, 1]; batches of 64 rows, 3 epochs of SGD.
func run() throws {
  let digits = try Datasets.digits()
  let scaling = Preprocessing.fixedRange(0...16, featureCount: 64)
  let data = digits.replacingFeatures(scaling.apply(digits.features)).subset(Array(0..<512))

  var single = makeModel()
  var sgd = SGD(learningRate: 0.5)
  let alone = try single.fit(data, loss: .softmaxCrossEntropy, optimizer: &sgd, epochs: 3, batchSize: 64, seed: 42)
  print("one process:  loss per epoch", losses(alone))

  // Every rank calls fit with the same data and options; each trains on its 32 rows of
  // every batch of 64, and one all-reduce per step sums the weighted gradients.
  let group = ThreadGroup(size: 2)
  let outcomes = Outcomes()
  for rank in 0..<2 {
    Thread {
      var model = makeModel()
      var optimizer = SGD(learningRate: 0.5)
      let history = Result<History, any Error> {
        try model.fit(
          data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 3, batchSize: 64, seed: 42,
          communicator: ThreadRank(rank, of: group))
      }
      outcomes.store(rank: rank, model: model, history: history)
    }.start()
  }
  outcomes.done.wait()
  outcomes.done.wait()
  for rank in 0..<2 {
    print("rank \(rank):       loss per epoch", losses(try outcomes.history(rank)))
  }
  guard let rank0 = outcomes.model(0), let rank1 = outcomes.model(1) else { return }
  print("both ranks hold the same weights:", rank0.parameterValues.map(\.scalars) == rank1.parameterValues.map(\.scalars))
  let difference = zip(rank0.parameterValues, single.parameterValues)
    .flatMap { zip($0.scalars, $1.scalars).map { abs($0 - $1) } }.max() ?? .nan
  print("within 1e-5 of the one-process weights:", difference <= 1e-5)
  print("collective calls:", group.calls.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
}

try run()
