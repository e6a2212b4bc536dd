import Foundation
import Testing

@testable import Dendrite

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite("ModelFileTests")
struct ModelFileTests {
  // MARK: Safetensors

  @Test("encode → decode keeps names, order, shapes, bit patterns and metadata; re-encoding gives the same bytes")
  func safetensorsRoundTrip() throws {
    let special: [Float] = [.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
    let file = SafetensorsFile(
      tensors: [
        ("z.first", Tensor([[1.5, -2], [3, 4e-8]])), ("a.second", Tensor(special)),
        ("scalar", Tensor(scalar: 7)), ("empty", Tensor(shape: [0, 3], scalars: [])),
      ],
      metadata: ["note": "quote \" backslash \\ newline \n ü", "dendrite.format_version": "1"])
    let bytes = file.encoded()
    let decoded = try SafetensorsFile(bytes: bytes)
    #expect(decoded.names == ["z.first", "a.second", "scalar", "empty"])
    #expect(decoded.metadata == file.metadata)
    #expect(decoded["scalar"]?.shape == [])
    #expect(decoded["empty"]?.shape == [0, 3])
    #expect(decoded["a.second"]?.scalars.map(\.bitPattern) == special.map(\.bitPattern))
    #expect(decoded["z.first"] == Tensor([[1.5, -2], [3, 4e-8]]))
    #expect(decoded.encoded() == bytes)
  }

  @Test("layout: u64 LE header length, compact JSON padded with spaces to 8, LE float data")
  func safetensorsLayout() throws {
    let bytes = SafetensorsFile(tensors: [("a", Tensor([1, -2]))]).encoded()
    let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    #expect(header.utf8.count == 54)
    #expect(Array(bytes[0..<8]) == [56, 0, 0, 0, 0, 0, 0, 0])
    #expect(String(decoding: bytes[8..<64], as: UTF8.self) == header + "  ")
    #expect(Array(bytes[64...]) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
  }

  @Test("the header is byte for byte what Python's safetensors 0.8 writes for the same tensors")
  func safetensorsMatchesPython() throws {
    // safetensors.numpy.save({"0.weight": arange(6).reshape(2, 3), "0.bias": [1, 2]}, metadata={"x": '{"a": 1}'})
    let file = SafetensorsFile(
      tensors: [("0.bias", Tensor([1, 2])), ("0.weight", Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))],
      metadata: ["x": #"{"a": 1}"#])
    let python =
      #"{"__metadata__":{"x":"{\"a\": 1}"},"0.bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
      + #""0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]}}    "#
    let bytes = file.encoded()
    #expect(bytes.count == 200)
    #expect(Array(bytes[0..<8]) == [0xA0, 0, 0, 0, 0, 0, 0, 0])
    #expect(String(decoding: bytes[8..<168], as: UTF8.self) == python)
  }

  @Test("malformed files give their error", arguments: MalformedSafetensorsCase.all)
  func malformed(_ testCase: MalformedSafetensorsCase) {
    #expect(throws: ModelFileError(testCase.reason)) { try SafetensorsFile(bytes: testCase.bytes) }
  }

  @Test("a shape that disagrees with its data reads as one line: where, what, hint")
  func shapeMismatchMessage() {
    let bytes = rawFile(#"{"2.weight":{"dtype":"F32","shape":[10,32],"data_offsets":[0,1200]}}"#, dataBytes: 1200)
    do throws(ModelFileError) {
      _ = try SafetensorsFile(bytes: bytes)
      Issue.record("a mismatched shape was accepted")
    } catch {
      #expect(
        error.inFile("model.safetensors").description
          == #"model.safetensors: tensor "2.weight" has shape [10, 32] but its data holds 300 floats (file truncated?)"#
      )
    }
  }

  // MARK: Model files

  @Test("save → load gives identical parameters, preprocessing and predictions (2 layers, standardization)")
  func saveLoadRoundTrip() throws {
    let (model, scaling, rows) = classifier()
    try withTemporaryDirectory { directory in
      let path = directory + "/model.safetensors"
      try model.save(to: path, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling)
      let loaded = try ModelFile.load(from: path)
      #expect(loaded.model.parameterNames == ["0.weight", "0.bias", "2.weight", "2.bias"])
      #expect(loaded.model.parameterValues == model.parameterValues)
      #expect(try loaded.architecture == ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3).architecture)
      #expect(loaded.preprocessing == scaling)
      #expect(loaded.loss == .softmaxCrossEntropy)
      #expect(loaded.classCount == 3)
      #expect(loaded.optimizer == nil)
      let original = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling)
      let probabilities = loaded.predict(rows)
      #expect(probabilities == original.predict(rows))
      #expect(probabilities == softmax(model(scaling.apply(rows))))
      #expect(probabilities.sum(alongAxis: 1).isApproximatelyEqual(to: Tensor([1, 1, 1, 1]), tolerance: 1e-6))
    }
  }

  @Test("metadata holds format version, architecture, loss, classes, task, outputs and preprocessing as JSON")
  func metadataContents() throws {
    let (model, scaling, _) = classifier()
    let file = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling)
      .safetensors()
    #expect(file.names == ["0.weight", "0.bias", "2.weight", "2.bias"])
    #expect(file["0.weight"]?.shape == [5, 4])
    #expect(Set(file.metadata.keys) == ["dendrite.format_version", "dendrite.architecture", "dendrite.preprocessing"])
    #expect(file.metadata["dendrite.format_version"] == "1")
    let architecture: JSONValue = [
      "layers": [
        ["type": "dense", "in": 4, "out": 5], ["type": "activation", "name": "relu"],
        ["type": "dense", "in": 5, "out": 3],
      ],
      "output_activation": "softmax", "loss": "softmax-cross-entropy", "classes": 3, "task": "classification",
      "outputs": 3,
    ]
    #expect(try json(file.metadata["dendrite.architecture"]) == architecture)
    #expect(
      file.metadata["dendrite.architecture"]
        == #"{"classes":3,"layers":[{"in":4,"out":5,"type":"dense"},{"name":"relu","type":"activation"},"#
        + #"{"in":5,"out":3,"type":"dense"}],"loss":"softmax-cross-entropy","output_activation":"softmax","#
        + #""outputs":3,"task":"classification"}"#)
    #expect(
      try json(file.metadata["dendrite.preprocessing"])
        == ["kind": "standardize", "mean": [1.5, -2, 0.25, 10], "std": [2, 0.5, 1, 4]])
  }

  @Test("a regression file says classes null, task regression, no output activation; min-max round-trips")
  func regressionMetadata() throws {
    let model = Sequential(seed: 3) {
      Dense(inputSize: 2, outputSize: 4, activation: .tanh)
      Dense(inputSize: 4, outputSize: 1)
    }
    let scaling = Preprocessing.minMax(minimum: [0, -1], maximum: [10, 1])
    let file = try ModelFile(model: model, loss: .meanSquaredError, classCount: nil, preprocessing: scaling)
    let architecture = try json(file.safetensors().metadata["dendrite.architecture"])
    #expect(architecture["classes"] == .null)
    #expect(architecture["task"] == "regression")
    #expect(architecture["output_activation"] == "none")
    #expect(architecture["loss"] == "mse")
    #expect(
      try json(file.safetensors().metadata["dendrite.preprocessing"]) == [
        "kind": "min-max", "min": [0, -1], "max": [10, 1],
      ])
    let loaded = try ModelFile(safetensors: SafetensorsFile(bytes: file.safetensors().encoded()))
    #expect(loaded.task == .regression && loaded.classCount == nil)
    #expect(loaded.preprocessing == scaling)
    let rows = Tensor([[5, 0], [0, 1]])
    #expect(loaded.predict(rows) == model(scaling.apply(rows)))
  }

  @Test("predict applies softmax, sigmoid, exp after log-softmax, or nothing")
  func predictOutputActivation() throws {
    let weight = Tensor([[1, 0], [0, 1], [1, 1]])
    let row = Tensor([[1, 2]])  // logits [1, 2, 3]
    let expected = Tensor([[0.09003057, 0.24472847, 0.66524096]])
    let logits = Sequential(layers: [Dense(weight: weight, bias: Tensor([0, 0, 0]))])
    let softmaxFile = try ModelFile(model: logits, loss: .softmaxCrossEntropy, classCount: 3)
    #expect(softmaxFile.outputActivation == .softmax)
    #expect(softmaxFile.predict(row).isApproximatelyEqual(to: expected, tolerance: 1e-6))
    let logSoftmax = Sequential(layers: [Dense(weight: weight, bias: Tensor([0, 0, 0]), activation: .logSoftmax)])
    let nllFile = try ModelFile(model: logSoftmax, loss: .negativeLogLikelihood, classCount: 3)
    #expect(nllFile.outputActivation == nil)
    #expect(nllFile.predict(row).isApproximatelyEqual(to: expected, tolerance: 1e-6))
    let oneLogit = Sequential(layers: [Dense(weight: Tensor([[1, -1]]), bias: Tensor([0.5]))])
    let binary = try ModelFile(model: oneLogit, loss: .sigmoidCrossEntropy, classCount: 2)
    #expect(binary.predict(row).isApproximatelyEqual(to: Tensor([[0.37754067]]), tolerance: 1e-6))  // σ(−0.5)
    let regression = try ModelFile(model: oneLogit, loss: .huber, classCount: nil)
    #expect(regression.predict(row) == Tensor([[-0.5]]))
  }

  @Test("dropout and standalone activations rebuild with the same module numbering")
  func dropoutAndActivationLayers() throws {
    let model = Sequential(seed: 9) {
      Dense(inputSize: 3, outputSize: 6, activation: .gelu)
      Dropout(rate: 0.25)
      ActivationLayer(.tanh)
      Dense(inputSize: 6, outputSize: 2, activation: .sigmoid)
    }
    let bytes = try ModelFile(model: model, loss: .binaryCrossEntropy, classCount: 2).safetensors().encoded()
    #expect(try SafetensorsFile(bytes: bytes).names == ["0.weight", "0.bias", "4.weight", "4.bias"])
    let loaded = try ModelFile(safetensors: SafetensorsFile(bytes: bytes))
    #expect(try loaded.architecture == ModelFile(model: model, loss: .binaryCrossEntropy, classCount: 2).architecture)
    #expect(loaded.model.parameterNames == ["0.weight", "0.bias", "4.weight", "4.bias"])
    #expect(loaded.model.layers.count == 4)
    let rows = Tensor([[0.5, -1, 2]])
    #expect(loaded.predict(rows) == model(rows))
  }

  @Test("a model file re-saved by Python's safetensors (tensors sorted by name, spaced JSON) loads and predicts")
  func pythonWrittenFile() throws {
    // safetensors.numpy.save of 0.weight [[1, 2], [3, -4]], 0.bias [0.5, -0.5], 2.weight [[1, -1]], 2.bias [0.25]
    // with json.dumps metadata: dense 2→2, relu, dense 2→1, sigmoid-cross-entropy, standardize mean [1, 2], std [2, 0.5].
    let base64 =
      "mAIAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJkZW5kcml0ZS5mb3JtYXRfdmVyc2lvbiI6IjEiLCJkZW5kcml0ZS5wcmVwcm9jZXNzaW5nIjoie1wia2lu"
      + "ZFwiOiBcInN0YW5kYXJkaXplXCIsIFwibWVhblwiOiBbMS4wLCAyLjBdLCBcInN0ZFwiOiBbMi4wLCAwLjVdfSIsImRlbmRyaXRlLmFyY2hpdGVjdHVy"
      + "ZSI6IntcImxheWVyc1wiOiBbe1widHlwZVwiOiBcImRlbnNlXCIsIFwiaW5cIjogMiwgXCJvdXRcIjogMn0sIHtcInR5cGVcIjogXCJhY3RpdmF0aW9u"
      + "XCIsIFwibmFtZVwiOiBcInJlbHVcIn0sIHtcInR5cGVcIjogXCJkZW5zZVwiLCBcImluXCI6IDIsIFwib3V0XCI6IDF9XSwgXCJvdXRwdXRfYWN0aXZh"
      + "dGlvblwiOiBcInNpZ21vaWRcIiwgXCJsb3NzXCI6IFwic2lnbW9pZC1jcm9zcy1lbnRyb3B5XCIsIFwiY2xhc3Nlc1wiOiAyfSJ9LCIwLmJpYXMiOnsi"
      + "ZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlswLDhdfSwiMC53ZWlnaHQiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsMl0s"
      + "ImRhdGFfb2Zmc2V0cyI6WzgsMjRdfSwiMi5iaWFzIjp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsxXSwiZGF0YV9vZmZzZXRzIjpbMjQsMjhdfSwiMi53"
      + "ZWlnaHQiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzEsMl0sImRhdGFfb2Zmc2V0cyI6WzI4LDM2XX19ICAgAAAAPwAAAL8AAIA/AAAAQAAAQEAAAIDA"
      + "AACAPgAAgD8AAIC/"
    let bytes = try #require(Data(base64Encoded: base64))
    let file = try ModelFile(safetensors: SafetensorsFile(bytes: [UInt8](bytes)))
    #expect(file.model.parameterNames == ["0.weight", "0.bias", "2.weight", "2.bias"])
    #expect(file.model.parameters["0.weight"] == Tensor([[1, 2], [3, -4]]))
    #expect(file.loss == .sigmoidCrossEntropy && file.classCount == 2 && file.outputActivation == .sigmoid)
    #expect(file.preprocessing == .standardize(mean: [1, 2], standardDeviation: [2, 0.5]))
    // scaled [1, 1] → hidden relu([3.5, −1.5]) = [3.5, 0] → logit 3.75 → σ = 0.97702263
    #expect(file.predict(Tensor([[3, 2.5]])).isApproximatelyEqual(to: Tensor([[0.97702263]]), tolerance: 1e-6))
  }

  @Test("a file without dendrite.architecture (PyTorch-written) gets an error that says so")
  func pyTorchFile() throws {
    let bytes = SafetensorsFile(tensors: [("0.weight", Tensor([[1, 2]])), ("0.bias", Tensor([0]))]).encoded()
    let file = try SafetensorsFile(bytes: bytes)
    #expect(throws: ModelFileError(.notADendriteModel)) { try ModelFile(safetensors: file) }
    #expect(ModelFileError(.notADendriteModel, file: "net.safetensors").description.contains("PyTorch"))
  }

  @Test("a missing, misshapen or extra tensor is an error naming it")
  func tensorMismatches() throws {
    let (model, scaling, _) = classifier()
    let good = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling)
      .safetensors()

    var missing = good
    missing["2.bias"] = nil
    #expect(throws: ModelFileError(.missingTensor("2.bias", layer: "layer 2 (dense 5 → 3)"))) {
      try ModelFile(safetensors: missing)
    }
    var misshapen = good
    misshapen["0.weight"] = Tensor.zeros(shape: [4, 5])
    #expect(
      throws: ModelFileError(
        .wrongTensorShape("0.weight", shape: [4, 5], expected: [5, 4], layer: "layer 0 (dense 4 → 5)"))
    ) { try ModelFile(safetensors: misshapen) }
    var extra = good
    extra["1.weight"] = Tensor([1])
    #expect(throws: ModelFileError(.unexpectedTensor("1.weight"))) { try ModelFile(safetensors: extra) }
  }

  @Test("bad metadata: another format version, unknown layer, loss or activation, chained widths, outputs")
  func badMetadata() throws {
    let (model, _, _) = classifier()
    let good = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3).safetensors()
    func load(_ key: String, _ value: String) throws(ModelFileError) {
      var file = good
      file.metadata[key] = value
      _ = try ModelFile(safetensors: file)
    }
    #expect(throws: ModelFileError(.unsupportedFormatVersion("2"))) { try load("dendrite.format_version", "2") }
    let arch = "dendrite.architecture"
    let layers =
      #"[{"type":"dense","in":4,"out":5},{"type":"activation","name":"relu"},{"type":"dense","in":5,"out":3}]"#
    let cases: [(String, String)] = [
      (#"{"layers":[{"type":"conv3d"}],"loss":"mse"}"#, #"layer 0 has unknown type "conv3d""#),
      (#"{"layers":\#(layers),"loss":"hinge","classes":3}"#, #"unknown loss "hinge""#),
      (
        #"{"layers":[{"type":"dense","in":4,"out":5},{"type":"activation","name":"linear"}],"loss":"mse"}"#,
        "activation layer 1 has unknown name \"linear\""
      ),
      (
        #"{"layers":[{"type":"dense","in":4,"out":5},{"type":"dense","in":4,"out":3}],"loss":"mse"}"#,
        "dense layer 1 takes 4 inputs but the layer before has 5 units"
      ),
      (
        #"{"layers":\#(layers),"loss":"softmax-cross-entropy","classes":3,"outputs":4}"#,
        #""outputs" is 4 but the last dense layer has 3 units"#
      ),
      (
        #"{"layers":\#(layers),"loss":"softmax-cross-entropy","classes":3,"output_activation":"sigmoid"}"#,
        #"implies "softmax""#
      ),
      (
        #"{"layers":\#(layers),"loss":"softmax-cross-entropy","classes":3,"task":"regression"}"#,
        #""task" is "regression""#
      ),
      ("{not json", "not valid JSON"),
    ]
    for (text, message) in cases {
      do throws(ModelFileError) {
        try load(arch, text)
        Issue.record("accepted \(text)")
      } catch {
        guard case .invalidMetadata(arch, let problem) = error.reason else {
          Issue.record("\(text): \(error)")
          continue
        }
        #expect(problem.contains(message), "\(problem)")
      }
    }
    #expect(
      throws: ModelFileError(
        .inconsistent("the model has 3 outputs but there are 10 classes (expected 10 outputs, or 1 for two classes)"))
    ) {
      try load(arch, #"{"layers":\#(layers),"loss":"softmax-cross-entropy","classes":10}"#)
    }
    #expect(throws: ModelFileError.self) {
      try load("dendrite.preprocessing", #"{"kind":"standardize","mean":[0,0,0],"std":[1,1,1]}"#)
    }
    #expect(throws: ModelFileError.self) { try load("dendrite.preprocessing", #"{"kind":"whiten"}"#) }
  }

  @Test("saving an inconsistent model throws and writes nothing")
  func inconsistentSave() throws {
    let (model, _, _) = classifier()
    try withTemporaryDirectory { directory in
      let path = directory + "/model.safetensors"
      #expect(throws: ModelFileError.self) { try model.save(to: path, loss: .softmaxCrossEntropy, classCount: 10) }
      #expect(throws: ModelFileError.self) { try model.save(to: path, loss: .softmaxCrossEntropy, classCount: nil) }
      #expect(throws: ModelFileError.self) {
        try model.save(
          to: path, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: .minMax(minimum: [0], maximum: [1]))
      }
      #expect(!FileManager.default.fileExists(atPath: path))
      // A nested model is not inconsistent: it is stored flat.
      let nested = Sequential(layers: [model, Dense(inputSize: 3, outputSize: 2)])
      try nested.save(to: path, loss: .softmaxCrossEntropy, classCount: 2)
      #expect(try ModelFile.load(from: path).model.layers.count == Sequential(flatteningNested: nested).layers.count)
    }
  }

  @Test("a checkpoint stores optimizer slots as optimizer.* tensors and resume info; plain saves have none")
  func checkpointRoundTrip() throws {
    let (model, scaling, _) = classifier()
    let slots = ["0.weight.m": Tensor(repeating: 0.5, shape: [5, 4]), "2.bias.v": Tensor([1, 2, 3])]
    let optimizer = ModelFile.OptimizerCheckpoint(
      name: "adam", learningRate: 1e-3, state: OptimizerState(step: 120, slots: slots))
    let training: JSONValue = ["epoch": 7, "seed": 42, "options": ["batch_size": 32]]
    let checkpoint = try ModelFile(
      model: model, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling, optimizer: optimizer,
      training: training)
    let file = checkpoint.safetensors()
    #expect(file.names == ["0.weight", "0.bias", "2.weight", "2.bias", "optimizer.0.weight.m", "optimizer.2.bias.v"])
    #expect(try json(file.metadata["dendrite.optimizer"]) == ["name": "adam", "learning_rate": 0.001, "step": 120])
    let loaded = try ModelFile(safetensors: SafetensorsFile(bytes: file.encoded()))
    #expect(loaded.optimizer == optimizer)
    #expect(loaded.training == training)
    #expect(loaded.model.parameterValues == model.parameterValues)
    let resumed = loaded.optimizer?.makeOptimizer()
    #expect(resumed?.name == "adam" && resumed?.state == optimizer.state && resumed?.learningRate == 1e-3)

    var orphan = file
    orphan.metadata["dendrite.optimizer"] = nil
    #expect(throws: ModelFileError.self) { try ModelFile(safetensors: orphan) }
    var misshapen = file
    misshapen["optimizer.2.bias.v"] = Tensor([1, 2])
    #expect(
      throws: ModelFileError(
        .wrongTensorShape("optimizer.2.bias.v", shape: [2], expected: [3], layer: "parameter 2.bias"))
    ) { try ModelFile(safetensors: misshapen) }

    try withTemporaryDirectory { directory in
      try model.save(to: directory + "/plain.safetensors", loss: .softmaxCrossEntropy, classCount: 3)
      let plain = try SafetensorsFile(
        bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/plain.safetensors"))))
      #expect(plain.names == ["0.weight", "0.bias", "2.weight", "2.bias"])
      #expect(plain.metadata["dendrite.optimizer"] == nil)
    }
  }

  @Test("loading a missing file or a folder names the path")
  func loadErrors() throws {
    #expect(throws: ModelFileError(.cannotRead("no such file (check the path)"), file: "/nonexistent/m.safetensors")) {
      try ModelFile.load(from: "/nonexistent/m.safetensors")
    }
    try withTemporaryDirectory { directory in
      #expect(throws: ModelFileError.self) { try ModelFile.load(from: directory) }
      let path = directory + "/bad.safetensors"
      try AtomicFile.write([1, 2, 3], to: path)
      #expect(throws: ModelFileError(.tooShort(byteCount: 3), file: path)) { try ModelFile.load(from: path) }
    }
  }

  // MARK: Atomic writes

  @Test("atomic write creates and replaces the file with exactly the bytes, leaving no temporary file")
  func atomicWrite() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/out.bin"
      try AtomicFile.write([1, 2, 3], to: path)
      try AtomicFile.write([9, 8], to: path)
      try AtomicFile.write([], to: directory + "/empty.bin")
      #expect(FileManager.default.contents(atPath: path) == Data([9, 8]))
      #expect(FileManager.default.contents(atPath: directory + "/empty.bin") == Data())
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["empty.bin", "out.bin"])
    }
  }

  @Test("a missing folder is an error that says so; a failure before the rename keeps the old file")
  func atomicWriteFailures() throws {
    try withTemporaryDirectory { directory in
      let missing = directory + "/no/such/model.safetensors"
      #expect(
        throws: AtomicFileError(
          path: missing, reason: "cannot write: the folder \(directory)/no/such does not exist (create it first)")
      ) {
        try AtomicFile.write([1], to: missing)
      }
      #expect(throws: AtomicFileError.self) { try AtomicFile.write([1], to: directory) }
      let path = directory + "/model.safetensors"
      try AtomicFile.write([1, 2, 3], to: path)
      let injected = AtomicFileError(path: path, reason: "injected")
      #expect(throws: injected) {
        try AtomicFile.write([7, 7, 7, 7], to: path) { () throws(AtomicFileError) in throw injected }
      }
      #expect(FileManager.default.contents(atPath: path) == Data([1, 2, 3]))
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.safetensors"])
    }
  }

  @Test("an unwritable folder is a permission error and the previous file stays intact", .enabled(if: getuid() != 0, "root ignores folder permissions, so this runs only as another user (CI runs as root)"))
  func atomicWriteUnwritableFolder() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/model.safetensors"
      try AtomicFile.write([1, 2, 3], to: path)
      chmod(directory, 0o555)
      defer { chmod(directory, 0o755) }
      do throws(AtomicFileError) {
        try AtomicFile.write([4, 5, 6], to: path)
        Issue.record("wrote into a read-only folder")
      } catch {
        #expect(error.reason.contains("permission denied"))
      }
      #expect(FileManager.default.contents(atPath: path) == Data([1, 2, 3]))
    }
  }

  // MARK: Cross-check with Python

  /// Writes model files, inputs and Dendrite's predictions for `Scripts/check_model_file.py`
  /// when `DENDRITE_MODEL_CHECK_DIR` names a folder:
  ///
  ///     DENDRITE_MODEL_CHECK_DIR=/tmp/mc swift test --filter ModelFileTests
  ///     python3 Scripts/check_model_file.py /tmp/mc/classifier.safetensors /tmp/mc/classifier.csv /tmp/mc/classifier.json
  @Test(
    "exports fixtures for Scripts/check_model_file.py",
    .enabled(
      if: ProcessInfo.processInfo.environment["DENDRITE_MODEL_CHECK_DIR"] != nil,
      "writes fixtures for the Python check by hand; .ci/run checks a CLI-trained model instead"))
  func exportPythonFixtures() throws {
    let directory = ProcessInfo.processInfo.environment["DENDRITE_MODEL_CHECK_DIR"] ?? "."
    var generator = RandomGenerator(seed: 5)
    let rows = Tensor(shape: [6, 4], scalars: (0..<24).map { _ in 6 * generator.nextUnitFloat() - 3 })
    let (model, scaling, _) = classifier()
    let activations = Sequential(seed: 11) {
      Dense(inputSize: 4, outputSize: 5, activation: .leakyRelu)
      Dense(inputSize: 5, outputSize: 5, activation: .elu)
      Dense(inputSize: 5, outputSize: 5, activation: .selu)
      Dropout(rate: 0.5)
      Dense(inputSize: 5, outputSize: 5, activation: .gelu)
      Dense(inputSize: 5, outputSize: 5, activation: .swish)
      ActivationLayer(.softplus)
      Dense(inputSize: 5, outputSize: 5, activation: .sigmoid)
      Dense(inputSize: 5, outputSize: 2)
    }
    let files: [(String, ModelFile)] = [
      ("classifier", try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 3, preprocessing: scaling)),
      (
        "activations",
        try ModelFile(model: activations, loss: .meanSquaredError, classCount: nil, preprocessing: .fitMinMax(rows))
      ),
      (
        "nll",
        try ModelFile(
          model: Sequential(seed: 2) { Dense(inputSize: 4, outputSize: 3, activation: .logSoftmax) },
          loss: .negativeLogLikelihood, classCount: 3)
      ),
      (
        "binary",
        try ModelFile(
          model: Sequential(seed: 4) { Dense(inputSize: 4, outputSize: 1) }, loss: .sigmoidCrossEntropy, classCount: 2)
      ),
    ]
    let csv =
      "a,b,c,d\n"
      + (0..<6).map { r in (0..<4).map { "\(rows.scalars[r * 4 + $0])" }.joined(separator: ",") }.joined(
        separator: "\n")
    for (name, file) in files {
      try file.save(to: "\(directory)/\(name).safetensors")
      try AtomicFile.write(Array(csv.utf8), to: "\(directory)/\(name).csv")
      let outputs = file.predict(rows)
      let width = outputs.shape[1]
      let expected: JSONValue = [
        "outputs": .array((0..<6).map { .floats(Array(outputs.scalars[($0 * width)..<(($0 + 1) * width)])) })
      ]
      try AtomicFile.write(Array(JSONText.encode(expected).utf8), to: "\(directory)/\(name).json")
    }
  }
}

