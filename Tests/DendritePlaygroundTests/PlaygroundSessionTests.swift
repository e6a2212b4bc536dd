import Dendrite
import Testing

@testable import DendritePlayground

@Suite struct PlaygroundSessionTests {
  @Test func learnsXORWithCrossEntropyAndTanh() throws {
    let session = try PlaygroundSession(
      config: PlaygroundConfig(hash: "dataset=xor&loss=sigmoid-cross-entropy&layers=4,2&activation=tanh&learningRate=0.1"))
    let start = session.figures.trainLoss
    for _ in 0..<200 { session.trainEpoch() }
    #expect(session.epoch == 200)
    #expect(session.figures.trainLoss < 0.2)
    #expect(session.figures.trainLoss < start)
    #expect((session.figures.testAccuracy ?? 0) > 0.9)
  }

  @Test func theSeedFixesTheWholeRun() throws {
    let config = try PlaygroundConfig(hash: "dataset=circle&dropout=0.1&optimizer=momentum&regularization=l1&regularizationRate=0.001")
    let a = try PlaygroundSession(config: config)
    let b = try PlaygroundSession(config: config)
    for _ in 0..<3 {
      a.trainEpoch()
      b.trainEpoch()
    }
    #expect(a.model.parameterValues == b.model.parameterValues)
    #expect(a.frame(includePoints: true) == b.frame(includePoints: true))
  }

  @Test func l2RegularisationShrinksTheWeights() throws {
    func weightNorm(_ hash: String) throws -> Float {
      let session = try PlaygroundSession(config: PlaygroundConfig(hash: hash))
      for _ in 0..<30 { session.trainEpoch() }
      return session.model.parameters.filter { $0.key.hasSuffix(".weight") }.values
        .flatMap(\.scalars).reduce(0) { $0 + $1 * $1 }
    }
    let plain = try weightNorm("dataset=gauss&learningRate=0.1")
    let penalised = try weightNorm("dataset=gauss&learningRate=0.1&regularization=l2&regularizationRate=0.3")
    #expect(penalised < plain * 0.5)
  }

  @Test func buildsTheConfiguredNetwork() throws {
    let session = try PlaygroundSession(
      config: PlaygroundConfig(hash: "dataset=gauss3&layers=5,3&activation=relu,elu&dropout=0.2&init=he&features=x1,x2,x1x2"))
    let dense = session.denseLayers
    #expect(dense.map(\.inputSize) == [3, 5, 3])
    #expect(dense.map(\.outputSize) == [5, 3, 3])
    #expect(dense.map(\.activation) == [.relu, .elu, .linear])
    #expect(session.model.layers.filter { $0 is Dropout }.count == 2)
    // Two classes: one unit for sigmoid cross-entropy and behind a sigmoid output, two for softmax.
    #expect(try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=xor")).network.outputCount == 1)
    #expect(try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=xor&loss=softmax-cross-entropy")).network.outputCount == 2)
    #expect(try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=xor&loss=mse")).network.outputCount == 2)
    #expect(
      try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=xor&loss=mse&outputActivation=sigmoid")).network.outputCount == 1)
    // N(0, 1) weights have a standard deviation near 1.
    let normal = try PlaygroundSession(config: PlaygroundConfig(hash: "layers=64,64&init=normal"))
    let weights = normal.denseLayers[1].weight.scalars
    let variance = weights.reduce(0) { $0 + $1 * $1 } / Float(weights.count)
    #expect(variance > 0.8 && variance < 1.2)
  }

  @Test func theAdvisorsFindingsAreInTheFrame() throws {
    let session = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=xor&loss=mse&outputActivation=sigmoid"))
    let advice = session.frame(includePoints: false)["advice"]
    guard case .array(let items)? = advice else {
      Issue.record("no advice array")
      return
    }
    #expect(items.contains { $0["code"] == "sigmoid-mse" && $0["severity"] == "warning" && $0["message"] != nil })
    let deep = try PlaygroundSession(config: PlaygroundConfig(hash: "layers=8,8,8,8,8&activation=sigmoid"))
    #expect(deep.advice.contains { $0.code == "vanishing-gradients" })
  }

  @Test func aDivergingRunStopsAndSaysSo() throws {
    let session = try PlaygroundSession(
      config: PlaygroundConfig(hash: "dataset=plane&layers=8,8,8&activation=relu&init=normal&learningRate=10&features=x1,x2,x1sq,x2sq,x1x2"))
    for _ in 0..<20 { session.trainEpoch() }
    #expect(session.divergence != nil)
    guard case .array(let advice)? = session.frame(includePoints: false)["advice"] else {
      Issue.record("no advice")
      return
    }
    #expect(advice.contains { $0["code"] == "diverged" })
    #expect(session.model.parameterValues.allSatisfy { $0.scalars.allSatisfy(\.isFinite) })
  }

  @Test func regressionHasNoAccuracy() throws {
    let session = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=multi-gauss&layers=8,8&learningRate=0.01"))
    for _ in 0..<5 { session.trainEpoch() }
    let frame = session.frame(includePoints: true)
    #expect(frame["trainAccuracy"] == .null && frame["testAccuracy"] == .null)
    if case .number(let loss)? = frame["trainLoss"] { #expect(loss.isFinite) } else { Issue.record("no trainLoss") }
  }

  @Test func exportLoadsAndPredictsLikeTheSession() throws {
    for hash in ["dataset=xor&features=x1,x2,x1x2", "dataset=gauss3&loss=nll", "dataset=iris", "dataset=plane&dropout=0.1"] {
      let session = try PlaygroundSession(config: PlaygroundConfig(hash: hash))
      for _ in 0..<5 { session.trainEpoch() }
      let file = try ModelFile(safetensors: SafetensorsFile(bytes: session.exportModelFile()))
      #expect(file.featureNames == session.data.inputNames)
      #expect(file.classCount == session.data.classCount)
      // The file takes the raw inputs (a bundled set: before standardisation).
      let raw: Tensor
      if session.config.dataset.isPlanar {
        raw = session.data.test.features
      } else {
        let table = try DatasetsForTests.raw(session.config.dataset.rawValue, rows: session.config)
        raw = table
      }
      let expected = session.readableOutputs(session.data.test.features).scalars
      let predicted = file.predict(raw).scalars
      #expect(expected.count == predicted.count)
      #expect(zip(expected, predicted).allSatisfy { abs($0 - $1) < 1e-4 }, "\(hash)")
    }
  }

  @Test func commandLineOnlyForBundledSets() throws {
    #expect(try PlaygroundSession(config: PlaygroundConfig()).commandLine == nil)
    let iris = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=iris&layers=8&activation=relu&init=he&seed=3"))
    #expect(
      iris.commandLine
        == "dendrite train --dataset iris --layers 8 --activation relu --loss softmax-cross-entropy --optimizer sgd "
        + "--learning-rate 0.03 --batch-size 10 --epochs 1 --seed 3 --test-fraction 0.5 --validation-fraction 0")
    let odd = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=wine&init=normal&regularization=l2&regularizationRate=0.01"))
    #expect(odd.commandLine?.hasSuffix("# no dendrite train option for: init normal, l2 regularization 0.01") == true)
  }
}
