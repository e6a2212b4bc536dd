import Dendrite
import Testing

/// `ArchitectureSpecification`: the grammar (what parses, what each layer means, what a
/// mistake's message says) and the shape-checked building of a model.
@Suite("ArchitectureSpecificationTests")
struct ArchitectureSpecificationTests {
  @Test("the issue's example parses into its layers and prints back as written")
  func issueExample() throws {
    let text = "conv(32,3),relu,maxpool(2),conv(64,3),relu,maxpool(2),flatten,dense(128),relu"
    let spec = try ArchitectureSpecification(parsing: text)
    #expect(spec.layers == [
      .convolution(filters: 32, kernelSize: 3), .activation(.relu), .maxPool(size: 2),
      .convolution(filters: 64, kernelSize: 3), .activation(.relu), .maxPool(size: 2),
      .flatten, .dense(units: 128), .activation(.relu),
    ])
    #expect(spec.description == text)
    #expect(spec.takesImages)
    #expect(spec.layerCounts == (2, 1))
  }

  @Test("keyword and positional arguments, spaces, case, nesting and every layer kind")
  func everyLayerKind() throws {
    let spec = try ArchitectureSpecification(
      parsing: " Conv(8, 3, stride=2, padding=1) , conv(4,3,1,1), MaxPool(3, stride=1), avgpool(2), batchnorm, flatten, "
        + "dense(64), leaky-relu, layernorm, dropout(0.25), residual(dense(64), gelu, residual(dense(64))), relu() ")
    #expect(spec.layers == [
      .convolution(filters: 8, kernelSize: 3, stride: 2, padding: 1), .convolution(filters: 4, kernelSize: 3, stride: 1, padding: 1),
      .maxPool(size: 3, stride: 1), .averagePool(size: 2), .batchNorm, .flatten, .dense(units: 64),
      .activation(.leakyRelu), .layerNorm, .dropout(rate: 0.25),
      .residual([.dense(units: 64), .activation(.gelu), .residual([.dense(units: 64)])]), .activation(.relu),
    ])
    #expect(spec.description == "conv(8,3,stride=2,padding=1),conv(4,3,padding=1),maxpool(3,stride=1),avgpool(2),batchnorm,flatten,"
      + "dense(64),leaky-relu,layernorm,dropout(0.25),residual(dense(64),gelu,residual(dense(64))),relu")
    #expect(try ArchitectureSpecification(parsing: spec.description) == spec)
    #expect(spec.layerCounts == (2, 3))
    #expect(try !ArchitectureSpecification(parsing: "dense(8),relu,residual(dense(8))").takesImages)
    #expect(try ArchitectureSpecification(parsing: "dense(8),residual(maxpool(1))").takesImages)
  }

  @Test("a mistake's message names the place or the layer's text and what was expected", arguments: [
    ("conv(32)", #"conv needs (filters, kernel), got "conv(32)""#),
    ("conv(32,3,strde=2)", #"conv takes (filters, kernel, stride=1, padding=0), got "conv(32,3,strde=2)" (no argument "strde")"#),
    ("conv(32,3,1,0,5)", #"conv takes (filters, kernel, stride=1, padding=0), got "conv(32,3,1,0,5)" (5 arguments)"#),
    ("conv(32,3,stride=0)", #"conv takes (filters, kernel, stride=1, padding=0), got "conv(32,3,stride=0)" (stride must be a whole number from 1 to 1024, not 0)"#),
    ("conv(2.5,3)", #"conv takes (filters, kernel, stride=1, padding=0), got "conv(2.5,3)" (filters must be a whole number from 1 to 65536, not 2.5)"#),
    ("maxpool(2,stride=2,stride=1)", #"maxpool takes (size, stride=size), got "maxpool(2,stride=2,stride=1)" (stride given twice)"#),
    ("dense", #"dense needs (units), got "dense""#),
    ("dense(relu)", #"dense takes (units), got "dense(relu)" (arguments are numbers; layers go inside residual(…))"#),
    ("dropout(1)", #"dropout needs (rate), got "dropout(1)" (the rate must be a number in [0, 1))"#),
    ("relu(2)", #"relu takes no arguments, got "relu(2)""#),
    ("flatten(1)", #"flatten takes no arguments, got "flatten(1)""#),
    ("residual()", #"residual takes layers, like residual(dense(64),relu,dense(64)), got "residual()""#),
    ("dense(8),softmax", #"unknown layer "softmax" at character 10; use conv, maxpool, avgpool, dense, dropout, batchnorm, layernorm, flatten, residual or an activation (relu, sigmoid, tanh, leaky-relu, elu, selu, gelu, swish, softplus, linear)"#),
    ("conv(8,3", #"at character 9: expected "," or ")" in conv(…), got the end"#),
    ("dense(8),,relu", #"at character 10: expected a layer name such as conv, dense or relu, got ",""#),
    ("dense(8) relu", #"at character 10: expected "," between layers, got "r""#),
    ("dense(8),", #"at character 10: expected a layer name such as conv, dense or relu, got the end"#),
    ("  ", "the specification is empty; write layers like conv(32,3),relu,maxpool(2),flatten,dense(128),relu"),
  ])
  func syntaxErrors(text: String, message: String) {
    #expect(throws: ArchitectureSpecificationError(message)) { try ArchitectureSpecification(parsing: text) }
  }

  @Test("the model: Unflatten first for images, activations folded, output layer added, shapes as computed")
  func buildsTheModel() throws {
    let spec = try ArchitectureSpecification(parsing: "conv(4,3,padding=1),relu,batchnorm,maxpool(2),conv(6,3,stride=2),flatten,dense(16),tanh")
    let model = try spec.makeModel(inputShape: [1, 8, 8], outputSize: 3, outputActivation: .logSoftmax, seed: 7)
    #expect(model.layers.count == 8)
    #expect(model.layers[0] is Unflatten)
    let first = try #require(model.layers[1] as? Conv2D)
    #expect(first.inChannels == 1 && first.outChannels == 4 && first.padding == 1 && first.activation == .relu)
    #expect((model.layers[2] as? BatchNorm)?.featureCount == 4)
    #expect((model.layers[3] as? MaxPool2D)?.stride == 2)
    let second = try #require(model.layers[4] as? Conv2D)
    #expect(second.inChannels == 4 && second.stride == 2 && second.activation == .linear)
    let hidden = try #require(model.layers[6] as? Dense)   // [6, 1, 1] flattened
    #expect(hidden.inputSize == 6 && hidden.outputSize == 16 && hidden.activation == .tanh)
    let output = try #require(model.layers[7] as? Dense)
    #expect(output.inputSize == 16 && output.outputSize == 3 && output.activation == .logSoftmax)
    #expect(model(Tensor.zeros(shape: [5, 64])).shape == [5, 3])
    // The same seed gives the same model.
    let again = try spec.makeModel(inputShape: [1, 8, 8], outputSize: 3, outputActivation: .logSoftmax, seed: 7)
    #expect(again.parameterValues == model.parameterValues)
  }

  @Test("a dense-only specification is the multilayer perceptron of the same widths, weight for weight")
  func denseSpecificationIsThePerceptron() throws {
    let spec = try ArchitectureSpecification(parsing: "dense(16),relu,dropout(0.1),dense(8),relu,dropout(0.1)")
    let model = try spec.makeModel(inputShape: [1, 2, 2], outputSize: 3, seed: 11)
    let perceptron = Sequential.multilayerPerceptron(
      inputSize: 4, hiddenSizes: [16, 8], activation: .relu, outputSize: 3, dropout: 0.1, seed: 11)
    #expect(model.parameterNames == perceptron.parameterNames)
    #expect(model.parameterValues == perceptron.parameterValues)
    #expect(!(model.layers.first is Unflatten))   // no image layer: the rows stay rows
  }

  @Test("residual blocks keep the shape; batchnorm takes the features of rows")
  func residualAndNormalisationOnRows() throws {
    let spec = try ArchitectureSpecification(parsing: "dense(8),relu,batchnorm,residual(dense(8),relu,dense(8)),layernorm")
    let model = try spec.makeModel(inputShape: [5], outputSize: 2, seed: 1)
    #expect((model.layers[1] as? BatchNorm)?.featureCount == 8)
    #expect((model.layers[2] as? Residual)?.layers.count == 2)
    #expect((model.layers[3] as? LayerNorm)?.featureCount == 8)
    #expect(model(Tensor.zeros(shape: [3, 5])).shape == [3, 2])
  }

  @Test("a specification that does not fit the data names the layer and the shapes", arguments: [
    ("conv(8,3),relu,dense(10)", [1, 8, 8],
     "layer 3 dense(10) needs rows [N, D] but gets [N, 8, 6, 6]; put flatten before it"),
    ("conv(8,3),maxpool(2),conv(8,3),maxpool(2)", [1, 8, 8],
     "layer 4 maxpool(2) needs images of at least 2 × 2 but gets [N, 8, 1, 1]; take out a pooling layer or use a smaller size"),
    ("conv(8,5),maxpool(2),conv(8,5)", [1, 12, 12],
     "layer 3 conv(8,5) needs images of at least 5 × 5 (kernel 5, padding 0) but gets [N, 8, 4, 4]; add padding or take out a pooling layer before it"),
    ("conv(8,3)", [1, 8, 8],
     "the output layer dense(10) needs rows [N, D] but gets [N, 8, 6, 6]; end the specification with flatten"),
    ("flatten,conv(8,3)", [1, 8, 8],
     "layer 2 conv(8,3) needs images [N, C, H, W] but gets rows [N, 64]; give the data's image shape (C, H, W), and put no flatten before it"),
    ("conv(8,3)", [64],
     "layer 1 conv(8,3) needs images [N, C, H, W] but gets rows [N, 64]; give the data's image shape (C, H, W), and put no flatten before it"),
    ("conv(4,3,padding=1),layernorm", [1, 8, 8],
     "layer 2 layernorm normalises rows [N, D] but gets [N, 4, 8, 8]; put flatten before it"),
    ("dense(16),residual(dense(16),relu,dense(8))", [4],
     "layer 2 residual(dense(16),relu,dense(8)) changes the shape [N, 16] → [N, 8]; the layers inside residual(…) must keep their input's shape"),
    ("dense(16),residual(flatten,dense(16),conv(2,1))", [4],
     "layer 2 residual › layer 3 conv(2,1) needs images [N, C, H, W] but gets rows [N, 16]; give the data's image shape (C, H, W), and put no flatten before it"),
    ("dense(65536),dense(65536)", [4],
     "layer 2 dense(65536) would have 4294967296 weights, more than 67108864 (256 MiB); use fewer units or filters, or more pooling before it"),
  ])
  func misfits(text: String, shape: [Int], message: String) throws {
    let spec = try ArchitectureSpecification(parsing: text)
    #expect(throws: ArchitectureSpecificationError(message)) { try spec.makeModel(inputShape: shape, outputSize: 10) }
  }

  @Test("a CNN built from text learns a toy image task on the tape")
  func cnnLearns() throws {
    // 4×4 grey images: class 1 is bright on the left half, class 0 on the right.
    var rows: [Float] = []
    var classes: [Int] = []
    var generator = RandomGenerator(seed: 3)
    for index in 0..<64 {
      let label = index % 2
      for _ in 0..<4 {
        for column in 0..<4 {
          let bright = (column < 2) == (label == 1)
          rows.append((bright ? 0.8 : 0.1) + 0.1 * generator.nextUnitFloat())
        }
      }
      classes.append(label)
    }
    let data = try Dataset(features: Tensor(shape: [64, 16], scalars: rows), classIndices: classes)
    let spec = try ArchitectureSpecification(parsing: "conv(4,3,padding=1),relu,avgpool(2),flatten,dense(8),relu")
    var model = try spec.makeModel(inputShape: [1, 4, 4], outputSize: 2, seed: 5)
    var optimizer = Adam(learningRate: 0.01)
    _ = try model.fit(data, loss: .softmaxCrossEntropy, optimizer: &optimizer, epochs: 30, batchSize: 16, seed: 5)
    #expect((model.evaluate(data, loss: .softmaxCrossEntropy)["accuracy"] ?? 0) > 0.95)
  }
}

extension ArchitectureSpecificationTests {
  @Test("a model's layers read back as the specification it was built from, output layer included")
  func readsBack() throws {
    let text = "conv(4,3,stride=2,padding=1),relu,batchnorm,maxpool(2,stride=1),avgpool(1),flatten,dropout(0.5),"
      + "dense(16),gelu,layernorm,residual(dense(16),tanh,dense(16)),sigmoid"
    let spec = try ArchitectureSpecification(parsing: text)
    let model = try spec.makeModel(inputShape: [2, 9, 9], outputSize: 3, outputActivation: .logSoftmax)
    #expect(ArchitectureSpecification(describing: model)?.description == text + ",dense(3),log-softmax")
    #expect(ArchitectureSpecification(describing: Sequential(layers: [Dense(inputSize: 2, outputSize: 2), CustomScale()])) == nil)
  }
}

/// A layer the grammar has no text for.
private struct CustomScale: Layer {
  func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor { input }
  var parameterNames: [String] { [] }
  var parameterValues: [Tensor] {
    get { [] }
    set {}
  }
}

extension ArchitectureSpecificationTests {
  @Test("random texts from the grammar's alphabet parse or throw, and what parses builds and runs or throws (no trap)")
  func randomTexts() throws {
    let pieces = [
      "conv", "maxpool", "avgpool", "dense", "dropout", "batchnorm", "layernorm", "flatten", "residual", "relu", "tanh",
      "(", ")", ",", "=", "stride", "padding", "0", "1", "2", "3", "5", "0.5", "-1", " ", "x",
    ]
    var generator = RandomGenerator(seed: 99)
    var built = 0
    for _ in 0..<3_000 {
      let count = 1 + Int(generator.nextUnitFloat() * 14)
      let text = (0..<count).map { _ in pieces[min(pieces.count - 1, Int(generator.nextUnitFloat() * Float(pieces.count)))] }.joined()
      guard let spec = try? ArchitectureSpecification(parsing: text) else { continue }
      #expect(try ArchitectureSpecification(parsing: spec.description) == spec, "\(text)")
      for shape in [[1, 6, 6], [3, 2, 5], [7]] {
        guard let model = try? spec.makeModel(inputShape: shape, outputSize: 2) else { continue }
        #expect(model(Tensor.zeros(shape: [2, shape.reduce(1, *)])).shape == [2, 2], "\(text) on \(shape)")
        built += 1
      }
    }
    #expect(built > 50)
  }

  @Test("layers too large for memory are errors, not traps")
  func sizeLimits() throws {
    let wide = try ArchitectureSpecification(parsing: "conv(65536,1)")
    #expect(throws: ArchitectureSpecificationError(
      "layer 1 conv(65536,1) makes samples of 51380224 values ([N, 65536, 28, 28]), more than 16777216; use fewer filters or a larger stride"
    )) { try wide.makeModel(inputShape: [1, 28, 28], outputSize: 2) }
    let unfolding = try ArchitectureSpecification(parsing: "conv(1,1024,padding=1024),flatten")
    #expect(throws: ArchitectureSpecificationError(
      "layer 1 conv(1,1024,padding=1024) would unfold 1162670505984 values per sample for its kernel windows, more than 67108864; "
        + "use a smaller kernel, less padding or a larger stride"
    )) { try unfolding.makeModel(inputShape: [1, 28, 28], outputSize: 2) }
  }
}
