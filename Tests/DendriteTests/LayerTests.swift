import Dendrite
import Testing

@Suite("Layers: shapes, parameter names, initialisation")
struct LayerTests {
  @Test("linear is x·Wᵀ + b in one op, with the bias gradient summed over the batch")
  func linearOp() {
    let x = Tensor([[1, 2], [0, -1]])
    let weight = Tensor([[3, 4], [5, 6]])
    #expect(linear(x, weight: weight, bias: Tensor([0.5, -1])) == Tensor([[11.5, 16], [-3.5, -7]]))
    let db = gradient(at: Tensor([0.5, -1])) { linear(x, weight: weight, bias: $0).sum() }
    #expect(db == Tensor([2, 2]))
  }

  @Test("Dense maps [batch, in] to [batch, out] with PyTorch's [out, in] weights")
  func denseShapes() {
    let layer = Dense(inputSize: 4, outputSize: 3, activation: .relu)
    #expect(layer.weight.shape == [3, 4])
    #expect(layer.bias.shape == [3])
    #expect(layer(Tensor.zeros(shape: [5, 4])).shape == [5, 3])
    let exact = Dense(weight: Tensor([[1, 2], [3, 4], [5, 6]]), bias: Tensor([0.5, 0, -100]))
    #expect(exact(Tensor([[1, 1]])).scalars == [3.5, 7, -89])
  }

  @Test("parameter names follow nn.Sequential with each activation a module")
  func sequentialNames() throws {
    let model = Sequential {
      Dense(inputSize: 64, outputSize: 32, activation: .relu)
      Dropout(rate: 0.2)
      Dense(inputSize: 32, outputSize: 16, activation: .tanh)
      Dense(inputSize: 16, outputSize: 10)
    }
    #expect(model.parameterNames == ["0.weight", "0.bias", "3.weight", "3.bias", "5.weight", "5.bias"])
    #expect(model.parameterCount == 64 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10)
    #expect(model(Tensor.zeros(shape: [2, 64])).shape == [2, 10])
    let architecture = try ModelFile(model: model, loss: .softmaxCrossEntropy, classCount: 10).architecture
    #expect(architecture.count == 6)
    #expect(architecture[1] == ["type": "activation", "name": "relu"])
    #expect(architecture[2] == ["type": "dropout", "rate": 0.2])
  }

  @Test("the same seed gives the same model, another seed another")
  func seededInitialisation() {
    func make(_ seed: UInt64) -> Sequential {
      .multilayerPerceptron(inputSize: 8, hiddenSizes: [16, 16], activation: .relu, outputSize: 3, seed: seed)
    }
    #expect(make(1).parameterValues == make(1).parameterValues)
    #expect(make(1).parameterValues != make(2).parameterValues)
    // Two hidden layers of the same shape inside one model get different weights.
    let model = Sequential(seed: 1) {
      Dense(inputSize: 16, outputSize: 16, activation: .relu)
      Dense(inputSize: 16, outputSize: 16, activation: .relu)
    }
    #expect(model.parameterValues[0] != model.parameterValues[2])
  }

