extension Layer {
  /// The layer's non-trainable state — batch norm's running statistics — and that of the
  /// layers inside it (``Sequential``, ``Residual``), keyed as the parameters are named, so
  /// as a PyTorch state_dict keys its buffers. No optimizer sees these.
  ///
  ///     let model = Sequential {
  ///       Dense(inputSize: 4, outputSize: 8)   // module 0
  ///       BatchNorm(featureCount: 8)           // module 1
  ///     }
  ///     model.buffers.keys.sorted()   // ["1.num_batches_tracked", "1.running_mean", "1.running_var"]
  public var buffers: [String: Tensor] {
    var buffers: [String: Tensor] = [:]
    collectBuffers(of: self, prefix: "", into: &buffers)
    return buffers
  }
}

/// Adds the buffers of `layer` and the layers inside it, their names prefixed with `prefix`.
private func collectBuffers(of layer: any Layer, prefix: String, into buffers: inout [String: Tensor]) {
  switch layer {
  case let batchNorm as BatchNorm:
    for (name, value) in zip(batchNorm.bufferNames, batchNorm.bufferValues) { buffers[prefix + name] = value }
  case let residual as Residual:
    collectBuffers(of: residual.body, prefix: prefix, into: &buffers)
  case let sequential as Sequential:
    var module = 0
    for inner in sequential.layers {
      collectBuffers(of: inner, prefix: prefix + String(module) + ".", into: &buffers)
      module += ModuleNumbering.moduleCount(of: inner)
    }
  default:
    break
  }
}