// MARK: - Helpers

/// A 4 → 5 (ReLU) → 3 classifier, its standardization and four raw rows.
private func classifier() -> (Sequential, Preprocessing, Tensor) {
  let model = Sequential(seed: 7) {
    Dense(inputSize: 4, outputSize: 5, activation: .relu)
    Dense(inputSize: 5, outputSize: 3)
  }
  let scaling = Preprocessing.standardize(mean: [1.5, -2, 0.25, 10], standardDeviation: [2, 0.5, 1, 4])
  let rows = Tensor([[1, -2, 0, 9], [3.5, -1.5, 1, 14], [-1, -3, 0.5, 6], [2, -2.25, -1, 10]])
  return (model, scaling, rows)
}

private func json(_ text: String?) throws -> JSONValue {
  try JSONDecoder().decode(JSONValue.self, from: Data((text ?? "").utf8))
}

/// A safetensors file from a header text (padded to 8) and `dataBytes` zero bytes.
private func rawFile(_ header: String, dataBytes: Int, headerLength: UInt64? = nil) -> [UInt8] {
  var headerBytes = Array(header.utf8)
  headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)
  return rawFile(headerBytes: headerBytes, dataBytes: dataBytes, headerLength: headerLength)
}

private func rawFile(headerBytes: [UInt8], dataBytes: Int, headerLength: UInt64? = nil) -> [UInt8] {
  let length = headerLength ?? UInt64(headerBytes.count)
  return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + headerBytes
    + [UInt8](repeating: 0, count: dataBytes)
}

