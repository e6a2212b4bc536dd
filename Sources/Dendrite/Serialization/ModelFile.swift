import Foundation

/// A trained model as a file: the network, the loss it was trained with, its classes and
/// its input preprocessing, everything `dendrite predict` needs to rebuild it.
///
/// The file is safetensors that PyTorch can read (DESIGN.md, "Model files"):
///
///     tensors       the trainable parameters, F32, PyTorch names: 0.weight [out, in], 0.bias, 2.weight, …,
///                   conv weights [out, in, kh, kw], a residual block's as 3.0.weight; then
///                   batch norm's buffers: 1.running_mean, 1.running_var (F32), 1.num_batches_tracked (I64, [])
///     __metadata__  dendrite.format_version  "1"
///                   dendrite.architecture    {"layers": [{"type": "dense", "in": 64, "out": 32},
///                                              {"type": "activation", "name": "relu"}, …]
///                                              (every entry type: ModuleNumbering's table),
///                                             "output_activation": "softmax" | "sigmoid" | "none",
///                                             "loss": "softmax-cross-entropy", "classes": 10 (null for regression),
///                                             "task": "classification" | "regression", "outputs": 10,
///                                             "inputs": 64 (only when the first layers do not show it),
///                                             "class_names": ["setosa", …] (optional; absent for regression),
///                                             "label_column": "species" (optional)}
///                   dendrite.preprocessing   {"kind": "standardize", "mean": […], "std": […]}
///                                            | {"kind": "min-max", "min": […], "max": […]} | {"kind": "none"}
///
/// so that `model.load_state_dict(safetensors.torch.load_file(path), strict=True)` works for
/// the `nn.Sequential` with the same modules (a residual block is an `nn.Sequential` subclass
/// whose forward adds its input; `Scripts/check_torch_model_file.py` builds them all). A model
/// file feeds rows `[N, features]`, so a convolutional model starts with ``Unflatten``: one
/// that starts with ``Conv2D`` or pooling is refused with that advice. The network ends in
/// logits when the loss applies the output activation itself (`output_activation`);
/// ``predict(_:)`` applies it.
///
/// A **checkpoint**, for resuming training, adds the optimizer's slots as tensors named
/// `optimizer.<slot>` (`optimizer.0.weight.m`) and the metadata `dendrite.optimizer`
/// (`{"name", "learning_rate", "step"}`) and `dendrite.training` (free-form JSON: epoch,
/// seed, options). Those extra tensors make a strict PyTorch `load_state_dict` fail, so
/// ship models saved without an optimizer:
/// ``Layer/save(to:loss:classCount:preprocessing:classNames:labelColumn:targetScaling:featureNames:featureEncoding:dataset:inputSize:)``
/// writes none.
///
///     try model.save(to: "digits.safetensors", loss: .softmaxCrossEntropy, classCount: 10,
///                    preprocessing: scaling)
///     let file = try ModelFile.load(from: "digits.safetensors")
///     let probabilities = file.predict(rawRows)   // [N, 10], rows sum to 1
public struct ModelFile: Sendable {
  /// The network, ending in logits when ``outputActivation`` is not nil.
  public let model: Sequential
  /// The loss it was trained with.
  public let loss: Loss
  /// The number of classes, or nil for regression.
  public let classCount: Int?
  /// The name of each class, index by index (`["setosa", "versicolor", "virginica"]`), as
  /// `dendrite.architecture`'s `class_names`; nil for regression and for files written
  /// without names (Dendrite 0.1.0), whose classes ``className(_:)`` names by index.
  public let classNames: [String]?
  /// The CSV column the labels came from (header name, or index from 0 as text), as
  /// `dendrite.architecture`'s `label_column`; nil when not recorded.
  public let labelColumn: String?
  /// The names of the features a row holds, in order (a CSV's header less the label), as
  /// `dendrite.architecture`'s `feature_names`: `predict` and `evaluate` match a file's
  /// columns to them by name. Nil when not recorded.
  public let featureNames: [String]?
  /// How a table's source columns become the inputs (one-hot vocabularies, fill values for
  /// missing cells), as `dendrite.columns`; nil when the inputs are the columns as they are.
  /// ``featureNames`` are then its ``FeatureEncoding/inputNames``.
  public let featureEncoding: FeatureEncoding?
  /// The training data's identity and split, as `dendrite.dataset`; nil when not recorded.
  public let dataset: DatasetRecord?
  /// How raw feature rows are scaled before the network.
  public let preprocessing: Preprocessing
  /// How a regressor's targets were standardised for training (``predict(_:)`` inverts
  /// it), as `dendrite.targets`; nil for classifiers and unscaled regressors.
  public let targetScaling: TargetScaling?
  /// The optimizer's state, in a checkpoint; nil in a plain model file.
  public let optimizer: OptimizerCheckpoint?
  /// Free-form resume information (epoch, seed, options), stored as `dendrite.training`.
  public let training: JSONValue?
  /// The number of raw features a row needs (the first dense layer's inputs, a leading
  /// ``Unflatten``'s C·H·W, or the file's `inputs`).
  public let inputSize: Int
  /// The number of network outputs (the last dense layer's units).
  public let outputSize: Int
  /// Whether the network's last module is log-softmax, so that probabilities are its exp.
  private let outputsLogProbabilities: Bool
  /// The model's `dendrite.architecture.layers`, one entry per `nn.Sequential` module
  /// (`{"type": "dense", "in": 64, "out": 32}`, `{"type": "custom", "name": …}`).
  public let architecture: [JSONValue]
  /// Whether the first layers show the input width (a dense or unflatten layer, say), so
  /// that the file need not record `inputs`.
  private let recordsInputWidth: Bool
  /// Batch norm's running statistics, named as in the model, in module order.
  private let bufferTensors: [(name: String, tensor: Tensor)]

