import Dendrite
import DendriteData
import Testing

@Suite("Training on a bundled data set")
struct TrainingOnBundledDataTests {
  @Test("iris: a 4-16-3 ReLU network with Adam reaches 0.9 test accuracy in 60 epochs, the same on every run")
  func irisTrainsDeterministically() throws {
    func train() throws -> (accuracy: Float, parameters: [Tensor]) {
      let (rawTrain, rawTest) = try Datasets.iris().split(testFraction: 0.2, seed: 42)
      let scaling = Preprocessing.fitStandardization(rawTrain.features)
      let train = rawTrain.replacingFeatures(scaling.apply(rawTrain.features))
      let test = rawTest.replacingFeatures(scaling.apply(rawTest.features))
      var model = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [16], activation: .relu, outputSize: 3, seed: 7)
      var optimizer = Adam(learningRate: 0.01)
      try model.fit(train, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 60, batchSize: 16, seed: 7)
      return (model.evaluate(test, loss: .softmaxCrossEntropy)["accuracy"] ?? 0, model.parameterValues)
    }
    let first = try train()
    let second = try train()
    #expect(first.accuracy >= 0.9)
    #expect(first.parameters == second.parameters)
  }
}
