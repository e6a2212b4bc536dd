import Foundation
import Testing

@testable import Dendrite

/// Model files with convolution, pooling, reshaping, normalisation and residual layers:
/// PyTorch's names, batch norm's buffers (I64 `num_batches_tracked`), the loader's errors and
/// checkpoint resume.
@Suite("ModelFileLayerTests")
struct ModelFileLayerTests {
  /// Every layer type a model file stores, on rows of 36 = 1×6×6 pixels; module numbers as comments.
  static func everyLayerModel() -> Sequential {
    Sequential(seed: 3) {
      Unflatten(shape: [1, 6, 6])  // 0
      Conv2D(inChannels: 1, outChannels: 4, kernelSize: 3, padding: 1, activation: .relu)  // 1, 2
      BatchNorm(featureCount: 4, momentum: 0.2)  // 3: BatchNorm2d
      Residual {  // 4
        Conv2D(inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1)  // 4.0
        BatchNorm(featureCount: 4)  // 4.1
        ActivationLayer(.relu)  // 4.2
      }
      MaxPool2D(size: 2)  // 5: [N, 4, 3, 3]
      AveragePool2D(size: 2, stride: 1)  // 6: [N, 4, 2, 2]
      Flatten()  // 7: [N, 16]
      Dense(inputSize: 16, outputSize: 8, activation: .tanh)  // 8, 9
      BatchNorm(featureCount: 8, epsilon: 1e-3)  // 10: BatchNorm1d
      LayerNorm(featureCount: 8)  // 11
      Residual {  // 12
        Dense(inputSize: 8, outputSize: 8, activation: .relu)  // 12.0, 12.1
        Dropout(rate: 0.25)  // 12.2
      }
      Dense(inputSize: 8, outputSize: 3)  // 13
    }
  }