  @Test("initialisers have the variances their formulas give")
  func initializerStatistics() {
    var generator = RandomGenerator(seed: 9)
    func variance(_ t: Tensor) -> Float {
      let mean = t.mean().scalar
      return (t - mean).squared().mean().scalar
    }
    let fanIn = 200
    let fanOut = 100
    let shape = [fanOut, fanIn]
    let cases: [(Initializer, Float)] = [
      (.glorotUniform, 2 / Float(fanIn + fanOut)), (.glorotNormal, 2 / Float(fanIn + fanOut)),
      (.heUniform, 2 / Float(fanIn)), (.heNormal, 2 / Float(fanIn)),
      (.leCunUniform, 1 / Float(fanIn)), (.leCunNormal, 1 / Float(fanIn)),
      (.normal(standardDeviation: 0.3), 0.09), (.uniform(range: -1...1), 1.0 / 3),
    ]
    for (initializer, expected) in cases {
      let t = initializer.makeTensor(shape: shape, fanIn: fanIn, fanOut: fanOut, generator: &generator)
      let v = variance(t)
      #expect(Swift.abs(v - expected) < 0.05 * expected, "\(initializer): variance \(v), expected \(expected)")
    }
    let glorotLimit = (6 / Float(fanIn + fanOut)).squareRoot()
    let glorot = Initializer.glorotUniform.makeTensor(shape: shape, fanIn: fanIn, fanOut: fanOut, generator: &generator)
    #expect(glorot.scalars.allSatisfy { Swift.abs($0) <= glorotLimit })
    #expect(Initializer.constant(0.5).makeTensor(shape: [2], fanIn: 1, fanOut: 1, generator: &generator).scalars == [0.5, 0.5])
    #expect(Initializer.zeros.makeTensor(shape: [2], fanIn: 1, fanOut: 1, generator: &generator).scalars == [0, 0])
  }

  @Test("He initialisation for ReLU-like layers, Glorot otherwise")
  func defaultInitializers() {
    #expect(Dense(inputSize: 2, outputSize: 2, activation: .relu).weightInitializer == .heNormal)
    #expect(Dense(inputSize: 2, outputSize: 2, activation: .sigmoid).weightInitializer == .glorotUniform)
    #expect(Dense(inputSize: 2, outputSize: 2).weightInitializer == .glorotUniform)
    #expect(Dense(inputSize: 2, outputSize: 2, activation: .relu, weightInitializer: .zeros).weight.scalars == [0, 0, 0, 0])
  }

  @Test("dropout drops about `rate` of the units while training and is the identity otherwise")
  func dropout() {
    let layer = Dropout(rate: 0.25)
    let x = Tensor(repeating: 1, shape: [100, 100])
    #expect(layer(x) == x)
    var context = ForwardContext(isTraining: true, seed: 3)
    let y = layer.forward(x, context: &context)
    let dropped = y.scalars.filter { $0 == 0 }.count
    #expect(dropped > 2300 && dropped < 2700)
    #expect(y.scalars.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.75) < 1e-6 })
  }

  @Test("gradients of a model come back keyed by parameter name")
  func modelGradients() {
    let model = Sequential {
      Dense(weight: Tensor([[1, -1]]), bias: Tensor([0]), activation: .linear)
    }
    let x = Tensor([[2, 3]])
    let (value, gradients) = model.valueWithGradients { m in
      meanSquaredError(predicted: m(x), expected: Tensor([[0]]))
    }
    // output = 2 − 3 = −1; loss = 1; ∂/∂out = −2; ∂/∂W = −2·x; ∂/∂b = −2.
    #expect(value.scalar == 1)
    #expect(gradients["0.weight"]?.scalars == [-4, -6])
    #expect(gradients["0.bias"]?.scalars == [-2])
  }

  @Test("a gradient check through a two-layer Sequential passes with every loss")
  func twoLayerGradientCheck() {
    let x = Tensor([[0.5, -1.2, 0.3], [1.1, 0.4, -0.7]])
    for loss in Loss.allCases {
      let outputs = loss == .binaryCrossEntropy || loss == .sigmoidCrossEntropy ? 1 : 3
      let labels: Dataset.Labels = outputs == 1 ? .classes([0, 1], classCount: 2) : .classes([2, 0], classCount: 3)
      let model = Sequential(seed: 5) {
        Dense(inputSize: 3, outputSize: 4, activation: .tanh)
        Dense(inputSize: 4, outputSize: outputs, activation: loss.outputLayerActivation)
      }
      for (index, name) in model.parameterNames.enumerated() {
        let check = checkGradient(at: model.parameterValues[index]) { parameter in
          var copy = model
          var values = copy.parameterValues
          values[index] = parameter
          copy.parameterValues = values
          return loss.compute(outputs: copy(x), labels: labels)
        }
        #expect(check.passed, "\(loss.name) \(name): \(check)")
      }
    }
  }
}
