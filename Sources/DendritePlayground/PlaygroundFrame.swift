import Dendrite

extension PlaygroundSession {
  /// Cells per side of the decision boundary.
  public static let boundarySize = 40
  /// Cells per side of a unit's map.
  public static let unitMapSize = 16

  /// The `frame` message of docs/playground-protocol.md, `"type": "frame"` included and
  /// `"playing"` left to the server: epoch, losses, accuracies (null for regression),
  /// advice, the network's weights, gradient flow, and for 2-D sets the boundary, the unit
  /// maps and (with `includePoints`) the points. Numbers are rounded to four significant
  /// digits; boundary values to three decimals, unit-map values to two.
  ///
  /// Grids cover [−6, 6]² at cell centres, row-major, the first row at the top (largest x2),
  /// the first column at the left (smallest x1).
  ///
  ///     let frame = session.frame(includePoints: true)
  ///     frame["epoch"]   // 0
  public func frame(includePoints: Bool) -> JSONValue {
    var fields = networkFields()
    fields["type"] = "frame"
    // The first frame after a start or reset says what runs: a preset's set-up included.
    if includePoints { fields["config"] = config.json }
    if data.planarFeatures != nil {
      fields["units"] = unitMaps()
      if includePoints {
        fields["points"] = [
          "train": .array(data.trainPoints.map { FrameNumbers.json($0) }),
          "test": .array(data.testPoints.map { FrameNumbers.json($0) }),
        ]
      }
    }
    return .object(fields)
  }

  /// The fields a race's `b` carries: epoch, losses, accuracies, advice, gradient flow,
  /// network and (2-D sets) boundary.
  func networkFields() -> [String: JSONValue] {
    var fields: [String: JSONValue] = [
      "epoch": .number(Double(epoch)),
      "trainLoss": FrameNumbers.json(figures.trainLoss),
      "testLoss": FrameNumbers.json(figures.testLoss),
      "trainAccuracy": FrameNumbers.json(figures.trainAccuracy),
      "testAccuracy": FrameNumbers.json(figures.testAccuracy),
      "advice": adviceJSON(),
      "network": networkJSON(),
      "gradientFlow": gradientFlowJSON(),
    ]
    if let boundary = boundaryJSON() { fields["boundary"] = boundary }
    return fields
  }

  /// The advisor's findings, and the divergence that stopped training.
  private func adviceJSON() -> JSONValue {
    var items: [JSONValue] = advice.map { finding in
      ["severity": .string(finding.severity.rawValue), "code": .string(finding.code), "message": .string(finding.message)]
    }
    if let divergence {
      items.append(["severity": "error", "code": "diverged", "message": .string(divergence)])
    }
    return .array(items)
  }

  /// The dense layers of the model, input side first.
  var denseLayers: [Dense] { model.layers.compactMap { $0 as? Dense } }

  /// Inputs and, per dense layer, units, activation, weights `[units][inputs]` and biases.
  private func networkJSON() -> JSONValue {
    let layers: [JSONValue] = denseLayers.map { dense in
      let inputs = dense.inputSize
      let weights = dense.weight.scalars
      return [
        "units": .number(Double(dense.outputSize)),
        "activation": .string(dense.activation.name),
        "weights": .array((0..<dense.outputSize).map { unit in FrameNumbers.json(Array(weights[(unit * inputs)..<((unit + 1) * inputs)])) }),
        "biases": FrameNumbers.json(dense.bias.scalars),
      ]
    }
    return ["inputs": .array(data.inputNames.map { .string($0) }), "layers": .array(layers)]
  }

  /// Per dense layer: its name, the mean weight-gradient norm of the last epoch (before
  /// training: of the probe batch), the probe's saturated and dead shares, and the flags.
  private func gradientFlowJSON() -> JSONValue {
    let names: [JSONValue] = denseLayers.enumerated().map { index, dense in
      .string("dense \(index + 1) (\(dense.inputSize) → \(dense.outputSize))")
    }
    let norms: [Float]
    let snapshot: GradientFlowSnapshot
    let flags: [String]
    if let entry = recorder.epochs.last, let measured = entry.snapshot, !entry.meanWeightGradientNorms.isEmpty {
      norms = entry.meanWeightGradientNorms
      snapshot = measured
      flags = entry.flags
    } else {
      let probe = recorder.probe ?? GradientFlowRecorder.Probe(data.train, loss: network.loss)
      snapshot = GradientFlowSnapshot.measure(model: model, features: probe.features, labels: probe.labels, loss: network.loss)
      norms = snapshot.layers.map(\.weightGradientNorm)
      flags = []
    }
    return [
      "layers": .array(names),
      "weightGradientNorms": FrameNumbers.json(norms),
      "saturatedShare": .array(snapshot.layers.map { FrameNumbers.json($0.saturatedShare) }),
      "deadShare": .array(snapshot.layers.map { FrameNumbers.json($0.deadShare) }),
      "flags": .array(flags.map { .string($0) }),
    ]
  }

  /// The cell centres of a `size`×`size` grid over the plane, row-major from the top left.
  private func grid(_ size: Int) -> (x1: [Float], x2: [Float]) {
    let extent = PlanarPoints.extent
    let step = 2 * extent / Float(size)
    var x1: [Float] = []
    var x2: [Float] = []
    for row in 0..<size {
      for column in 0..<size {
        x1.append(-extent + (Float(column) + 0.5) * step)
        x2.append(extent - (Float(row) + 0.5) * step)
      }
    }
    return (x1, x2)
  }

  /// The network's output over the plane: the positive class's probability, `class + p`,
  /// or the value.
  private func boundaryJSON() -> JSONValue? {
    let (x1, x2) = grid(Self.boundarySize)
    guard let inputs = data.inputs(x1: x1, x2: x2) else { return nil }
    let readable = readableOutputs(inputs)
    let width = readable.shape[1]
    let values = (0..<readable.shape[0]).map { row in
      network.boundaryValue(readable.scalars[(row * width)..<((row + 1) * width)])
    }
    return [
      "size": .number(Double(Self.boundarySize)),
      "extent": [.number(Double(-PlanarPoints.extent)), .number(Double(PlanarPoints.extent))],
      "values": FrameNumbers.grid(values, decimals: 3),
    ]
  }

  /// Every unit's activation over the plane: per hidden dense layer, then the output
  /// (read as probabilities where the loss implies them).
  private func unitMaps() -> JSONValue {
    let (x1, x2) = grid(Self.unitMapSize)
    guard var activations = data.inputs(x1: x1, x2: x2) else { return .array([]) }
    var maps: [JSONValue] = []
    var context = ForwardContext.inference
    let layers = model.layers
    for (index, layer) in layers.enumerated() {
      activations = layer.forward(activations, context: &context)
      guard layer is Dense else { continue }
      let isOutput = !layers[(index + 1)...].contains { $0 is Dense }
      let values = isOutput ? network.readable(activations) : activations
      let units = values.shape[1]
      let cells = values.shape[0]
      maps.append(
        .array(
          (0..<units).map { unit in
            [
              "size": .number(Double(Self.unitMapSize)),
              "values": FrameNumbers.grid((0..<cells).map { values.scalars[$0 * units + unit] }, decimals: 2),
            ]
          }))
    }
    return .array(maps)
  }
}
