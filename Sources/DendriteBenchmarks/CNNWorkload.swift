import Dendrite

/// The convolutional network `dendrite bench` trains, with its initial parameters and
/// batches: the small CNN of the deep-networks issue on 28 × 28 single-channel images,
///
///     conv(32, 3), relu, maxpool(2), conv(64, 3), relu, maxpool(2), flatten, dense(128), relu, dense(10)
///
/// trained with softmax cross-entropy and Adam (learning rate 1e-3) on batches of 64, as
/// PyTorch's `nn.Sequential(Unflatten, Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d,
/// Flatten, Linear, ReLU, Linear)` with the same weights would be. In a workload file:
///
///     cnn.conv1.weight [32, 1, 3, 3]   cnn.conv1.bias [32]
///     cnn.conv2.weight [64, 32, 3, 3]  cnn.conv2.bias [64]
///     cnn.fc1.weight   [128, 1600]     cnn.fc1.bias   [128]
///     cnn.fc2.weight   [10, 128]       cnn.fc2.bias   [10]
///     cnn.inputs       [batches, batch, 784]   pixels, rows of 28 × 28
///     cnn.labels       [batches, batch]        class indices stored as floats
///
///     let cnn = CNNWorkload.synthetic()
///     cnn.makeModel().parameterCount   // 225,034
public struct CNNWorkload: Sendable, Equatable {
  /// The parameters by their workload names (`conv1.weight`, …, `fc2.bias`).
  public var parameters: [String: Tensor]
  /// The batches, `[batch, 784]` each, used in order and cycled.
  public var inputs: [Tensor]
  /// The class index of every sample of every batch, in `0..<10`.
  public var classIndices: [[Int]]

  /// The parameter names in the order of the model's parameters, with their shapes.
  public static let parameterShapes: [(name: String, shape: [Int])] = [
    ("conv1.weight", [32, 1, 3, 3]), ("conv1.bias", [32]), ("conv2.weight", [64, 32, 3, 3]), ("conv2.bias", [64]),
    ("fc1.weight", [128, 1600]), ("fc1.bias", [128]), ("fc2.weight", [10, 128]), ("fc2.bias", [10]),
  ]
  /// Pixels per image, 28 × 28.
  public static let imageSize = 784
  /// Classes.
  public static let classCount = 10

  /// Samples per batch.
  public var batchSize: Int { inputs.first?.shape.first ?? 0 }

  /// The network with the workload's initial parameters.
  public func makeModel() -> Sequential {
    func parameter(_ name: String) -> Tensor { parameters[name] ?? Tensor.zeros(shape: [0]) }
    return Sequential(layers: [
      Unflatten(shape: [1, 28, 28]),
      Conv2D(weight: parameter("conv1.weight"), bias: parameter("conv1.bias"), activation: .relu),
      MaxPool2D(size: 2),
      Conv2D(weight: parameter("conv2.weight"), bias: parameter("conv2.bias"), activation: .relu),
      MaxPool2D(size: 2),
      Flatten(),
      Dense(weight: parameter("fc1.weight"), bias: parameter("fc1.bias"), activation: .relu),
      Dense(weight: parameter("fc2.weight"), bias: parameter("fc2.bias")),
    ])
  }

  /// Dendrite's own CNN workload: `batchCount` batches of `batchSize` images with pixels
  /// uniform in [0, 1) and labels from a random linear teacher (argmax of x·Wt, Wt ~ N(0, 1)),
  /// drawn from `RandomGenerator(seed: seed + 2)`; He-uniform convolution weights
  /// (U(±√(6/fan_in))), Glorot-uniform dense weights, zero biases, from
  /// `RandomGenerator(seed: seed + 3)`. Same conventions as the peers' script, other random
  /// numbers.
  ///
  ///     let cnn = CNNWorkload.synthetic(seed: 0)
  public static func synthetic(seed: UInt64 = 0, batchSize: Int = 64, batchCount: Int = 4) -> CNNWorkload {
    precondition(batchSize > 0 && batchCount > 0, "synthetic CNN workload: bad sizes")
    var data = RandomGenerator(seed: seed &+ 2)
    let x = Tensor(randomUniform: [batchCount * batchSize, imageSize], in: 0...1, generator: &data)
    let teacher = Tensor(randomNormal: [imageSize, classCount], generator: &data)
    let labels = matmul(x, teacher).argmax(alongAxis: -1)
    let inputs = (0..<batchCount).map { b in
      Tensor(
        shape: [batchSize, imageSize],
        scalars: Array(x.scalars[(b * batchSize * imageSize)..<((b + 1) * batchSize * imageSize)]))
    }
    var weights = RandomGenerator(seed: seed &+ 3)
    var parameters: [String: Tensor] = [:]
    for (name, shape) in parameterShapes {
      if shape.count == 1 {
        parameters[name] = Tensor.zeros(shape: shape)
      } else {
        let (fanOut, fanIn) = (shape[0], shape.dropFirst().reduce(1, *))
        let initializer: Initializer = shape.count == 4 ? .heUniform : .glorotUniform
        parameters[name] = initializer.makeTensor(shape: shape, fanIn: fanIn, fanOut: fanOut, generator: &weights)
      }
    }
    return CNNWorkload(
      parameters: parameters, inputs: inputs,
      classIndices: (0..<batchCount).map { b in Array(labels[(b * batchSize)..<((b + 1) * batchSize)]) })
  }

