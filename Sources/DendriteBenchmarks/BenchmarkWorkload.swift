import Dendrite

/// What `dendrite bench` trains: the MLP's initial parameters and batches, and the tiny
/// network's initial parameters and XOR data.
///
/// Either Dendrite's own ``synthetic(seed:)`` workload, or one read from a safetensors
/// file that `Scripts/bench_peers.py` writes with numpy, so that Dendrite and its peers
/// start from the same weights, see the same batches and so reach the same final loss.
///
/// The file (F32 tensors only; names and layouts):
///
///     mlp.L.weight   [out, in]        dense layer L of the MLP (L = 0, 1, …), PyTorch's layout:
///                                      the transpose of numpy's (fan_in, fan_out) W in y = x·W + b
///     mlp.L.bias     [out]
///     mlp.inputs     [batches, batch, in]   the batches, used in order, cycled
///     mlp.labels     [batches, batch]       class indices stored as floats (0, 1, …, classes − 1)
///     tiny.L.weight  [out, in], tiny.L.bias [out]   the tiny network (2-4-1)
///     tiny.inputs    [samples, in], tiny.targets [samples, out]   (XOR: 4 × 2 and 4 × 1)
///     cnn.*          the convolutional network, optional (``CNNWorkload``)
///     __metadata__   {"dendrite.workload_format": "1", …}
///
/// The MLP's hidden layers use ReLU and the tiny network's sigmoid; both end linear.
///
///     let workload = try BenchmarkWorkload.load(from: "workload.safetensors")
///     workload.mlpLayerSizes   // [784, 256, 128, 10]
public struct BenchmarkWorkload: Sendable, Equatable {
  /// The MLP's dense layers with their initial parameters (weights `[out, in]`).
  public var mlpLayers: [DenseParameters]
  /// The MLP's batches, `[batch, in]` each, used in order and cycled.
  public var mlpInputs: [Tensor]
  /// The class index of every sample of every batch, in `0..<classes`.
  public var mlpClassIndices: [[Int]]
  /// The tiny network's dense layers with their initial parameters.
  public var tinyLayers: [DenseParameters]
  /// The tiny network's one batch, `[samples, in]`.
  public var tinyInputs: Tensor
  /// The tiny network's regression targets, `[samples, out]`.
  public var tinyTargets: Tensor
  /// Where the workload came from: `"synthetic (seed 0)"` or the file's path.
  public var source: String
  /// The convolutional network's part (``CNNWorkload``); nil for a file written before the
  /// CNN benchmark, whose CNN is then not measured.
  public var cnn: CNNWorkload?

  /// One dense layer's parameters, as ``Dense/init(weight:bias:activation:)`` takes them.
  ///
  ///     DenseParameters(weight: Tensor([[1, 2]]), bias: Tensor([0]))   // 2 → 1
  public struct DenseParameters: Sendable, Equatable {
    /// `[out, in]`.
    public var weight: Tensor
    /// `[out]`.
    public var bias: Tensor

    /// Creates a layer's parameters. No checks here: ``BenchmarkWorkload`` checks the chain.
    public init(weight: Tensor, bias: Tensor) {
      self.weight = weight
      self.bias = bias
    }
  }

  /// Creates a workload from its parts; ``validated()`` checks that they fit together.
  ///
  ///     let w = BenchmarkWorkload(mlpLayers: layers, mlpInputs: [x], mlpClassIndices: [labels],
  ///                               tinyLayers: tiny, tinyInputs: xor, tinyTargets: targets, source: "test")
  public init(
    mlpLayers: [DenseParameters], mlpInputs: [Tensor], mlpClassIndices: [[Int]],
    tinyLayers: [DenseParameters], tinyInputs: Tensor, tinyTargets: Tensor, source: String, cnn: CNNWorkload? = nil
  ) {
    self.cnn = cnn
    self.mlpLayers = mlpLayers
    self.mlpInputs = mlpInputs
    self.mlpClassIndices = mlpClassIndices
    self.tinyLayers = tinyLayers
    self.tinyInputs = tinyInputs
    self.tinyTargets = tinyTargets
    self.source = source
  }

  /// The MLP's widths, input first: `[784, 256, 128, 10]` for the standard workload.
  public var mlpLayerSizes: [Int] { Self.layerSizes(mlpLayers) }

  /// Samples per MLP batch.
  public var mlpBatchSize: Int { mlpInputs.first?.shape.first ?? 0 }

