// Rebuilds the layers of a model file from its checked `dendrite.architecture.layers` and
// its tensors: what ModelFile(safetensors:) runs.

extension ModelFileFormat {
  /// Builds the layers `specs` describe from the file's tensors, recording every tensor name
  /// it reads in `used`. A dense or convolution module followed by an activation module
  /// becomes one layer with that activation. Module `i` reads the tensors `<prefix><i>.*`.
  ///
  /// - Throws: ``ModelFileError``: a parameter or buffer that is missing, of the wrong shape
  ///   or dtype (named, with its layer), a running count that is not a whole number, an
  ///   unknown custom layer, or a custom layer that refuses its configuration.
  static func buildLayers(
    _ specs: [LayerSpec], prefix: String = "", file: SafetensorsFile, customLayers: [any SavableLayer.Type],
    used: inout Set<String>
  ) throws(ModelFileError) -> [any Layer] {
    var model: [any Layer] = []
    var index = 0
    /// Module `index`'s tensor `name`, checked and marked used.
    func tensor(_ name: String, shape: [Int], layer: String) throws(ModelFileError) -> Tensor {
      let fullName = "\(prefix)\(index).\(name)"
      used.insert(fullName)
      return try parameter(file, fullName, shape: shape, layer: layer)
    }
    /// The activation module right after this one, consumed, or `.linear`.
    func followingActivation() -> Activation {
      guard index + 1 < specs.count, case .activation(let activation) = specs[index + 1] else { return .linear }
      index += 1
      return activation
    }
    while index < specs.count {
      let place = "layer \(prefix)\(index)"
      switch specs[index] {
      case .dense(let inputs, let outputs):
        let layer = "\(place) (dense \(inputs) → \(outputs))"
        let weight = try tensor("weight", shape: [outputs, inputs], layer: layer)
        let bias = try tensor("bias", shape: [outputs], layer: layer)
        model.append(Dense(weight: weight, bias: bias, activation: followingActivation()))
      case .conv2d(let inputs, let outputs, let kernel, let stride, let padding):
        let layer = "\(place) (conv2d \(inputs) → \(outputs))"
        let weight = try tensor("weight", shape: [outputs, inputs] + kernel, layer: layer)
        let bias = try tensor("bias", shape: [outputs], layer: layer)
        model.append(
          Conv2D(weight: weight, bias: bias, stride: stride, padding: padding, activation: followingActivation()))
      case .batchNorm(let features, let momentum, let epsilon):
        let layer = "\(place) (batchnorm \(features))"
        let weight = try tensor("weight", shape: [features], layer: layer)
        let bias = try tensor("bias", shape: [features], layer: layer)
        let mean = try tensor("running_mean", shape: [features], layer: layer)
        let variance = try tensor("running_var", shape: [features], layer: layer)
        let countName = "\(prefix)\(index).num_batches_tracked"
        guard let count = file[countName] else { throw ModelFileError(.missingTensor(countName, layer: layer)) }
        used.insert(countName)
        guard count.shape == [] else {
          throw ModelFileError(.wrongTensorShape(countName, shape: count.shape, expected: [], layer: layer))
        }
        guard let batches = Int(exactly: count.scalars[0]), batches >= 0 else {
          throw ModelFileError(
            .invalidField(tensor: countName, field: "data", expected: "a non-negative whole number of batches"))
        }
        model.append(
          BatchNorm(
            weight: weight, bias: bias, runningMean: mean, runningVariance: variance, batchesTracked: batches,
            momentum: momentum, epsilon: epsilon))
      case .layerNorm(let features, let epsilon):
        let layer = "\(place) (layernorm \(features))"
        let weight = try tensor("weight", shape: [features], layer: layer)
        let bias = try tensor("bias", shape: [features], layer: layer)
        model.append(LayerNorm(weight: weight, bias: bias, epsilon: epsilon))
      case .residual(let body):
        let layers = try buildLayers(
          body, prefix: "\(prefix)\(index).", file: file, customLayers: customLayers, used: &used)
        model.append(Residual(layers: layers))
      case .activation(let activation): model.append(ActivationLayer(activation))
      case .dropout(let rate): model.append(Dropout(rate: rate))
      case .maxPool2d(let kernel, let stride): model.append(MaxPool2D(size: kernel, stride: stride))
      case .avgPool2d(let kernel, let stride): model.append(AveragePool2D(size: kernel, stride: stride))
      case .flatten: model.append(Flatten())
      case .unflatten(let shape): model.append(Unflatten(shape: shape))
      case .custom(let name, let configuration, let specs):
        let layer = "\(place) (custom \(name))"
        guard let type = customLayers.first(where: { $0.typeName == name }) else {
          throw ModelFileError(.unknownCustomLayer(layer: layer, name: name))
        }
        var parameters: [String: Tensor] = [:]
        for spec in specs { parameters[spec.name] = try tensor(spec.name, shape: spec.shape, layer: layer) }
        do {
          let rebuilt = try type.init(configuration: configuration, parameters: parameters)
          guard rebuilt.parameterNames == specs.map(\.name) else {
            throw ModelFileError(
              .customLayerRejected(
                layer: layer,
                problem: "\(type) rebuilt has parameters \(rebuilt.parameterNames), the file lists \(specs.map(\.name))"))
          }
          model.append(rebuilt)
        } catch let error as ModelFileError {
          throw error
        } catch {
          throw ModelFileError(.customLayerRejected(layer: layer, problem: "\(error)"))
        }
      }
      index += 1
    }
    return model
  }
}
