// A model that is not a Sequential (a linear part and a hidden-layer part whose logits add
// up), trained with fit and a loss of our own; then the same model trained by a
// hand-written loop of valueWithGradients and an optimizer's update.
import Dendrite
import DendriteData

/// logits = x·Wᵀ + b  +  MLP(x): a wide (linear) and a deep part side by side.
struct WideAndDeep: Layer {
  var wide: Dense
  var deep: Sequential

  init(inputs: Int, hidden: Int, outputs: Int, seed: UInt64) {
    wide = Dense(inputSize: inputs, outputSize: outputs, seed: seed)
    deep = Sequential.multilayerPerceptron(
      inputSize: inputs, hiddenSizes: [hidden], activation: .relu, outputSize: outputs, seed: seed + 1)
  }

  func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    wide.forward(input, context: &context) + deep.forward(input, context: &context)
  }

  // Every parameter under a stable name, in a fixed order.
  var parameterNames: [String] {
    wide.parameterNames.map { "wide." + $0 } + deep.parameterNames.map { "deep." + $0 }
  }
  var parameterValues: [Tensor] {
    get { wide.parameterValues + deep.parameterValues }
    set {
      let split = wide.parameterNames.count
      wide.parameterValues = Array(newValue[..<split])
      deep.parameterValues = Array(newValue[split...])
    }
  }
}

let iris = try Datasets.iris()
let (trainingRows, testRows) = iris.split(testFraction: 0.2, seed: 1)
let scaling = Preprocessing.fitStandardization(trainingRows.features)
let training = trainingRows.replacingFeatures(scaling.apply(trainingRows.features))
let test = testRows.replacingFeatures(scaling.apply(testRows.features))
func figure(_ value: Float?) -> String { String(format: "%.4f", value ?? .nan) }

// A loss the Loss enum does not name: cross-entropy with a weight per class,
// J = −(1/B) Σᵢ w_yᵢ · log softmax(zᵢ)_yᵢ. Any differentiable Tensor expression works.
let classWeights = Tensor([1, 2, 1])
func weightedCrossEntropy(_ logits: Tensor, _ labels: Dataset.Labels) -> Tensor {
  guard case .classes(let classes, let classCount) = labels else {
    return Loss.softmaxCrossEntropy.compute(outputs: logits, labels: labels)
  }
  let oneHot = Tensor(oneHotClassIndices: classes, classCount: classCount)
  return -(oneHot * classWeights * logSoftmax(logits)).sum() / Float(classes.count)
}

var model = WideAndDeep(inputs: 4, hidden: 16, outputs: 3, seed: 42)
print("parameters:", model.parameterNames.joined(separator: ", "))
var adam = Adam(learningRate: 0.05)
// `objective` replaces the loss's formula; `loss` still says how outputs read as classes.
let history = try model.fit(
  training, loss: .softmaxCrossEntropy, optimizer: &adam, epochs: 30, batchSize: 16, validation: test,
  objective: weightedCrossEntropy)
print("training path:", history.trainingPath.map(String.init(describing:)) ?? "none")
print("fit: weighted loss \(figure(history["loss"].last)), test accuracy \(figure(history["val_accuracy"].last))")

// The same model, trained by hand: full-batch gradient descent with plain SGD.
var manual = WideAndDeep(inputs: 4, hidden: 16, outputs: 3, seed: 42)
var sgd = SGD(learningRate: 0.1)
let classes = training.classIndices ?? []
for epoch in 1...100 {
  let (loss, gradients) = manual.valueWithGradients { model in
    softmaxCrossEntropy(logits: model(training.features), classIndices: classes)
  }
  sgd.update(&manual, along: gradients)
  if epoch % 25 == 0 { print("step \(epoch): loss \(figure(loss.scalar))") }
}
print("hand-written loop: test accuracy", figure(manual.evaluate(test, loss: .softmaxCrossEntropy)["accuracy"]))
