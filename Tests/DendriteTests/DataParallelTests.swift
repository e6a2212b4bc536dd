import Dendrite
import Foundation
import Testing

/// N ranks as threads of one process: the collectives by shared memory and a barrier. Each
/// rank sums every rank's buffer in rank order itself, so all ranks get the same bits, as
/// MPI's all-reduce gives them.
private final class ThreadGroup: @unchecked Sendable {
  let size: Int
  private let condition = NSCondition()
  private var arrived = 0
  private var generation = 0
  private var slots: [[Float]]

  init(size: Int) {
    self.size = size
    slots = Array(repeating: [], count: size)
  }

  func barrier() {
    condition.lock()
    let current = generation
    arrived += 1
    if arrived == size {
      arrived = 0
      generation += 1
      condition.broadcast()
    } else {
      while current == generation { condition.wait() }
    }
    condition.unlock()
  }

  func allReduceSum(rank: Int, _ buffer: inout [Float]) {
    condition.lock()
    slots[rank] = buffer
    condition.unlock()
    barrier()
    condition.lock()
    var sum = slots[0]
    for other in 1..<size {
      for index in sum.indices { sum[index] += slots[other][index] }
    }
    condition.unlock()
    barrier()
    buffer = sum
  }

  func broadcast(rank: Int, _ buffer: inout [Float], root: Int) {
    if rank == root {
      condition.lock()
      slots[root] = buffer
      condition.unlock()
    }
    barrier()
    condition.lock()
    buffer = slots[root]
    condition.unlock()
    barrier()
  }

  /// Runs `body(rank)` on one thread per rank and returns the results in rank order.
  func run<Value: Sendable>(_ body: @escaping @Sendable (Int) -> Value) -> [Value] {
    let results = Results<Value>(count: size)
    let threads = (0..<size).map { rank in
      Thread {
        results.set(rank, body(rank))
      }
    }
    threads.forEach { $0.stackSize = 16 << 20; $0.start() }
    while !results.isComplete { usleep(1_000) }
    return results.values
  }
}

private final class Results<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Value?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: Value) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }
  var isComplete: Bool {
    lock.lock()
    defer { lock.unlock() }
    return slots.allSatisfy { $0 != nil }
  }
  var values: [Value] {
    lock.lock()
    defer { lock.unlock() }
    return slots.compactMap { $0 }
  }
}

/// One rank's view of a ``ThreadGroup``.
private final class ThreadRank: Communicator {
  let group: ThreadGroup
  let rank: Int
  var size: Int { group.size }
  init(_ group: ThreadGroup, rank: Int) {
    self.group = group
    self.rank = rank
  }
  func allReduceSum(_ buffer: inout [Float]) throws(CommunicatorError) { group.allReduceSum(rank: rank, &buffer) }
  func broadcast(_ buffer: inout [Float], from root: Int) throws(CommunicatorError) {
    group.broadcast(rank: rank, &buffer, root: root)
  }
  func barrier() throws(CommunicatorError) { group.barrier() }
}

/// A trained model's outcome on one rank.
private struct RankOutcome: Sendable {
  var parameters: [Tensor] = []
  var buffers: [String: Tensor] = [:]
  var losses: [Float] = []
  var error: String?
}

@Suite("Data-parallel training over a communicator")
struct DataParallelTests {
  private static func data(rows: Int = 96, nanRow: Int? = nil) throws -> Dataset {
    var generator = RandomGenerator(seed: 11)
    var x = Tensor(randomNormal: [rows, 6], generator: &generator)
    let classes = (0..<rows).map { row in x.scalars[row * 6] + x.scalars[row * 6 + 1] > 0 ? 1 : (row % 3 == 0 ? 2 : 0) }
    if let nanRow {
      var scalars = x.scalars
      scalars[nanRow * 6] = .nan
      x = Tensor(shape: [rows, 6], scalars: scalars)
    }
    return try Dataset(features: x, classIndices: classes, classCount: 3)
  }

  private static func mlp(seed: UInt64) -> Sequential {
    Sequential(seed: seed) {
      Dense(inputSize: 6, outputSize: 16, activation: .relu)
      Dense(inputSize: 16, outputSize: 3)
    }
  }

  private static func batchNormNetwork(seed: UInt64) -> Sequential {
    Sequential(seed: seed) {
      Dense(inputSize: 6, outputSize: 8)
      BatchNorm(featureCount: 8)
      ActivationLayer(.tanh)
      Dense(inputSize: 8, outputSize: 3)
    }
  }

  /// Trains `make(seed)` for 3 epochs on every rank of a group of `size` (rank r starts
  /// from seed r + 1: the broadcast must make them rank 0's).
  private static func train(
    size: Int, data: Dataset, make: @escaping @Sendable (UInt64) -> Sequential,
    objective: (@Sendable (Tensor, Dataset.Labels) -> Tensor)? = nil
  ) -> [RankOutcome] {
    let group = ThreadGroup(size: size)
    return group.run { rank in
      var model = make(UInt64(rank + 1))
      var optimizer = Adam(learningRate: 0.01)
      var outcome = RankOutcome()
      do {
        let history = try model.fit(
          data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 3, batchSize: 32, seed: 7,
          objective: objective, communicator: ThreadRank(group, rank: rank))
        outcome.losses = history.epochs.compactMap { $0["loss"] }
      } catch {
        outcome.error = "\(error)"
      }
      outcome.parameters = model.parameterValues
      outcome.buffers = model.buffers
      return outcome
    }
  }

