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

extension Layer {
  /// Puts back buffers as ``buffers`` names them (a snapshot taken earlier, say), in this
  /// layer and the layers inside it; names it does not have are ignored. A batch-norm layer
  /// given its statistics this way gets a box of its own (see ``BatchNorm``), so the
  /// snapshot's values are not shared with other copies.
  ///
  ///     let snapshot = model.buffers          // after a good epoch
  ///     …                                     // more training moves the running statistics
  ///     model.loadBuffers(snapshot)           // back to the snapshot's
  ///
  /// - Precondition: each given tensor has the shape of the buffer it replaces.
  public mutating func loadBuffers(_ buffers: [String: Tensor]) {
    guard !buffers.isEmpty else { return }
    var layer: any Layer = self
    writeBuffers(buffers, into: &layer, prefix: "")
    if let updated = layer as? Self { self = updated }
  }
}

/// Writes the buffers named `prefix + name` into `layer` and the layers inside it.
private func writeBuffers(_ buffers: [String: Tensor], into layer: inout any Layer, prefix: String) {
  switch layer {
  case var batchNorm as BatchNorm:
    if let mean = buffers[prefix + "running_mean"] { batchNorm.runningMean = mean }
    if let variance = buffers[prefix + "running_var"] { batchNorm.runningVariance = variance }
    if let count = buffers[prefix + "num_batches_tracked"], count.scalarCount == 1 {
      batchNorm.batchesTracked = Int(count.scalars[0])
    }
    layer = batchNorm
  case var residual as Residual:
    var body: any Layer = residual.body
    writeBuffers(buffers, into: &body, prefix: prefix)
    if let sequential = body as? Sequential { residual.body = sequential }
    layer = residual
  case var sequential as Sequential:
    var module = 0
    for index in sequential.layers.indices {
      var inner = sequential.layers[index]
      writeBuffers(buffers, into: &inner, prefix: prefix + String(module) + ".")
      module += ModuleNumbering.moduleCount(of: inner)
      sequential.layers[index] = inner
    }
    layer = sequential
  default:
    break
  }
}