  /// Classification or regression, as `dendrite.architecture`'s `task`.
  ///
  ///     file.task == .classification   // file.classCount != nil
  public enum Task: String, Sendable {
    /// Class probabilities out; `classes` is the class count.
    case classification
    /// Values out; `classes` is null.
    case regression
  }

  /// `.classification` when there are classes.
  ///
  ///     try ModelFile.load(from: "house.safetensors").task   // .regression
  public var task: Task { classCount == nil ? .regression : .classification }

  /// The name of class `index`: its entry in ``classNames``, else the index as text.
  ///
  ///     file.className(0)   // "setosa", or "0" for a file without class names
  public func className(_ index: Int) -> String {
    guard let classNames, classNames.indices.contains(index) else { return String(index) }
    return classNames[index]
  }

  /// The activation ``predict(_:)`` applies after the network because the loss applied it
  /// internally: softmax for softmax cross-entropy, sigmoid for sigmoid cross-entropy,
  /// nil otherwise (the file's `output_activation`, `"none"` for nil).
  ///
  ///     try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 10).outputActivation   // .softmax
  public var outputActivation: Activation? { loss.impliedOutputActivation }

  /// `checkpoint` with each slot of a parameter renamed as the flattened model names it
  /// (`0.1.weight.m` → `1.weight.m`).
  private static func renamingSlots(
    of checkpoint: OptimizerCheckpoint, from nested: [String], to flat: [String]
  ) -> OptimizerCheckpoint {
    let renamed = zip(nested, flat).filter { $0 != $1 }
    guard !renamed.isEmpty else { return checkpoint }
    var result = checkpoint
    result.state.slots = Dictionary(
      checkpoint.state.slots.map { slot, value in
        let match = renamed.filter { slot.hasPrefix($0.0 + ".") }.max { $0.0.count < $1.0.count }
        return (match.map { $0.1 + slot.dropFirst($0.0.count) } ?? slot, value)
      }, uniquingKeysWith: { first, _ in first })
    return result
  }