  /// The largest |a − b| over all parameters.
  private static func largestDifference(_ a: [Tensor], _ b: [Tensor]) -> Float {
    zip(a, b).map { x, y in zip(x.scalars, y.scalars).map { abs($0 - $1) }.max() ?? 0 }.max() ?? .infinity
  }

  @Test("2 and 4 ranks train the single process's weights (to float rounding), and every rank holds the same", arguments: [2, 4])
  func equivalence(ranks: Int) throws {
    let data = try Self.data()
    let single = Self.train(size: 1, data: data, make: Self.mlp)[0]
    let group = Self.train(size: ranks, data: data, make: Self.mlp)
    #expect(group.allSatisfy { $0.error == nil }, "\(group.map(\.error))")
    for outcome in group.dropFirst() {
      #expect(outcome.parameters == group[0].parameters, "ranks hold identical weights")
      #expect(outcome.losses == group[0].losses)
    }
    // 9 Adam steps of sums regrouped by shard: float rounding, far below a step's size (0.01).
    let difference = Self.largestDifference(group[0].parameters, single.parameters)
    #expect(difference < 1e-4, "largest weight difference \(difference)")
    for (a, b) in zip(group[0].losses, single.losses) { #expect(abs(a - b) < 1e-4 * max(1, abs(b))) }
    #expect(Self.largestDifference(single.parameters, Self.mlp(seed: 1).parameterValues) > 1e-3, "training moved the weights")
  }

  @Test("a Trainer with a communicator steps the single process's Trainer, every rank the same")
  func trainerSteps() throws {
    let data = try Self.data()
    let batches = (0..<3).map { data.subset(Array(($0 * 32)..<(($0 + 1) * 32))) }
    func run(size: Int) -> [RankOutcome] {
      let group = ThreadGroup(size: size)
      return group.run { rank in
        let trainer = Trainer(
          model: Self.mlp(seed: UInt64(rank + 1)), loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1),
          communicator: ThreadRank(group, rank: rank))
        var outcome = RankOutcome()
        do {
          for batch in batches { outcome.losses.append(try trainer.step(inputs: batch.features, labels: batch.labels)) }
        } catch {
          outcome.error = "\(error)"
        }
        outcome.parameters = trainer.model.parameterValues
        return outcome
      }
    }
    let single = run(size: 1)[0]
    let pair = run(size: 2)
    #expect(pair.allSatisfy { $0.error == nil }, "\(pair.map(\.error))")
    #expect(pair[1].parameters == pair[0].parameters && pair[1].losses == pair[0].losses)
    #expect(Self.largestDifference(pair[0].parameters, single.parameters) < 1e-5)
    for (a, b) in zip(pair[0].losses, single.losses) { #expect(abs(a - b) < 1e-5 * max(1, abs(b))) }
  }

  @Test("batch norm on the tape: ranks end with identical weights and running statistics")
  func batchNormRanksAgree() throws {
    let data = try Self.data()
    let group = Self.train(size: 2, data: data, make: Self.batchNormNetwork)
    #expect(group.allSatisfy { $0.error == nil }, "\(group.map(\.error))")
    #expect(group[1].parameters == group[0].parameters)
    #expect(group[1].buffers == group[0].buffers && !group[0].buffers.isEmpty)
    let single = Self.train(size: 1, data: data, make: Self.batchNormNetwork)[0]
    let difference = Self.largestDifference(group[0].parameters, single.parameters)
    // Batch statistics are each shard's (as PyTorch's DistributedDataParallel without
    // SyncBatchNorm): close to the single process's, not equal.
    #expect(difference < 0.1, "largest weight difference \(difference)")
  }

  @Test("a step that fails on one rank stops every rank with that rank's error, and none hangs", .timeLimit(.minutes(1)))
  func failureStopsEveryRank() throws {
    // Batches of 32 over 3 ranks are shards of 10, 11 and 11 rows: the loss is NaN on
    // rank 0's shard only, so only rank 0's step fails.
    let group = Self.train(size: 3, data: try Self.data(), make: Self.mlp) { outputs, labels in
      let loss = Loss.softmaxCrossEntropy.compute(outputs: outputs, labels: labels)
      return outputs.shape[0] == 10 ? loss * Tensor(scalar: .nan) : loss
    }
    #expect(group[0].error?.hasPrefix("training diverged at epoch 1, step 1") == true, "\(group.map(\.error))")
    for outcome in group.dropFirst() {
      #expect(outcome.error?.hasPrefix("rank 0: training diverged at epoch 1, step 1") == true, "\(group.map(\.error))")
    }
    // Nobody updated: every rank still holds rank 0's initial weights.
    #expect(group[1].parameters == group[0].parameters && group[2].parameters == group[0].parameters)
  }

  @Test("agree: an error on one rank is thrown on every rank, with its message")
  func agreement() {
    let group = ThreadGroup(size: 2)
    let outcomes = group.run { rank -> String in
      do {
        return try ThreadRank(group, rank: rank).agree { () throws -> String in
          if rank == 1 { throw CommunicatorError("cannot read data.csv") }
          return "ok"
        }
      } catch {
        return "\(error)"
      }
    }
    #expect(outcomes == ["rank 1: cannot read data.csv", "cannot read data.csv"])
  }
}
