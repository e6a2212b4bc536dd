import Dendrite

extension PlaygroundSession {
  /// The trained network as a Dendrite model file (safetensors bytes): the model, its loss,
  /// the class count and names, the feature names (`x1`, `x1sq`, … for a 2-D set, whose
  /// features are computed, not scaled; the table's columns for a bundled set, with the
  /// standardisation fitted on the training part), the data set's record (bundled sets,
  /// so `dendrite evaluate` finds the held-out rows) and the config under `training`.
  ///
  ///     let bytes = try session.exportModelFile()
  ///     let file = try ModelFile(safetensors: SafetensorsFile(bytes: bytes))
  ///     file.predict(Tensor([[1, 2]]))
  ///
  /// - Throws: `ModelFileError` when the model cannot be described (it always can).
  public func exportModelFile() throws -> [UInt8] {
    try makeModelFile().safetensors().encoded()
  }

  /// The model file ``exportModelFile()`` encodes.
  func makeModelFile() throws -> ModelFile {
    let record: DatasetRecord? =
      config.dataset.isPlanar
      ? nil
      : DatasetRecord(
        name: config.dataset.rawValue, sha256: nil, rowCount: data.rowCount, labelColumn: nil, seed: config.seed,
        testFraction: 1 - Double(config.trainRatio) / 100, validationFraction: 0)
    var training = ["epoch": JSONValue.number(Double(epoch)), "playground": config.json]
    training["learning_rate"] = .float(config.learningRate)
    return try ModelFile(
      model: model, loss: network.loss, classCount: data.classCount, preprocessing: data.preprocessing,
      training: .object(training), classNames: data.classNames, featureNames: data.inputNames, dataset: record)
  }

  /// The `dendrite train` command that trains this network on a bundled data set (same
  /// data set, split, layers, activation, loss, optimizer, learning rate, batch size,
  /// dropout, seed; epochs as trained so far, at least 1); nil for the 2-D sets. What
  /// `dendrite train` has no option for (per-layer activations, an init other than its
  /// default for the activation, regularisation) follows as a shell comment.
  ///
  ///     try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=iris")).commandLine
  ///     // "dendrite train --dataset iris --layers 4,2 --activation tanh --loss softmax-cross-entropy …"
  public var commandLine: String? {
    guard !config.dataset.isPlanar else { return nil }
    var words = ["dendrite", "train", "--dataset", config.dataset.rawValue]
    words += ["--layers", config.layers.isEmpty ? "none" : config.layers.map(String.init).joined(separator: ",")]
    var missing: [String] = []
    let activations = Set(config.activations)
    if let activation = config.activations.first {
      words += ["--activation", activation.name]
      if activations.count > 1 { missing.append("activations per layer \(config.activations.map(\.name).joined(separator: ","))") }
    }
    words += ["--loss", config.loss.name]
    if let output = config.outputActivation { words += ["--output-activation", output.name] }
    words += ["--optimizer", config.optimizer.rawValue, "--learning-rate", PlaygroundConfig.text(Double(config.learningRate))]
    words += ["--batch-size", String(config.batchSize), "--epochs", String(Swift.max(epoch, 1))]
    if config.dropout > 0 { words += ["--dropout", PlaygroundConfig.text(Double(config.dropout))] }
    words += [
      "--seed", String(config.seed), "--test-fraction", PlaygroundConfig.text(1 - Double(config.trainRatio) / 100),
      "--validation-fraction", "0",
    ]
    let usesDefaultInit = config.layers.indices.allSatisfy {
      Initializer.defaultWeights(for: config.activation(ofLayer: $0)) == config.initialization.initializer
    }
    if !usesDefaultInit { missing.append("init \(config.initialization.rawValue)") }
    if config.regularization != .none && config.regularizationRate > 0 {
      missing.append("\(config.regularization.rawValue) regularization \(PlaygroundConfig.text(Double(config.regularizationRate)))")
    }
    if network.outputCount == 1 && data.classCount == 2 && config.loss != .sigmoidCrossEntropy
      && config.loss != .binaryCrossEntropy
    {
      missing.append("one sigmoid output unit for \(config.loss.name)")
    }
    if config.preset?.initialParameterValue != nil { missing.append("the preset's initial weights") }
    let command = words.joined(separator: " ")
    return missing.isEmpty ? command : command + "  # no dendrite train option for: " + missing.joined(separator: ", ")
  }
}