/// One malformed file and the error it must give.
struct MalformedSafetensorsCase: Sendable, CustomTestStringConvertible {
  let name: String
  let bytes: [UInt8]
  let reason: ModelFileError.Reason
  var testDescription: String { name }

  static func entry(_ name: String, _ fields: String) -> String { #""\#(name)":{\#(fields)}"# }

  static let all: [MalformedSafetensorsCase] = [
    MalformedSafetensorsCase(name: "shorter than 8 bytes", bytes: [1, 0, 0], reason: .tooShort(byteCount: 3)),
    MalformedSafetensorsCase(name: "empty", bytes: [], reason: .tooShort(byteCount: 0)),
    MalformedSafetensorsCase(
      name: "header length past the end", bytes: rawFile("{}", dataBytes: 2, headerLength: 100),
      reason: .headerLengthTooLarge(declared: 100, available: 10)),
    MalformedSafetensorsCase(
      name: "header length near 2^64", bytes: rawFile("{}", dataBytes: 0, headerLength: .max),
      reason: .headerLengthTooLarge(declared: .max, available: 8)),
    MalformedSafetensorsCase(
      name: "header not UTF-8",
      bytes: rawFile(headerBytes: [0x7B, 0xFF, 0x7D, 0x20, 0x20, 0x20, 0x20, 0x20], dataBytes: 0),
      reason: .invalidHeader("the header is not UTF-8 text")),
    MalformedSafetensorsCase(
      name: "header an array", bytes: rawFile("[1, 2]", dataBytes: 0),
      reason: .invalidHeader("the header is not a JSON object")),
    MalformedSafetensorsCase(
      name: "header empty", bytes: rawFile("", dataBytes: 0), reason: .invalidHeader("the header is not a JSON object")),
    MalformedSafetensorsCase(
      name: "header not JSON", bytes: rawFile(#"{"a": "#, dataBytes: 0),
      reason: .invalidHeader("the header is not valid JSON")),
    MalformedSafetensorsCase(
      name: "metadata value not a string", bytes: rawFile(#"{"__metadata__":{"v":1}}"#, dataBytes: 0),
      reason: .invalidHeader("__metadata__ value \"v\" is not a string")),
    MalformedSafetensorsCase(
      name: "unknown dtype",
      bytes: rawFile("{\(entry("w", #""dtype":"F33","shape":[1],"data_offsets":[0,4]"#))}", dataBytes: 4),
      reason: .unknownDType(tensor: "w", dtype: "F33")),
    MalformedSafetensorsCase(
      name: "F16", bytes: rawFile("{\(entry("w", #""dtype":"F16","shape":[2],"data_offsets":[0,4]"#))}", dataBytes: 4),
      reason: .unsupportedDType(tensor: "w", dtype: "F16")),
    MalformedSafetensorsCase(
      name: "missing dtype", bytes: rawFile("{\(entry("w", #""shape":[1],"data_offsets":[0,4]"#))}", dataBytes: 4),
      reason: .missingField(tensor: "w", field: "dtype")),
    MalformedSafetensorsCase(
      name: "missing shape", bytes: rawFile("{\(entry("w", #""dtype":"F32","data_offsets":[0,4]"#))}", dataBytes: 4),
      reason: .missingField(tensor: "w", field: "shape")),
    MalformedSafetensorsCase(
      name: "missing data_offsets", bytes: rawFile("{\(entry("w", #""dtype":"F32","shape":[1]"#))}", dataBytes: 4),
      reason: .missingField(tensor: "w", field: "data_offsets")),
    MalformedSafetensorsCase(
      name: "negative shape",
      bytes: rawFile("{\(entry("w", #""dtype":"F32","shape":[-1],"data_offsets":[0,4]"#))}", dataBytes: 4),
      reason: .invalidField(tensor: "w", field: "shape", expected: "an array of non-negative integers")),
    MalformedSafetensorsCase(
      name: "offsets reversed",
      bytes: rawFile("{\(entry("w", #""dtype":"F32","shape":[1],"data_offsets":[4,0]"#))}", dataBytes: 4),
      reason: .invalidField(tensor: "w", field: "data_offsets", expected: "[begin, end] with begin ≤ end")),
    MalformedSafetensorsCase(
      name: "offsets past the data (truncated)",
      bytes: rawFile("{\(entry("w", #""dtype":"F32","shape":[2],"data_offsets":[0,8]"#))}", dataBytes: 4),
      reason: .offsetsOutOfRange(tensor: "w", end: 8, dataByteCount: 4)),
    MalformedSafetensorsCase(
      name: "overlapping tensors",
      bytes: rawFile(
        "{\(entry("a", #""dtype":"F32","shape":[2],"data_offsets":[0,8]"#)),\(entry("b", #""dtype":"F32","shape":[2],"data_offsets":[4,12]"#))}",
        dataBytes: 12),
      reason: .overlappingTensors("a", "b")),
    MalformedSafetensorsCase(
      name: "gap between tensors",
      bytes: rawFile(
        "{\(entry("a", #""dtype":"F32","shape":[1],"data_offsets":[0,4]"#)),\(entry("b", #""dtype":"F32","shape":[1],"data_offsets":[8,12]"#))}",
        dataBytes: 12),
      reason: .uncoveredData(from: 4, to: 8, dataByteCount: 12)),
    MalformedSafetensorsCase(
      name: "bytes after the last tensor",
      bytes: rawFile("{\(entry("a", #""dtype":"F32","shape":[1],"data_offsets":[0,4]"#))}", dataBytes: 8),
      reason: .uncoveredData(from: 4, to: 8, dataByteCount: 8)),
    MalformedSafetensorsCase(
      name: "shape × 4 ≠ byte length",
      bytes: rawFile("{\(entry("w", #""dtype":"F32","shape":[2,2],"data_offsets":[0,12]"#))}", dataBytes: 12),
      reason: .shapeMismatch(tensor: "w", shape: [2, 2], dataByteCount: 12)),
    MalformedSafetensorsCase(
      name: "shape overflows",
      bytes: rawFile(
        "{\(entry("w", #""dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]"#))}", dataBytes: 4),
      reason: .invalidField(tensor: "w", field: "shape", expected: "a shape whose size fits in memory")),
  ]
}