  /// The workload's tensors under their file names (`cnn.conv1.weight`, …, `cnn.labels`).
  public var tensors: [(name: String, tensor: Tensor)] {
    var tensors = Self.parameterShapes.compactMap { name, _ in parameters[name].map { ("cnn." + name, $0) } }
    tensors.append(
      ("cnn.inputs", Tensor(shape: [inputs.count, batchSize, Self.imageSize], scalars: inputs.flatMap(\.scalars))))
    tensors.append(
      ("cnn.labels", Tensor(shape: [classIndices.count, batchSize], scalars: classIndices.flatMap { $0.map(Float.init) })))
    return tensors
  }

  /// Reads the CNN part of a workload file: nil when the file has none (`cnn.inputs`
  /// absent: a file from before the CNN benchmark), else the checked workload.
  ///
  /// - Throws: a message saying which tensor is missing or has the wrong shape or values.
  static func decode(_ file: SafetensorsFile) throws(CNNWorkloadProblem) -> CNNWorkload? {
    guard let inputs = file["cnn.inputs"] else { return nil }
    var parameters: [String: Tensor] = [:]
    for (name, shape) in parameterShapes {
      guard let tensor = file["cnn." + name] else {
        throw CNNWorkloadProblem("tensor \"cnn.\(name)\" is missing (the file has cnn.inputs)")
      }
      guard tensor.shape == shape, tensor.scalars.allSatisfy(\.isFinite) else {
        throw CNNWorkloadProblem("tensor \"cnn.\(name)\" has shape \(tensor.shape) or non-finite values; expected \(shape)")
      }
      parameters[name] = tensor
    }
    guard inputs.rank == 3, inputs.shape[0] > 0, inputs.shape[1] > 0, inputs.shape[2] == imageSize else {
      throw CNNWorkloadProblem("tensor \"cnn.inputs\" has shape \(inputs.shape); expected [batches, batch, \(imageSize)]")
    }
    let (batches, batch) = (inputs.shape[0], inputs.shape[1])
    guard let labels = file["cnn.labels"], labels.shape == [batches, batch] else {
      throw CNNWorkloadProblem("tensor \"cnn.labels\" is missing or not [\(batches), \(batch)]")
    }
    guard labels.scalars.allSatisfy({ $0 >= 0 && $0 < Float(classCount) && $0.rounded() == $0 }) else {
      throw CNNWorkloadProblem("tensor \"cnn.labels\" holds a value that is not a class index 0…\(classCount - 1)")
    }
    guard inputs.scalars.allSatisfy(\.isFinite) else { throw CNNWorkloadProblem("tensor \"cnn.inputs\" holds NaN or infinite values") }
    let size = batch * imageSize
    return CNNWorkload(
      parameters: parameters,
      inputs: (0..<batches).map { b in
        Tensor(shape: [batch, imageSize], scalars: Array(inputs.scalars[(b * size)..<((b + 1) * size)]))
      },
      classIndices: (0..<batches).map { b in labels.scalars[(b * batch)..<((b + 1) * batch)].map { Int($0) } })
  }
}

/// What is wrong with a workload file's CNN part.
struct CNNWorkloadProblem: Error {
  let problem: String
  init(_ problem: String) { self.problem = problem }
}
