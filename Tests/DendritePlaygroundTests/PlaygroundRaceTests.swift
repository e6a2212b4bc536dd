import Dendrite
import Testing

@testable import DendritePlayground

@Suite struct PlaygroundRaceTests {
  @Test func bothNetworksStartFromTheSameWeights() throws {
    let race = try PlaygroundRace(config: PlaygroundConfig(hash: "dataset=circle&layers=6,3&compare=activation&compareWith=relu"))
    let frame = race.frame(includePoints: true)
    let aLayers = frame["network"]?["layers"]
    let bLayers = frame["b"]?["network"]?["layers"]
    // Same weights and biases; only the activations differ.
    guard case .array(let a)? = aLayers, case .array(let b)? = bLayers else {
      Issue.record("no network layers")
      return
    }
    #expect(a.count == b.count)
    for (left, right) in zip(a, b) {
      #expect(left["weights"] == right["weights"] && left["biases"] == right["biases"])
    }
    #expect(a.first?["activation"] == "tanh" && b.first?["activation"] == "relu")
    #expect(frame["b"]?["epoch"] == 0)
    #expect(race.first.model.parameterValues == race.second.model.parameterValues)
  }

  @Test func aLossRaceSharesWeightsAndBatches() throws {
    // mse and binary cross-entropy behind one sigmoid unit: same shapes, same start.
    let race = try PlaygroundRace(
      config: PlaygroundConfig(hash: "dataset=gauss&outputActivation=sigmoid&loss=mse&compare=loss&compareWith=binary-cross-entropy"))
    #expect(race.first.model.parameterValues == race.second.model.parameterValues)
    // The same losses' twins see the same batches: a race against itself stays identical.
    let twins = try PlaygroundRace(config: PlaygroundConfig(hash: "dataset=circle&dropout=0.2&compare=loss&compareWith=sigmoid-cross-entropy"))
    for _ in 0..<3 { twins.trainEpoch() }
    #expect(twins.first.model.parameterValues == twins.second.model.parameterValues)
  }

  @Test func anInitRaceStartsFromDifferentWeights() throws {
    let race = try PlaygroundRace(config: PlaygroundConfig(hash: "preset=init-normal-vs-he"))
    #expect(race.first.model.parameterValues != race.second.model.parameterValues)
    #expect(race.first.data.trainPoints == race.second.data.trainPoints)
    // N(0, 1) through six ReLU layers starts far worse than He.
    #expect(race.first.figures.trainLoss > 5 * race.second.figures.trainLoss)
  }

  @Test func crossEntropyLeavesTheSaturatedStartFirst() throws {
    let race = try PlaygroundRace(config: PlaygroundConfig(hash: "preset=saturated-neuron"))
    // w = b = 2 on every input: confidently wrong on every point.
    #expect(race.first.model.parameterValues.allSatisfy { $0.scalars.allSatisfy { $0 == 2 } })
    #expect(race.first.model.parameterValues == race.second.model.parameterValues)
    #expect(race.first.figures.trainAccuracy == 0 && race.second.figures.trainAccuracy == 0)
    for _ in 0..<3 { race.trainEpoch() }
    let frame = race.frame(includePoints: false)
    guard case .number(let mse)? = frame["trainAccuracy"], case .number(let crossEntropy)? = frame["b"]?["trainAccuracy"] else {
      Issue.record("no accuracies")
      return
    }
    #expect(crossEntropy > 0.95)
    #expect(mse < 0.1)
    #expect(frame["b"]?["epoch"] == 3 && frame["epoch"] == 3)
  }

  @Test func aRaceNeedsACompareKey() {
    #expect(throws: PlaygroundError.self) { try PlaygroundRace(config: PlaygroundConfig()) }
  }

  @Test func exportIsTheFirstNetwork() throws {
    let race = try PlaygroundRace(config: PlaygroundConfig(hash: "dataset=xor&compare=init&compareWith=he"))
    race.trainEpoch()
    let file = try ModelFile(safetensors: SafetensorsFile(bytes: race.exportModelFile()))
    #expect(file.model.parameterValues == race.first.model.parameterValues)
  }
}

@Suite struct PlaygroundRaceSharingTests {
  @Test func differentOutputWidthsStillShareTheHiddenLayers() throws {
    // Sigmoid cross-entropy has one output unit on two classes, MSE two.
    let race = try PlaygroundRace(config: PlaygroundConfig(hash: "dataset=xor&layers=4&compare=loss&compareWith=mse"))
    let a = race.first.model.parameters
    let b = race.second.model.parameters
    #expect(a["0.weight"] == b["0.weight"] && a["0.bias"] == b["0.bias"])
    #expect(a["2.weight"]?.shape == [1, 4] && b["2.weight"]?.shape == [2, 4])
    #expect(race.stepsPerEpoch == 50)
  }
}