  /// Checks that the parts fit together and makes the file's contents.
  ///
  ///     let file = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 10)
  ///
  /// - Throws: ``ModelFileError`` when the model has layers a model file cannot describe
  ///   (a custom layer that is not a ``SavableLayer``), when it starts with ``Conv2D`` or pooling
  ///   (rows cannot feed it: start with ``Unflatten``), when its outputs do not fit `classCount`
  ///   (C outputs, or 1 for two classes), when a regression (`classCount` nil) uses a loss
  ///   for classes, when `preprocessing` was fitted on another number of features or has a
  ///   non-finite or zero scale, when an optimizer slot names no parameter or has
  ///   another shape, or when `classNames` are not one per class.
  /// - Parameters:
  ///   - model: the network, ending in logits when the loss applies the output activation.
  ///   - loss: the loss it was trained with; it decides ``outputActivation``.
  ///   - classCount: the number of classes, or nil for regression.
  ///   - preprocessing: the scaling fitted on the training features.
  ///   - optimizer: the optimizer's state, for a checkpoint; nil for a plain model file.
  ///   - training: free-form resume information (epoch, seed, options), for a checkpoint.
  ///   - inputSize: the number of raw features a row needs, when the first layers do not
  ///     show it; nil to take it from them.
  ///   - classNames: one name per class, in index order; nil to name classes by index
  ///     (names that are the indices, `["0", "1", "2"]`, are stored as nil).
  ///   - labelColumn: the CSV column the labels came from, recorded for the user.
  ///   - targetScaling: how a regressor's targets were standardised for training.
  ///   - featureNames: the names of the features a row holds, in order.
  ///   - featureEncoding: how a table's source columns become the inputs.
  ///   - dataset: the training data's identity and split.
  public init(
    model: Sequential, loss: Loss, classCount: Int?, preprocessing: Preprocessing = .none,
    optimizer: OptimizerCheckpoint? = nil, training: JSONValue? = nil, inputSize: Int? = nil,
    classNames: [String]? = nil, labelColumn: String? = nil, targetScaling: TargetScaling? = nil,
    featureNames: [String]? = nil, featureEncoding: FeatureEncoding? = nil, dataset: DatasetRecord? = nil
  ) throws(ModelFileError) {
    // A Sequential nested in the model is stored as its layers (PyTorch's numbering of the
    // flat nn.Sequential, `1.weight` rather than `0.1.weight`); it loads back flat.
    let nestedNames = model.parameterNames
    let model = Sequential(flatteningNested: model)
    let optimizer = optimizer.map { Self.renamingSlots(of: $0, from: nestedNames, to: model.parameterNames) }
    let architecture = try ModuleNumbering.architecture(of: model)
    let layers = try Format.parseLayers(.array(architecture)) { problem in
      ModelFileError(.inconsistent("cannot describe the model: \(problem)"))
    }
    let expected = Format.expectedParameters(layers)
    let shapes = model.parameterValues.map(\.shape)
    guard expected.map({ $0.name }) == model.parameterNames, expected.map({ $0.shape }) == shapes else {
      throw ModelFileError(
        .inconsistent(
          "the model's parameters \(model.parameterNames) with shapes \(shapes) do not follow its layers "
            + "(a layer whose parameterNames and parameterValues disagree?)"
        ))
    }
    let buffers = model.buffers
    let expectedBuffers = Format.expectedBuffers(layers)
    guard Set(expectedBuffers.map(\.name)) == Set(buffers.keys),
      expectedBuffers.allSatisfy({ buffers[$0.name]?.shape == $0.shape })
    else {
      throw ModelFileError(
        .inconsistent(
          "the model's buffers \(buffers.keys.sorted()) do not follow its layers (expected \(expectedBuffers.map(\.name)))"))
    }
    // Rows cannot feed a first layer that takes images: say how to start the model.
    if let first = layers.leadingImageLayer {
      let kind = if case .conv2d = first { "Conv2D" } else { "a pooling layer" }
      throw ModelFileError(
        .inconsistent(
          "the model starts with \(kind), which takes images [N, C, H, W], but a model file feeds rows [N, features]: "
            + "start the model with Unflatten(shape: [C, H, W])"))
    }
    // The input width: given, else the first layer's when it shows one (dense, unflatten,
    // a normalisation), else the preprocessing's feature count. The output width: from a
    // trial pass of one row, so a custom layer anywhere is measured rather than guessed.
    guard let inputs = inputSize ?? layers.leadingInputWidth ?? preprocessing.featureCount else {
      throw ModelFileError(
        .inconsistent(
          "cannot tell how many features the model takes (its first layer is not Dense or Unflatten and there is no "
            + "preprocessing): pass inputSize: (the number of features a row holds) to save(to:…) or ModelFile(model:…)"))
    }
    guard inputs > 0 else { throw ModelFileError(.inconsistent("the model's input size must be positive, got \(inputs)")) }
    switch trialForward(model, input: Tensor.zeros(shape: [1, inputs])) {
    case .failure(let error):
      throw ModelFileError(.inconsistent("the model does not run on rows of \(inputs) features: \(error)"))
    case .success(let shape):
      guard shape.count == 2, shape[0] == 1, shape[1] > 0 else {
        throw ModelFileError(
          .inconsistent("the model turns a row of \(inputs) features into shape \(shape), not [1, outputs]"))
      }
      (self.inputSize, self.outputSize) = (inputs, shape[1])
    }
    self.architecture = architecture
    self.recordsInputWidth = layers.leadingInputWidth != nil
    self.bufferTensors = expectedBuffers.compactMap { spec in buffers[spec.name].map { (spec.name, $0) } }
    if let classCount {
      guard classCount >= 2, outputSize == classCount || (outputSize == 1 && classCount == 2) else {
        throw ModelFileError(
          .inconsistent(
            "the model has \(outputSize) outputs but there are \(classCount) classes "
              + "(expected \(classCount) outputs, or 1 for two classes)"
          ))
      }
    } else if !loss.isRegressionCapable {
      throw ModelFileError(
        .inconsistent(
          "loss \(loss.name) is for classes but no class count was given (regression uses mse, mae or huber)"))
    }
    if let classNames, classNames.count != classCount {
      throw ModelFileError(
        .inconsistent("\(classNames.count) class names for \(classCount.map(String.init) ?? "no") classes; give one name per class"))
    }
    try Format.checkPreprocessing(preprocessing, featureCount: self.inputSize)
    if let targetScaling {
      guard classCount == nil, targetScaling.columnCount == outputSize else {
        throw ModelFileError(
          .inconsistent(
            "a target scaling of \(targetScaling.columnCount) columns for "
              + (classCount == nil ? "a regressor of \(outputSize) outputs" : "a classifier (only regression targets are scaled)")))
      }
    }
    self.targetScaling = targetScaling
    if let optimizer { try Format.checkOptimizer(optimizer, parameters: expected) }
    self.model = model
    self.loss = loss
    self.classCount = classCount
    // Names that are the indices themselves ("0", "1", …) say nothing: such a file is
    // written as one without names, byte for byte.
    self.classNames = classNames == classCount.map { (0..<$0).map(String.init) } ? nil : classNames
    self.labelColumn = labelColumn
    if let featureNames, featureNames.count != self.inputSize {
      throw ModelFileError(
        .inconsistent("\(featureNames.count) feature names for a model of \(self.inputSize) features; give one name per feature"))
    }
    if let featureEncoding {
      guard featureEncoding.inputCount == self.inputSize else {
        throw ModelFileError(
          .inconsistent("a column encoding of \(featureEncoding.inputCount) inputs for a model of \(self.inputSize) features"))
      }
      if let featureNames, featureNames != featureEncoding.inputNames {
        throw ModelFileError(.inconsistent("feature names that are not the column encoding's input names"))
      }
    }
    self.featureEncoding = featureEncoding.flatMap { $0.isIdentity ? nil : $0 }
    self.featureNames = featureNames ?? self.featureEncoding?.inputNames
    self.dataset = dataset
    self.preprocessing = preprocessing
    self.optimizer = optimizer
    self.training = training
    let finalModule = layers.last { if case .dropout = $0 { false } else { true } }
    self.outputsLogProbabilities = finalModule == Format.LayerSpec.activation(.logSoftmax)
  }