  /// The MLP as a model, starting from the workload's weights: ReLU hidden layers, linear
  /// output (logits).
  ///
  ///     var model = workload.makeMLP()   // Sequential: Dense+ReLU, Dense+ReLU, Dense
  public func makeMLP() -> Sequential { Self.model(mlpLayers, hidden: .relu) }

  /// The tiny network as a model: sigmoid hidden layers, linear output.
  public func makeTinyNetwork() -> Sequential { Self.model(tinyLayers, hidden: .sigmoid) }

  /// Dendrite's own workload with the peers' shapes: MLP 784-256-128-10 on 8 batches of 128,
  /// tiny 2-4-1 on XOR, and the CNN of ``CNNWorkload/synthetic(seed:batchSize:batchCount:)``. X ~ N(0, 1) and a random linear teacher Wt ~ N(0, 1) come from
  /// `RandomGenerator(seed: seed)`, label = argmax(X·Wt); Glorot-uniform weights and zero
  /// biases from `RandomGenerator(seed: seed + 1)`, layer by layer (a fresh one for the tiny
  /// network). Same conventions as the peers, different random numbers: the final loss is
  /// comparable in size to theirs, not equal (use ``load(from:)`` for equal).
  ///
  ///     let workload = BenchmarkWorkload.synthetic()
  public static func synthetic(
    seed: UInt64 = 0, layerSizes: [Int] = [784, 256, 128, 10], batchSize: Int = 128, batchCount: Int = 8,
    tinyLayerSizes: [Int] = [2, 4, 1], cnnBatchSize: Int = 64, cnnBatchCount: Int = 4
  ) -> BenchmarkWorkload {
    precondition(layerSizes.count >= 2 && batchSize > 0 && batchCount > 0, "synthetic workload: bad sizes")
    let (inputSize, classes) = (layerSizes[0], layerSizes[layerSizes.count - 1])
    var data = RandomGenerator(seed: seed)
    let x = Tensor(randomNormal: [batchCount * batchSize, inputSize], generator: &data)
    let teacher = Tensor(randomNormal: [inputSize, classes], generator: &data)
    let labels = matmul(x, teacher).argmax(alongAxis: -1)
    let inputs = (0..<batchCount).map { b in
      Tensor(
        shape: [batchSize, inputSize],
        scalars: Array(x.scalars[(b * batchSize * inputSize)..<((b + 1) * batchSize * inputSize)]))
    }
    let classIndices = (0..<batchCount).map { b in Array(labels[(b * batchSize)..<((b + 1) * batchSize)]) }
    let xor = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    return BenchmarkWorkload(
      mlpLayers: glorotLayers(layerSizes, seed: seed + 1), mlpInputs: inputs, mlpClassIndices: classIndices,
      tinyLayers: glorotLayers(tinyLayerSizes, seed: seed + 1), tinyInputs: xor,
      tinyTargets: Tensor([[0], [1], [1], [0]]), source: "synthetic (seed \(seed))", cnn: .synthetic(seed: seed, batchSize: cnnBatchSize, batchCount: cnnBatchCount))
  }

  /// Reads a workload file (format in the type's documentation) and checks it.
  ///
  ///     let workload = try BenchmarkWorkload.load(from: "/tmp/workload.safetensors")
  ///
  /// - Throws: ``BenchmarkWorkloadError`` naming the file and what is wrong with it.
  public static func load(from path: String) throws(BenchmarkWorkloadError) -> BenchmarkWorkload {
    let bytes: [UInt8]
    do {
      bytes = try FileContents.bytes(atPath: path)
    } catch {
      throw BenchmarkWorkloadError(file: path, problem: error.problem(expecting: "workload file"))
    }
    let file: SafetensorsFile
    do {
      file = try SafetensorsFile(bytes: bytes)
    } catch {
      throw BenchmarkWorkloadError(file: path, problem: error.reason.description)
    }
    do {
      return try decode(file, source: path)
    } catch {
      throw BenchmarkWorkloadError(file: path, problem: error.problem)
    }
  }

  /// The workload as a safetensors file (the layout in the type's documentation).
  ///
  ///     try AtomicFile.write(workload.safetensors().encoded(), to: "workload.safetensors")
  public func safetensors() -> SafetensorsFile {
    var tensors: [(name: String, tensor: Tensor)] = []
    for (index, layer) in mlpLayers.enumerated() {
      tensors += [("mlp.\(index).weight", layer.weight), ("mlp.\(index).bias", layer.bias)]
    }
    let batch = mlpBatchSize
    let inputSize = mlpInputs.first?.shape.last ?? 0
    tensors.append(
      ("mlp.inputs", Tensor(shape: [mlpInputs.count, batch, inputSize], scalars: mlpInputs.flatMap(\.scalars))))
    tensors.append(
      ("mlp.labels",
       Tensor(shape: [mlpClassIndices.count, batch], scalars: mlpClassIndices.flatMap { $0.map(Float.init) })))
    for (index, layer) in tinyLayers.enumerated() {
      tensors += [("tiny.\(index).weight", layer.weight), ("tiny.\(index).bias", layer.bias)]
    }
    tensors += [("tiny.inputs", tinyInputs), ("tiny.targets", tinyTargets)]
    tensors += cnn?.tensors ?? []
    return SafetensorsFile(tensors: tensors, metadata: ["dendrite.workload_format": Self.formatVersion])
  }

