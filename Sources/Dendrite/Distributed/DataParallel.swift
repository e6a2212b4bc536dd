/// Data-parallel training over a ``Communicator``, as Horovod and PyTorch's
/// DistributedDataParallel do it: every rank holds the whole model, rank 0's initial
/// parameters are broadcast, each step every rank computes the gradients of its share of the
/// global batch, one all-reduce over one buffer holding every gradient averages them, and
/// every rank applies the same update.
///
/// With a global batch of B rows split into shards of n_r rows (Σ n_r = B), each rank's
/// loss J_r is the mean over its shard, and the buffer carries (n_r/B)·∇J_r, so the sum is
///
///     Σ_r (n_r/B)·∇J_r = ∇ (1/B) Σ_rows J_row = the gradient of the whole batch's mean loss,
///
/// the single-process gradient up to float rounding. The buffer's tail carries the loss
/// (weighted the same way) and one failure flag per rank, so that a rank whose step failed
/// (a non-finite gradient, an error) is known to every rank after the same all-reduce: all
/// stop together, with the failing rank's message, and none waits for ever.
enum DataParallel {
  /// The rows of `rows` (a global batch, in order) that `rank` of `size` trains on: a
  /// contiguous share, sizes differing by at most one.
  static func shard(_ rows: [Int], rank: Int, size: Int) -> [Int] {
    let start = rows.count * rank / size
    let end = rows.count * (rank + 1) / size
    return Array(rows[start..<end])
  }

  /// Rank 0's parameters on every rank: one broadcast of all of them, flattened in
  /// parameter order.
  static func broadcastParameters<Model: Layer>(of model: inout Model, over communicator: any Communicator) throws {
    var flat = model.parameterValues.flatMap(\.scalars)
    try communicator.broadcast(&flat, from: 0)
    model.parameterValues = unflatten(flat, like: model.parameterValues)
  }

  /// Rank 0's buffers (batch norm's running statistics) on every rank, so that every rank
  /// ends an epoch holding the same model (each rank's statistics saw only its shards).
  static func broadcastBuffers<Model: Layer>(of model: inout Model, over communicator: any Communicator) throws {
    let buffers = model.buffers
    guard !buffers.isEmpty else { return }
    let names = buffers.keys.sorted()
    var flat = names.flatMap { buffers[$0]?.scalars ?? [] }
    try communicator.broadcast(&flat, from: 0)
    let values = unflatten(flat, like: names.compactMap { buffers[$0] })
    model.loadBuffers(Dictionary(uniqueKeysWithValues: zip(names, values)))
  }

  /// Tensors of the shapes of `templates`, cut from `flat` in order.
  static func unflatten(_ flat: [Float], like templates: [Tensor]) -> [Tensor] {
    var offset = 0
    return templates.map { template in
      defer { offset += template.scalarCount }
      return Tensor(shape: template.shape, scalars: Array(flat[offset..<(offset + template.scalarCount)]))
    }
  }

  /// What one rank contributes to a step: its gradients (nil when its shard is empty or its
  /// step failed), its shard's loss and size, and its failure.
  struct Contribution {
    var gradients: [String: Tensor]?
    var loss: Float
    var rows: Int
    var failure: (any Error)?
  }

  /// The global batch's mean loss and gradients, the same on every rank: one all-reduce of
  /// [(n_r/B)·∇J_r for every parameter…, (n_r/B)·J_r, failed_0, …, failed_{N−1}].
  ///
  /// - Throws: the failing rank's error on that rank, and ``CommunicatorError`` naming the
  ///   rank and its message on the others, when any rank's step failed.
  static func reduce(
    _ contribution: Contribution, parameterNames: [String], shapes: [[Int]], batchRows: Int,
    over communicator: any Communicator
  ) throws -> (loss: Float, gradients: [String: Tensor]) {
    let weight = Float(contribution.rows) / Float(Swift.max(batchRows, 1))
    let counts = shapes.map { $0.reduce(1, *) }
    var buffer = [Float]()
    buffer.reserveCapacity(counts.reduce(0, +) + 1 + communicator.size)
    for (name, count) in zip(parameterNames, counts) {
      if let gradient = contribution.gradients?[name], contribution.failure == nil {
        buffer += gradient.scalars.map { $0 * weight }
      } else {
        buffer += [Float](repeating: 0, count: count)
      }
    }
    buffer.append(contribution.failure == nil ? contribution.loss * weight : 0)
    var flags = [Float](repeating: 0, count: communicator.size)
    if contribution.failure != nil { flags[communicator.rank] = 1 }
    buffer += flags
    try communicator.allReduceSum(&buffer)
    let failed = buffer.suffix(communicator.size)
    if let failing = failed.firstIndex(where: { $0 > 0 }).map({ $0 - failed.startIndex }) {
      try shareFailure(of: failing, error: contribution.failure, over: communicator)
    }
    var gradients: [String: Tensor] = [:]
    var offset = 0
    for (index, name) in parameterNames.enumerated() {
      gradients[name] = Tensor(shape: shapes[index], scalars: Array(buffer[offset..<(offset + counts[index])]))
      offset += counts[index]
    }
    return (buffer[offset], gradients)
  }