  /// `rows` rows of 36 values in [-1, 1).
  static func rows(_ count: Int, seed: UInt64) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor(shape: [count, 36], scalars: (0..<(count * 36)).map { _ in 2 * generator.nextUnitFloat() - 1 })
  }

  /// The every-layer model after two training passes, so its running statistics are not the initial ones.
  static func trainedEveryLayerModel() -> Sequential {
    let model = everyLayerModel()
    var context = ForwardContext(isTraining: true, seed: 9)
    _ = model.forward(rows(8, seed: 1), context: &context)
    _ = model.forward(rows(8, seed: 2), context: &context)
    return model
  }

  static let parameterNames = [
    "1.weight", "1.bias", "3.weight", "3.bias", "4.0.weight", "4.0.bias", "4.1.weight", "4.1.bias",
    "8.weight", "8.bias", "10.weight", "10.bias", "11.weight", "11.bias", "12.0.weight", "12.0.bias",
    "13.weight", "13.bias",
  ]
  static let bufferNames = [
    "3.running_mean", "3.running_var", "3.num_batches_tracked",
    "4.1.running_mean", "4.1.running_var", "4.1.num_batches_tracked",
    "10.running_mean", "10.running_var", "10.num_batches_tracked",
  ]

  static func file(_ model: Sequential = trainedEveryLayerModel()) throws -> ModelFile {
    try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3)
  }

  @Test("tensor names are PyTorch's nn.Sequential state_dict names: parameters, then buffers, I64 num_batches_tracked")
  func tensorNames() throws {
    let model = Self.trainedEveryLayerModel()
    #expect(model.parameterNames == Self.parameterNames)
    let file = try Self.file(model).safetensors()
    #expect(file.names == Self.parameterNames + Self.bufferNames)
    #expect(file["1.weight"]?.shape == [4, 1, 3, 3])
    #expect(file["4.0.weight"]?.shape == [4, 4, 3, 3])
    #expect(file["8.weight"]?.shape == [8, 16])
    #expect(file["10.running_var"]?.shape == [8])
    #expect(file["3.num_batches_tracked"] == Tensor(scalar: 2))
    for name in Self.bufferNames {
      #expect(file.elementType(of: name) == (name.hasSuffix("num_batches_tracked") ? .int64 : .float32), "\(name)")
    }
    #expect(file.elementType(of: "1.weight") == .float32)
  }

  @Test("dendrite.architecture lists every module, a residual block's nested, batch norm with its input rank")
  func architectureEntries() throws {
    let architecture = try Self.file().architecture
    let expected: [JSONValue] = [
      ["type": "unflatten", "shape": [1, 6, 6]],
      ["type": "conv2d", "in": 1, "out": 4, "kernel": [3, 3], "stride": 1, "padding": 1],
      ["type": "activation", "name": "relu"],
      ["type": "batchnorm", "features": 4, "momentum": .float(0.2), "epsilon": .float(1e-5), "input_rank": 4],
      [
        "type": "residual",
        "layers": [
          ["type": "conv2d", "in": 4, "out": 4, "kernel": [3, 3], "stride": 1, "padding": 1],
          ["type": "batchnorm", "features": 4, "momentum": .float(0.1), "epsilon": .float(1e-5), "input_rank": 4],
          ["type": "activation", "name": "relu"],
        ],
      ],
      ["type": "maxpool2d", "kernel": 2, "stride": 2],
      ["type": "avgpool2d", "kernel": 2, "stride": 1],
      ["type": "flatten"],
      ["type": "dense", "in": 16, "out": 8],
      ["type": "activation", "name": "tanh"],
      ["type": "batchnorm", "features": 8, "momentum": .float(0.1), "epsilon": .float(1e-3), "input_rank": 2],
      ["type": "layernorm", "features": 8, "epsilon": .float(1e-5)],
      [
        "type": "residual",
        "layers": [
          ["type": "dense", "in": 8, "out": 8], ["type": "activation", "name": "relu"],
          ["type": "dropout", "rate": .float(0.25)],
        ],
      ],
      ["type": "dense", "in": 8, "out": 3],
    ]
    #expect(architecture == expected)
  }

  @Test("save → load: identical predictions, parameters and buffers (num_batches_tracked too); input width from Unflatten")
  func roundTrip() throws {
    let model = Self.trainedEveryLayerModel()
    let rows = Self.rows(5, seed: 4)
    try withTemporaryDirectory { directory in
      let path = directory + "/every-layer.safetensors"
      try model.save(to: path, loss: .softmaxCrossEntropy, classCount: 3)
      let loaded = try ModelFile.load(from: path)
      #expect(loaded.inputSize == 36 && loaded.outputSize == 3)
      #expect(loaded.model.parameterNames == Self.parameterNames)
      #expect(loaded.model.parameterValues == model.parameterValues)
      #expect(loaded.model.buffers == model.buffers)
      #expect(loaded.model.buffers.keys.sorted() == Self.bufferNames.sorted())
      #expect(loaded.model.buffers["4.1.num_batches_tracked"] == Tensor(scalar: 2))
      let batchNorm = try #require(loaded.model.layers[2] as? BatchNorm)
      #expect(batchNorm.momentum == 0.2 && batchNorm.batchesTracked == 2)
      #expect(batchNorm.runningMean != Tensor.zeros(shape: [4]))
      #expect((loaded.model.layers[8] as? BatchNorm)?.epsilon == 1e-3)
      #expect((loaded.model.layers[1] as? Conv2D)?.activation == .relu)
      #expect(loaded.architecture == (try Self.file(model).architecture))
      let expected = try Self.file(model).predict(rows)
      #expect(loaded.predict(rows) == expected)
      #expect(expected == softmax(model(rows)))
      // The width comes from Unflatten: the architecture does not record "inputs".
      let metadata = try #require(try Self.file(model).safetensors().metadata["dendrite.architecture"])
      #expect(!metadata.contains("\"inputs\""))
      // Saved again, the bytes are the same.
      #expect(loaded.safetensors().encoded() == (try Self.file(model).safetensors().encoded()))
    }
  }

  @Test("the loader names a missing buffer, a buffer of the wrong shape, an extra one and a bad count")
  func bufferErrors() throws {
    let good = try Self.file().safetensors()
    var missing = good
    missing["3.running_var"] = nil
    #expect(throws: ModelFileError(.missingTensor("3.running_var", layer: "layer 3 (batchnorm 4)"))) {
      try ModelFile(safetensors: missing)
    }
    var missingNested = good
    missingNested["4.1.num_batches_tracked"] = nil
    #expect(throws: ModelFileError(.missingTensor("4.1.num_batches_tracked", layer: "layer 4.1 (batchnorm 4)"))) {
      try ModelFile(safetensors: missingNested)
    }
    var wrongShape = good
    wrongShape["10.running_mean"] = Tensor([1, 2, 3])
    #expect(
      throws: ModelFileError(.wrongTensorShape("10.running_mean", shape: [3], expected: [8], layer: "layer 10 (batchnorm 8)"))
    ) { try ModelFile(safetensors: wrongShape) }
    var wrongCountShape = good
    wrongCountShape.setTensor(Tensor([2]), named: "3.num_batches_tracked", as: .int64)
    #expect(
      throws: ModelFileError(
        .wrongTensorShape("3.num_batches_tracked", shape: [1], expected: [], layer: "layer 3 (batchnorm 4)"))
    ) { try ModelFile(safetensors: wrongCountShape) }
    var extra = good
    extra["11.running_mean"] = Tensor(repeating: 0, shape: [8])
    #expect(throws: ModelFileError(.unexpectedTensor("11.running_mean"))) { try ModelFile(safetensors: extra) }
    var fractional = good
    fractional["10.num_batches_tracked"] = Tensor(scalar: 2.5)
    #expect(
      throws: ModelFileError(
        .invalidField(tensor: "10.num_batches_tracked", field: "data", expected: "a non-negative whole number of batches"))
    ) { try ModelFile(safetensors: fractional) }
    var integerWeight = good
    integerWeight.setTensor(Tensor(repeating: 1, shape: [8]), named: "11.weight", as: .int64)
    #expect(throws: ModelFileError(.unsupportedDType(tensor: "11.weight", dtype: "I64"))) {
      try ModelFile(safetensors: integerWeight)
    }
    #expect(try ModelFile(safetensors: good).model.buffers == Self.trainedEveryLayerModel().buffers)
  }

  @Test("the loader names an unknown layer type, top level or inside a residual block, and bad options")
  func architectureErrors() throws {
    let good = try Self.file().safetensors()
    func editing(_ old: String, _ new: String) -> SafetensorsFile {
      var file = good
      file.metadata["dendrite.architecture"] = file.metadata["dendrite.architecture"]?
        .replacingOccurrences(of: old, with: new)
      return file
    }
    func invalid(_ problem: String) -> ModelFileError {
      ModelFileError(.invalidMetadata(key: "dendrite.architecture", problem: problem))
    }
    #expect(throws: invalid("layer 11 has unknown type \"groupnorm\"")) {
      try ModelFile(safetensors: editing("\"layernorm\"", "\"groupnorm\""))
    }
    #expect(throws: invalid("layer 12.2 has unknown type \"alphadropout\"")) {
      try ModelFile(safetensors: editing("\"dropout\"", "\"alphadropout\""))
    }
    #expect(throws: invalid("maxpool2d layer 5 needs positive integers \"kernel\" and \"stride\"")) {
      try ModelFile(safetensors: editing(#""kernel":2,"stride":2"#, #""kernel":0,"stride":2"#))
    }
    #expect(
      throws: invalid(
        "batchnorm layer 3 needs a positive integer \"features\", a \"momentum\" in [0, 1] and an \"epsilon\" ≥ 0")
    ) { try ModelFile(safetensors: editing("\"momentum\":0.2", "\"momentum\":2")) }
    #expect(throws: invalid("unflatten layer 0 needs a \"shape\" of positive integers, such as [1, 28, 28]")) {
      try ModelFile(safetensors: editing("\"shape\":[1,6,6]", "\"shape\":[1,0,6]"))
    }
  }

  @Test("I64 tensors: written as little-endian 64-bit integers, read back; other dtypes stay an error")
  func int64Tensors() throws {
    var file = SafetensorsFile()
    file.setTensor(Tensor(scalar: 258), named: "n", as: .int64)
    let bytes = file.encoded()
    let header = #"{"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}"#
    #expect(String(decoding: bytes[8..<(8 + header.utf8.count)], as: UTF8.self) == header)
    #expect(Array(bytes.suffix(8)) == [2, 1, 0, 0, 0, 0, 0, 0])
    let back = try SafetensorsFile(bytes: bytes)
    #expect(back == file)
    #expect(back["n"] == Tensor(scalar: 258) && back.elementType(of: "n") == .int64)
    var huge = bytes
    huge[huge.count - 1] = 1  // 2^56 + 258: a float cannot hold it exactly
    #expect(throws: ModelFileError(.invalidField(tensor: "n", field: "data", expected: "I64 values within ±2^24 (got 72057594037928194)"))) {
      try SafetensorsFile(bytes: huge)
    }
  }

  @Test("a model that starts with Conv2D is refused with the advice to start with Unflatten")
  func convolutionFirst() {
    let model = Sequential(seed: 1) {
      Conv2D(inChannels: 1, outChannels: 2, kernelSize: 3)
      Flatten()
      Dense(inputSize: 32, outputSize: 2)
    }
    #expect(
      throws: ModelFileError(
        .inconsistent(
          "the model starts with Conv2D, which takes images [N, C, H, W], but a model file feeds rows [N, features]: "
            + "start the model with Unflatten(shape: [C, H, W])"))
    ) { try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 2, inputSize: 36) }
  }

  @Test("ModelDescription names the new layers on one line each")
  func descriptions() {
    let lines = ModelDescription(Self.everyLayerModel()).entries.map(\.kind.description)
    #expect(
      lines == [
        "unflatten 1×6×6", "conv2d 1→4 3×3 padding 1, relu", "batchnorm 4", "residual (3 layers)",
        "conv2d 4→4 3×3 padding 1", "batchnorm 4", "activation relu", "maxpool 2", "avgpool 2 stride 1", "flatten",
        "dense 16→8, tanh", "batchnorm 8", "layernorm 8", "residual (2 layers)", "dense 8→8, relu", "dropout 0.25",
        "dense 8→3",
      ])
    #expect(ModelDescription(Self.everyLayerModel()).widths == nil)
    #expect(ModelDescription(Self.everyLayerModel()).entries[4].path == "layer 3 (Residual) › layer 0 (Conv2D)")
  }

  @Test("a checkpoint keeps batch norm's statistics: 2 epochs, resume, 2 more = 4 epochs straight")
  func checkpointResume() throws {
    let data = try threeClassData(rows: 24)
    func model() -> Sequential {
      Sequential(seed: 8) {
        Dense(inputSize: 4, outputSize: 6)
        BatchNorm(featureCount: 6)
        ActivationLayer(.relu)
        Dense(inputSize: 6, outputSize: 3)
      }
    }
    var straight = model()
    var optimizer = SGD(learningRate: 0.1)
    _ = try straight.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 4, batchSize: 8, seed: 5)
    try withTemporaryDirectory { directory in
      let path = directory + "/checkpoint.safetensors"
      var first = model()
      var firstOptimizer = SGD(learningRate: 0.1)
      let checkpoint = ModelCheckpoint(path: path, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: .none)
      _ = try first.fit(
        data, loss: .softmaxCrossEntropy, optimizer: &firstOptimizer, epochs: 2, batchSize: 8, seed: 5,
        callbacks: [checkpoint])
      let saved = try ModelFile.load(from: path)
      #expect(saved.model.buffers == first.buffers)
      #expect(saved.model.buffers["1.num_batches_tracked"] == Tensor(scalar: 6))  // 2 epochs × 3 batches
      var resumed = saved.model
      var resumedOptimizer = SGD(learningRate: 0.1)
      _ = try resumed.fit(
        data, loss: .softmaxCrossEntropy, optimizer: &resumedOptimizer, epochs: 2, batchSize: 8, seed: 5, startEpoch: 2)
      #expect(resumed.buffers["1.num_batches_tracked"] == Tensor(scalar: 12))
      for (name, value) in straight.buffers {
        let other = try #require(resumed.buffers[name])
        #expect(other.isApproximatelyEqual(to: value, tolerance: 1e-5), "\(name)")
      }
      #expect(zip(resumed.parameterValues, straight.parameterValues).allSatisfy { $0.isApproximatelyEqual(to: $1, tolerance: 1e-5) })
    }
  }

  /// Writes the every-layer model file, rows to predict and PyTorch's check inputs into the
  /// folder `DENDRITE_TORCH_CHECK_DIR` names (for `.ci/run`'s PyTorch check); without it,
  /// into a temporary folder, and reads the file back.
  @Test("the every-layer model file for the PyTorch check (DENDRITE_TORCH_CHECK_DIR)")
  func torchCheckFixture() throws {
    let model = Self.trainedEveryLayerModel()
    let rows = Self.rows(6, seed: 11)
    func write(to directory: String) throws {
      let path = directory + "/every-layer.safetensors"
      try model.save(to: path, loss: .softmaxCrossEntropy, classCount: 3)
      let csv = (0..<rows.shape[0]).map { row in
        (0..<36).map { "\(rows.scalars[row * 36 + $0])" }.joined(separator: ",")
      }.joined(separator: "\n") + "\n"
      try csv.write(toFile: directory + "/every-layer-rows.csv", atomically: true, encoding: .utf8)
      #expect(try ModelFile.load(from: path).predict(rows) == softmax(model(rows)))
    }
    if let directory = ProcessInfo.processInfo.environment["DENDRITE_TORCH_CHECK_DIR"] {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      try write(to: directory)
    } else {
      try withTemporaryDirectory(write)
    }
  }
}