  /// Checks that the parts fit together: layer chains (each weight `[out, in]` takes the
  /// previous layer's outputs, bias `[out]`), batches of one shape that feed the first
  /// layer, one class index in `0..<classes` per sample, finite values.
  ///
  /// - Throws: ``BenchmarkWorkloadError`` whose `file` is ``source``.
  public func validated() throws(BenchmarkWorkloadError) -> BenchmarkWorkload {
    do {
      try check()
    } catch {
      throw BenchmarkWorkloadError(file: source, problem: error.problem)
    }
    return self
  }

  /// The `dendrite.workload_format` this version reads and writes.
  public static let formatVersion = "1"
}

// MARK: - Decoding and checking

/// A problem found while decoding or checking, before the file name is added.
private struct WorkloadProblem: Error {
  var problem: String
}

extension BenchmarkWorkload {
  fileprivate static func decode(_ file: SafetensorsFile, source: String) throws(WorkloadProblem) -> BenchmarkWorkload {
    if let format = file.metadata["dendrite.workload_format"], format != formatVersion {
      throw WorkloadProblem(
        problem: "dendrite.workload_format is \"\(format)\" but this Dendrite reads version \(formatVersion)")
    }
    func tensor(_ name: String) throws(WorkloadProblem) -> Tensor {
      guard let tensor = file[name] else {
        throw WorkloadProblem(
          problem: "tensor \"\(name)\" is missing; is this a workload file written by Scripts/bench_peers.py?")
      }
      return tensor
    }
    func layers(_ prefix: String) throws(WorkloadProblem) -> [DenseParameters] {
      var layers: [DenseParameters] = []
      repeat {
        let index = layers.count
        let weight = try tensor("\(prefix).\(index).weight")
        let bias = try tensor("\(prefix).\(index).bias")
        layers.append(DenseParameters(weight: weight, bias: bias))
      } while file["\(prefix).\(layers.count).weight"] != nil
      return layers
    }

    let mlpLayers = try layers("mlp")
    let inputs = try tensor("mlp.inputs")
    let labels = try tensor("mlp.labels")
    guard inputs.rank == 3, inputs.shape[0] > 0, inputs.shape[1] > 0 else {
      throw WorkloadProblem(
        problem: "tensor \"mlp.inputs\" has shape \(inputs.shape); expected [batches, batch, features]")
    }
    let (batches, batch, features) = (inputs.shape[0], inputs.shape[1], inputs.shape[2])
    guard labels.shape == [batches, batch] else {
      throw WorkloadProblem(
        problem: "tensor \"mlp.labels\" has shape \(labels.shape) but \"mlp.inputs\" needs [\(batches), \(batch)]")
    }
    var classIndices: [[Int]] = []
    for b in 0..<batches {
      var row: [Int] = []
      for value in labels.scalars[(b * batch)..<((b + 1) * batch)] {
        guard value.isFinite, value >= 0, value < 1e7, value.rounded() == value else {
          throw WorkloadProblem(
            problem: "tensor \"mlp.labels\" holds \(value), which is not a class index (0, 1, 2, …)")
        }
        row.append(Int(value))
      }
      classIndices.append(row)
    }
    let batchSize = batch * features
    let mlpInputs = (0..<batches).map { b in
      Tensor(shape: [batch, features], scalars: Array(inputs.scalars[(b * batchSize)..<((b + 1) * batchSize)]))
    }
    var workload = BenchmarkWorkload(
      mlpLayers: mlpLayers, mlpInputs: mlpInputs, mlpClassIndices: classIndices,
      tinyLayers: try layers("tiny"), tinyInputs: try tensor("tiny.inputs"), tinyTargets: try tensor("tiny.targets"),
      source: source)
    do {
      workload.cnn = try CNNWorkload.decode(file)
    } catch {
      throw WorkloadProblem(problem: error.problem)
    }
    try workload.check()
    return workload
  }