  /// What `dendrite predict` prints: the raw rows scaled by ``preprocessing``, through the
  /// network, then ``outputActivation`` (softmax or sigmoid), or exp after a log-softmax
  /// output; probabilities for classifiers, values for regressors.
  ///
  ///     let file = try ModelFile.load(from: "iris.safetensors")
  ///     file.predict(Tensor([[5.1, 3.5, 1.4, 0.2]]))   // [[0.97, 0.02, 0.01]]
  ///
  /// - Precondition: `rawFeatures` is `[N, inputSize]`; check ``inputSize`` against user data first.
  public func predict(_ rawFeatures: Tensor) -> Tensor {
    precondition(
      rawFeatures.rank == 2 && rawFeatures.shape[1] == inputSize,
      "the model takes rows of \(inputSize) features, got shape \(rawFeatures.shape)")
    let outputs = model(preprocessing.apply(rawFeatures))
    if let targetScaling { return targetScaling.invert(outputs) }
    if let outputActivation { return outputActivation.apply(outputs) }
    return outputsLogProbabilities ? exp(outputs) : outputs
  }

  /// Writes the file atomically (a temporary file beside it, fsync, rename).
  ///
  ///     try ModelFile(model: model, loss: .meanSquaredError, classCount: nil).save(to: "house.safetensors")
  ///
  /// - Throws: ``ModelFileError`` naming `path`: a missing folder, a permission, a full disk.
  public func save(to path: String) throws(ModelFileError) {
    do {
      try AtomicFile.write(safetensors().encoded(), to: path)
    } catch {
      throw ModelFileError(.cannotWrite(error.reason), file: path)
    }
  }

