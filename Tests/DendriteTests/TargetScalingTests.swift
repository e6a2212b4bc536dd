import Dendrite
import Testing

@Suite("regression targets standardised for training, predictions in original units")
struct TargetScalingTests {
  @Test("fit, apply and invert: mean 0 and deviation 1 per column, and back")
  func roundTrip() {
    let targets = Tensor([[100_000, 1], [300_000, 1], [200_000, 1]])
    let scaling = TargetScaling.fit(targets)
    #expect(scaling.mean == [200_000, 1])
    #expect(abs(scaling.standardDeviation[0] - 81_649.66) < 0.1)
    #expect(scaling.standardDeviation[1] == 1)  // a constant column keeps its scale
    let scaled = scaling.apply(targets)
    #expect(abs(scaled.scalars[0] + 1.2247449) < 1e-6 && scaled.scalars[2] == 1.2247449 && scaled.scalars[1] == 0)
    #expect(scaling.invert(scaled) == targets)
  }

  @Test("a model file keeps the scaling as dendrite.targets and predict returns original units")
  func modelFile() throws {
    let model = Sequential(layers: [Dense(weight: Tensor([[2]]), bias: Tensor([0.5]))])
    let scaling = TargetScaling(mean: [1000], standardDeviation: [10])
    let file = try ModelFile(model: model, loss: .meanSquaredError, classCount: nil, targetScaling: scaling)
    let safetensors = file.safetensors()
    #expect(safetensors.metadata["dendrite.targets"] == #"{"kind":"standardize","mean":[1000],"std":[10]}"#)
    let loaded = try ModelFile(safetensors: SafetensorsFile(bytes: safetensors.encoded()))
    #expect(loaded.targetScaling == scaling)
    #expect(loaded.predict(Tensor([[1], [-0.25]])) == Tensor([[1025], [1000]]))  // (2x + 0.5)·10 + 1000
    // Only a regressor's outputs are scaled, one column per output.
    #expect(throws: ModelFileError.self) {
      try ModelFile(model: Sequential(layers: [Dense(weight: Tensor([[1], [1]]), bias: Tensor([0, 0]))]),
                    loss: .softmaxCrossEntropy, classCount: 2, targetScaling: scaling)
    }
    var broken = safetensors
    broken.metadata["dendrite.targets"] = #"{"kind":"standardize","mean":[1],"std":[0]}"#
    #expect(throws: ModelFileError.self) { try ModelFile(safetensors: SafetensorsFile(bytes: broken.encoded())) }
  }
}