  /// See ``Communicator/agree(_:)``.
  static func agree<Value>(over communicator: any Communicator, _ body: () throws -> Value) throws -> Value {
    var result: Result<Value, any Error>
    do { result = .success(try body()) } catch { result = .failure(error) }
    var flags = [Float](repeating: 0, count: communicator.size)
    if case .failure = result { flags[communicator.rank] = 1 }
    try communicator.allReduceSum(&flags)
    if let failing = flags.firstIndex(where: { $0 > 0 }) {
      var error: (any Error)?
      if case .failure(let failure) = result { error = failure }
      try shareFailure(of: failing, error: error, over: communicator)
    }
    return try result.get()
  }

  /// The longest failure message shared between ranks, in UTF-8 bytes.
  static let messageCapacity = 2048

  /// Every rank learns rank `failing`'s error message by one broadcast and throws: that
  /// rank its own error, the others ``CommunicatorError`` carrying the message and rank.
  static func shareFailure(of failing: Int, error: (any Error)?, over communicator: any Communicator) throws -> Never {
    var message = [Float](repeating: 0, count: messageCapacity + 1)
    if communicator.rank == failing {
      let bytes = Array(String(describing: error.map { "\($0)" } ?? "failed").utf8.prefix(messageCapacity))
      message[0] = Float(bytes.count)
      for (index, byte) in bytes.enumerated() { message[index + 1] = Float(byte) }
    }
    try communicator.broadcast(&message, from: failing)
    if communicator.rank == failing, let error { throw error }
    let count = Swift.min(Swift.max(Int(message[0]), 0), messageCapacity)
    let text = String(decoding: message[1..<(count + 1)].map { UInt8(clamping: Int($0)) }, as: UTF8.self)
    throw CommunicatorError(text, rank: failing)
  }
}

extension DataParallel {
  /// One data-parallel step's gradients: this rank's shard through the engine (its failure
  /// kept, not thrown, so that it reaches the all-reduce), then the batch's mean loss and
  /// gradients over every rank (``DataParallel/reduce(_:parameterNames:shapes:batchRows:over:)``).
  static func gradients<Model: Layer>(
    _ engine: TrainingStep<Model>, batch: Dataset, batchRows: Int, shapes: [[Int]], position: (epoch: Int, step: Int),
    group: any Communicator
  ) throws -> TrainingStep<Model>.Gradients {
    var contribution = DataParallel.Contribution(gradients: nil, loss: 0, rows: batch.count, failure: nil)
    var outputs: Tensor?
    if batch.count > 0 {
      do {
        let local = try engine.computeGradients(
          inputs: batch.features, labels: batch.labels, position: position, foldedLearningRate: nil, wantsOutputs: true,
          wantsNamedGradients: true)
        (contribution.gradients, contribution.loss, outputs) = (local.byName, local.loss, local.outputs)
      } catch {
        contribution.failure = error
      }
    }
    let (loss, gradients) = try DataParallel.reduce(
      contribution, parameterNames: engine.parameterNames, shapes: shapes, batchRows: batchRows, over: group)
    let firstBad = engine.parameterNames.first { gradients[$0]?.isFinite == false }
    if !loss.isFinite || firstBad != nil {
      throw TrainingError.diverged(epoch: position.epoch, step: position.step, loss: loss, firstNonFiniteGradient: firstBad)
    }
    var result = TrainingStep<Model>.Gradients(loss: loss, outputs: outputs, byName: gradients, isFolded: false)
    result.shardLoss = contribution.loss
    return result
  }
}