  fileprivate func check() throws(WorkloadProblem) {
    try Self.checkChain(mlpLayers, prefix: "mlp")
    try Self.checkChain(tinyLayers, prefix: "tiny")
    let sizes = mlpLayerSizes
    let (inputSize, classes) = (sizes[0], sizes[sizes.count - 1])
    guard !mlpInputs.isEmpty, mlpInputs.count == mlpClassIndices.count else {
      throw WorkloadProblem(problem: "\(mlpInputs.count) MLP batches but \(mlpClassIndices.count) label rows")
    }
    guard classes >= 2 else {
      throw WorkloadProblem(problem: "the MLP has \(classes) output; softmax cross-entropy needs at least 2 classes")
    }
    for (b, (input, labels)) in zip(mlpInputs, mlpClassIndices).enumerated() {
      guard input.shape == [mlpBatchSize, inputSize], mlpBatchSize > 0, labels.count == mlpBatchSize else {
        throw WorkloadProblem(
          problem: "MLP batch \(b) has shape \(input.shape) and \(labels.count) labels; "
            + "expected [\(mlpBatchSize), \(inputSize)] and \(mlpBatchSize)")
      }
      if let label = labels.first(where: { $0 < 0 || $0 >= classes }) {
        throw WorkloadProblem(
          problem: "MLP label \(label) in batch \(b) is out of range for \(classes) classes (0…\(classes - 1))")
      }
      guard input.scalars.allSatisfy(\.isFinite) else {
        throw WorkloadProblem(problem: "MLP batch \(b) holds NaN or infinite values")
      }
    }
    let tinySizes = Self.layerSizes(tinyLayers)
    guard tinyInputs.rank == 2, tinyInputs.shape[1] == tinySizes[0], tinyInputs.shape[0] > 0,
      tinyTargets.shape == [tinyInputs.shape[0], tinySizes[tinySizes.count - 1]]
    else {
      throw WorkloadProblem(
        problem: "tiny inputs \(tinyInputs.shape) and targets \(tinyTargets.shape) do not fit the tiny network "
          + tinySizes.map(String.init).joined(separator: "-"))
    }
  }

  private static func checkChain(_ layers: [DenseParameters], prefix: String) throws(WorkloadProblem) {
    guard !layers.isEmpty else { throw WorkloadProblem(problem: "the \(prefix) network has no layers") }
    var width: Int?
    for (index, layer) in layers.enumerated() {
      let name = "\(prefix).\(index)"
      guard layer.weight.rank == 2, layer.weight.shape.allSatisfy({ $0 > 0 }) else {
        throw WorkloadProblem(problem: "tensor \"\(name).weight\" has shape \(layer.weight.shape); expected [out, in]")
      }
      let (out, inputs) = (layer.weight.shape[0], layer.weight.shape[1])
      if let width, width != inputs {
        throw WorkloadProblem(
          problem: "tensor \"\(name).weight\" has shape \(layer.weight.shape) but the layer before gives \(width) "
            + "features; weights are [out, in] (transpose numpy's (fan_in, fan_out))")
      }
      guard layer.bias.shape == [out] else {
        throw WorkloadProblem(problem: "tensor \"\(name).bias\" has shape \(layer.bias.shape); expected [\(out)]")
      }
      guard layer.weight.scalars.allSatisfy(\.isFinite), layer.bias.scalars.allSatisfy(\.isFinite) else {
        throw WorkloadProblem(problem: "layer \"\(name)\" holds NaN or infinite values")
      }
      width = out
    }
  }

  fileprivate static func layerSizes(_ layers: [DenseParameters]) -> [Int] {
    guard let first = layers.first, first.weight.rank == 2 else { return [] }
    return [first.weight.shape[1]] + layers.compactMap { $0.weight.rank == 2 ? $0.weight.shape[0] : nil }
  }

  fileprivate static func model(_ layers: [DenseParameters], hidden: Activation) -> Sequential {
    Sequential(
      layers: layers.enumerated().map { index, layer in
        Dense(weight: layer.weight, bias: layer.bias, activation: index < layers.count - 1 ? hidden : .linear)
      })
  }

  fileprivate static func glorotLayers(_ sizes: [Int], seed: UInt64) -> [DenseParameters] {
    var generator = RandomGenerator(seed: seed)
    return zip(sizes, sizes.dropFirst()).map { fanIn, fanOut in
      DenseParameters(
        weight: Initializer.glorotUniform.makeTensor(
          shape: [fanOut, fanIn], fanIn: fanIn, fanOut: fanOut, generator: &generator),
        bias: Tensor.zeros(shape: [fanOut]))
    }
  }
}