  /// Reads and rebuilds a model file.
  ///
  ///     let file = try ModelFile.load(from: "digits.safetensors")
  ///     file.model.parameterNames   // ["0.weight", "0.bias", "2.weight", "2.bias"]
  ///
  /// - Throws: ``ModelFileError`` naming `path`; see ``init(safetensors:customLayers:)``.
  /// - Parameters:
  ///   - path: the file to read.
  ///   - customLayers: the ``SavableLayer`` types the file may hold, found by their
  ///     ``SavableLayer/typeName``.
  public static func load(from path: String, customLayers: [any SavableLayer.Type] = []) throws(ModelFileError) -> ModelFile {
    let bytes: [UInt8]
    do {
      bytes = try FileContents.bytes(atPath: path)
    } catch {
      throw ModelFileError(.cannotRead(error.problem(expecting: "model file")), file: path)
    }
    do {
      return try ModelFile(safetensors: SafetensorsFile(bytes: bytes), customLayers: customLayers)
    } catch {
      throw error.inFile(path)
    }
  }

  /// The file's tensors and metadata: parameters in model order, then batch norm's buffers
  /// (`running_mean`, `running_var` F32, `num_batches_tracked` I64), then a checkpoint's
  /// `optimizer.*` slots sorted by name.
  ///
  ///     let bytes = try ModelFile(model: model, loss: .meanSquaredError, classCount: nil).safetensors().encoded()
  public func safetensors() -> SafetensorsFile {
    var file = SafetensorsFile(tensors: Array(zip(model.parameterNames, model.parameterValues)))
    for (name, tensor) in bufferTensors {
      file.setTensor(tensor, named: name, as: name.hasSuffix(".num_batches_tracked") ? .int64 : .float32)
    }
    var fields: [String: JSONValue] = [
      "layers": .array(architecture),
      "output_activation": .string(CommandLineNames.outputActivation(outputActivation)),
      "loss": .string(loss.name),
      "classes": classCount.map { .number(Double($0)) } ?? .null,
      "task": .string(task.rawValue),
      "outputs": .number(Double(outputSize)),
    ]
    // A model whose first layers do not show its width (a custom layer first): the file records it.
    if !recordsInputWidth { fields["inputs"] = .number(Double(inputSize)) }
    if let classNames { fields["class_names"] = .array(classNames.map(JSONValue.string)) }
    if let labelColumn { fields["label_column"] = .string(labelColumn) }
    if let featureNames { fields["feature_names"] = .array(featureNames.map(JSONValue.string)) }
    let architecture = JSONValue.object(fields)
    file.metadata = [
      Format.Key.formatVersion: "1",
      Format.Key.architecture: JSONText.encode(architecture),
      Format.Key.preprocessing: JSONText.encode(Format.preprocessingJSON(preprocessing)),
    ]
    if let optimizer {
      file.metadata[Format.Key.optimizer] = JSONText.encode([
        "name": .string(optimizer.name), "learning_rate": .float(optimizer.learningRate),
        "step": .number(Double(optimizer.state.step)),
      ])
      for slot in optimizer.state.slots.keys.sorted() {
        file[Format.optimizerPrefix + slot] = optimizer.state.slots[slot]
      }
    }
    if let training { file.metadata[Format.Key.training] = JSONText.encode(training) }
    if let featureEncoding { file.metadata[Format.Key.columns] = JSONText.encode(featureEncoding.json) }
    if let dataset { file.metadata[Format.Key.dataset] = JSONText.encode(dataset.json) }
    if let targetScaling {
      file.metadata[Format.Key.targets] = JSONText.encode([
        "kind": "standardize", "mean": .floats(targetScaling.mean), "std": .floats(targetScaling.standardDeviation),
      ])
    }
    return file
  }

