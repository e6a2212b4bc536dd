// What the Advisor says about five pairings of an output activation with a loss, for a
// breast-cancer-sized network (30 inputs, 16 ReLU units, then the output layer).
import Dendrite

func network(outputs: Int, _ output: Activation) -> Sequential {
  Sequential.multilayerPerceptron(
    inputSize: 30, hiddenSizes: [16], activation: .relu, outputSize: outputs, outputActivation: output)
}

let pairings: [(String, Sequential, Loss)] = [
  ("sigmoid unit + MSE", network(outputs: 1, .sigmoid), .meanSquaredError),
  ("sigmoid unit + binary cross-entropy", network(outputs: 1, .sigmoid), .binaryCrossEntropy),
  ("linear logit + sigmoid cross-entropy", network(outputs: 1, .linear), .sigmoidCrossEntropy),
  ("softmax units + softmax cross-entropy", network(outputs: 2, .softmax), .softmaxCrossEntropy),
  ("softmax units + NLL", network(outputs: 2, .softmax), .negativeLogLikelihood),
]
for (name, model, loss) in pairings {
  let codes = Advisor.check(model: model, loss: loss).map { "\($0.severity.rawValue) \($0.code)" }
  print(name + ":", codes.isEmpty ? "nothing" : codes.joined(separator: ", "))
}