  /// Rebuilds a model file from safetensors alone: every layer type of
  /// `dendrite.architecture.layers` (dense and conv2d layers with the activation entry that
  /// follows them, batch norm with its running statistics, residual blocks with their
  /// nested layers), the loss, classes, preprocessing and a checkpoint's optimizer state.
  ///
  ///     let file = try ModelFile(safetensors: SafetensorsFile(bytes: bytes))
  ///
  /// - Throws: ``ModelFileError``: no `dendrite.architecture` (a PyTorch-written file),
  ///   another format version, malformed metadata, an unknown layer type, or a parameter or
  ///   buffer tensor that is missing, extra or of the wrong shape (named).
  public init(safetensors file: SafetensorsFile, customLayers: [any SavableLayer.Type] = []) throws(ModelFileError) {
    let metadata = file.metadata
    guard let architectureText = metadata[Format.Key.architecture] else { throw ModelFileError(.notADendriteModel) }
    guard let version = metadata[Format.Key.formatVersion] else {
      throw ModelFileError(.invalidMetadata(key: Format.Key.formatVersion, problem: "missing"))
    }
    guard version == "1" else { throw ModelFileError(.unsupportedFormatVersion(version)) }

    let architecture = try Format.parseJSONObject(architectureText, key: Format.Key.architecture)
    func invalid(_ problem: String) -> ModelFileError {
      ModelFileError(.invalidMetadata(key: Format.Key.architecture, problem: problem))
    }
    guard let layersValue = architecture["layers"] else { throw invalid("no \"layers\"") }
    let layers = try Format.parseLayers(layersValue, fail: invalid)
    guard case .string(let lossName) = architecture["loss"] else { throw invalid("no \"loss\" name") }
    guard let loss = Loss(name: lossName) else {
      throw invalid("unknown loss \"\(lossName)\" (known: \(CommandLineNames.list(CommandLineNames.losses)))")
    }
    var classCount: Int?
    switch architecture["classes"] {
    case nil, .null?: classCount = nil
    case let value?:
      guard let count = Format.positiveInteger(value) else {
        throw invalid("\"classes\" is not a positive integer or null")
      }
      classCount = count
    }
    if let taskValue = architecture["task"] {
      let expected = classCount == nil ? Task.regression : .classification
      guard taskValue == .string(expected.rawValue) else {
        throw invalid("\"task\" is \(JSONText.encode(taskValue)) but \"classes\" says \(expected.rawValue)")
      }
    }
    if let outputActivation = architecture["output_activation"] {
      let expected = CommandLineNames.outputActivation(loss.impliedOutputActivation)
      guard outputActivation == .string(expected) else {
        throw invalid(
          "\"output_activation\" is \(JSONText.encode(outputActivation)) but loss \(loss.name) implies \"\(expected)\"")
      }
    }
    let finalLayer = layers.last { if case .activation = $0 { false } else if case .dropout = $0 { false } else { true } }
    if let outputs = architecture["outputs"], case .dense(_, let units)? = finalLayer, outputs != .number(Double(units)) {
      throw invalid("\"outputs\" is \(JSONText.encode(outputs)) but the last dense layer has \(units) units")
    }
    var classNames: [String]?
    switch architecture["class_names"] {
    case nil, .null?: classNames = nil
    case .array(let entries)?:
      let names = entries.compactMap { entry -> String? in if case .string(let name) = entry { name } else { nil } }
      guard names.count == entries.count, names.count == classCount else {
        throw invalid("\"class_names\" is not an array of one string per class (\"classes\" is \(classCount.map(String.init) ?? "null"))")
      }
      classNames = names
    case let value?:
      throw invalid("\"class_names\" is \(JSONText.encode(value)), not an array of strings")
    }
    var labelColumn: String?
    if case .string(let column)? = architecture["label_column"] { labelColumn = column }
    var featureNames: [String]?
    switch architecture["feature_names"] {
    case nil, .null?: featureNames = nil
    case .array(let entries)?:
      let names = entries.compactMap { entry -> String? in if case .string(let name) = entry { name } else { nil } }
      guard names.count == entries.count else { throw invalid("\"feature_names\" is not an array of strings") }
      featureNames = names
    case let value?:
      throw invalid("\"feature_names\" is \(JSONText.encode(value)), not an array of strings")
    }
    var inputSize: Int?
    if let inputs = architecture["inputs"] {
      guard let count = Format.positiveInteger(inputs) else { throw invalid("\"inputs\" is not a positive integer") }
      inputSize = count
    }

    var used: Set<String> = []
    let model = try Format.buildLayers(layers, file: file, customLayers: customLayers, used: &used)

    var slots: [String: Tensor] = [:]
    for (name, tensor) in file.tensors where !used.contains(name) {
      guard name.hasPrefix(Format.optimizerPrefix) else { throw ModelFileError(.unexpectedTensor(name)) }
      if let type = file.elementType(of: name), type != .float32 {
        throw ModelFileError(.unsupportedDType(tensor: name, dtype: type.rawValue))
      }
      slots[String(name.dropFirst(Format.optimizerPrefix.count))] = tensor
    }
    var optimizer: OptimizerCheckpoint?
    if let text = metadata[Format.Key.optimizer] {
      optimizer = try Format.parseOptimizer(text, slots: slots)
    } else if let slot = slots.keys.min() {
      throw ModelFileError(
        .invalidMetadata(
          key: Format.Key.optimizer,
          problem: "missing, but the file has optimizer tensors such as \"\(Format.optimizerPrefix + slot)\""))
    }
    let training = try metadata[Format.Key.training].map { text throws(ModelFileError) in
      try Format.parseJSON(text, key: Format.Key.training)
    }
    let targetScaling = try metadata[Format.Key.targets].map { text throws(ModelFileError) in
      try Format.parseTargetScaling(Format.parseJSONObject(text, key: Format.Key.targets))
    }
    /// The metadata entry `key` read by `make`, nil when absent; `problem` says what a
    /// malformed one needs.
    func entry<Value>(_ key: String, problem: String, _ make: (JSONValue) -> Value?) throws(ModelFileError) -> Value? {
      guard let text = metadata[key] else { return nil }
      guard let value = try make(Format.parseJSONObject(text, key: key)) else {
        throw ModelFileError(.invalidMetadata(key: key, problem: problem))
      }
      return value
    }
    let featureEncoding = try entry(
      Format.Key.columns,
      problem: "needs \"columns\": objects with a \"name\" and \"kind\" \"number\" or \"one_hot\" (with \"categories\")",
      FeatureEncoding.init(json:))
    let dataset = try entry(
      Format.Key.dataset,
      problem: "needs \"name\", \"rows\", \"seed\", \"test_fraction\", \"validation_fraction\" and \"missing\"",
      DatasetRecord.init(json:))
    let preprocessing = try metadata[Format.Key.preprocessing].map { text throws(ModelFileError) in
      try Format.parsePreprocessing(Format.parseJSONObject(text, key: Format.Key.preprocessing))
    }
    try self.init(
      model: Sequential(layers: model), loss: loss, classCount: classCount, preprocessing: preprocessing ?? .none,
      optimizer: optimizer, training: training, inputSize: inputSize, classNames: classNames, labelColumn: labelColumn,
      targetScaling: targetScaling, featureNames: featureNames, featureEncoding: featureEncoding, dataset: dataset)
  }
}

private typealias Format = ModelFileFormat

extension Layer {
  /// Saves the model for `dendrite predict` and PyTorch: its parameters, architecture,
  /// loss, classes and preprocessing, atomically. No optimizer state is written, so the
  /// file loads into the equivalent `nn.Sequential` with a strict `load_state_dict`.
  ///
  ///     try model.save(to: "digits.safetensors", loss: .softmaxCrossEntropy, classCount: 10,
  ///                    preprocessing: .fitStandardization(train.features))
  ///
  /// - Parameters:
  ///   - path: the file to write (its folder must exist).
  ///   - loss: the loss the model was trained with; it decides the output activation.
  ///   - classCount: the number of classes, or nil for regression.
  ///   - preprocessing: the scaling fitted on the training features.
  ///   - classNames: one name per class (a CSV's label texts), or nil to name them by index.
  ///   - labelColumn: the CSV column the labels came from.
  ///   - targetScaling: how a regressor's targets were standardised for training.
  ///   - featureNames: the names of the features a row holds, in order.
  ///   - featureEncoding: how a table's source columns become the inputs.
  ///   - dataset: the training data's identity and split.
  ///   - inputSize: the number of features a row holds, for a model whose first layer does
  ///     not show it (a custom layer) saved without a preprocessing; nil reads it from the
  ///     first layer or the preprocessing.
  /// - Throws: ``ModelFileError`` naming `path`; see
  ///   ``ModelFile/init(model:loss:classCount:preprocessing:optimizer:training:inputSize:classNames:labelColumn:targetScaling:featureNames:featureEncoding:dataset:)``.
  ///
  /// A model that is not a ``Sequential`` (a struct conforming to ``SavableLayer``) is
  /// stored as a one-module `Sequential` around it, so its tensors are named `0.<name>`.
  public func save(
    to path: String, loss: Loss, classCount: Int?, preprocessing: Preprocessing = .none,
    classNames: [String]? = nil, labelColumn: String? = nil, targetScaling: TargetScaling? = nil,
    featureNames: [String]? = nil, featureEncoding: FeatureEncoding? = nil, dataset: DatasetRecord? = nil,
    inputSize: Int? = nil
  ) throws(ModelFileError) {
    do {
      try ModelFile(
        model: Sequential(wrapping: self), loss: loss, classCount: classCount, preprocessing: preprocessing,
        inputSize: inputSize, classNames: classNames, labelColumn: labelColumn, targetScaling: targetScaling,
        featureNames: featureNames, featureEncoding: featureEncoding, dataset: dataset
      ).save(to: path)
    } catch {
      throw error.file == nil ? error.inFile(path) : error
    }
  }
}

extension Sequential {
  /// `model` with every ``Sequential`` among its layers replaced by that model's layers, at
  /// any depth: how a model file stores nested models (``Residual`` bodies stay as they are).
  ///
  ///     let encoder = Sequential(seed: 1) { Dense(inputSize: 4, outputSize: 8, activation: .relu) }
  ///     Sequential(flatteningNested: Sequential(seed: 2) { encoder; Dense(inputSize: 8, outputSize: 3) }).layers.count   // 2
  public init(flatteningNested model: Sequential) {
    func flat(_ layers: [any Layer]) -> [any Layer] {
      layers.flatMap { layer -> [any Layer] in
        if let nested = layer as? Sequential { flat(nested.layers) } else { [layer] }
      }
    }
    self = model
    layers = flat(model.layers)
  }

  /// `model` itself when it is a ``Sequential``, else a one-layer ``Sequential`` around it:
  /// how model files and checkpoints store a model of any type.
  ///
  ///     Sequential(wrapping: TwoTowers()).parameterNames   // ["0.left.weight", …]
  public init(wrapping model: any Layer) {
    if let sequential = model as? Sequential { self = sequential } else { self.init(layers: [model]) }
  }
}
