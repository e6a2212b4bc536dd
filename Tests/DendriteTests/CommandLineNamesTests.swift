import Testing

@testable import Dendrite

@Suite("CommandLineNamesTests")
struct CommandLineNamesTests {
  @Test("the lists hold the names model files and the command line use")
  func lists() {
    #expect(CommandLineNames.optimizers == ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"])
    #expect(
      CommandLineNames.losses == [
        "mse", "mae", "huber", "binary-cross-entropy", "sigmoid-cross-entropy", "categorical-cross-entropy",
        "softmax-cross-entropy", "nll",
      ])
    #expect(CommandLineNames.regressionLosses == ["mse", "mae", "huber"])
    #expect(
      CommandLineNames.hiddenActivations == [
        "relu", "sigmoid", "tanh", "leaky-relu", "elu", "selu", "gelu", "swish", "softplus", "linear",
      ])
    #expect(CommandLineNames.activations.count == CommandLineNames.hiddenActivations.count + 2)
    #expect(CommandLineNames.preprocessings == ["standardize", "min-max", "none"])
    #expect(CommandLineNames.tasks == ["classification", "regression"])
    #expect(CommandLineNames.outputActivation(nil) == "none")
    #expect(CommandLineNames.outputActivation(.softmax) == "softmax")
  }

  @Test("lists read as a message writes them")
  func listing() {
    #expect(CommandLineNames.list(["a", "b", "c"]) == "a, b, c")
    #expect(CommandLineNames.list(["a", "b", "c"], lastSeparator: " or ") == "a, b or c")
    #expect(CommandLineNames.list(["a"], lastSeparator: " or ") == "a")
    #expect(CommandLineNames.list([]) == "")
  }

  @Test("every optimizer kind builds an optimizer that carries the kind's name", arguments: OptimizerKind.allCases)
  func optimizerNames(kind: OptimizerKind) {
    #expect(OptimizerKind(name: kind.name) == kind)
    #expect(kind.makeOptimizer(learningRate: 0.5).name == kind.name)
    #expect(kind.makeOptimizer(learningRate: 0.5).learningRate == 0.5)
    #expect(makeOptimizer(name: kind.name, learningRate: 0.5)?.name == kind.name)
  }

  @Test("default learning rates: 0.001 for the adaptive optimizers, 0.01 for the others")
  func defaultLearningRates() {
    #expect(OptimizerKind.allCases.filter { $0.defaultLearningRate == 1e-3 } == [.adam, .adamw, .rmsprop])
    #expect(OptimizerKind.allCases.filter { $0.defaultLearningRate == 1e-2 } == [.sgd, .momentum, .nesterov, .adagrad])
  }

  @Test("a scaling's kind and name")
  func preprocessingKinds() {
    #expect(Preprocessing.none.kind == .none)
    #expect(Preprocessing.standardize(mean: [0], standardDeviation: [1]).kind.name == "standardize")
    #expect(Preprocessing.minMax(minimum: [0], maximum: [1]).kind.name == "min-max")
    #expect(Preprocessing.Kind(name: "min-max") == .minMax)
    #expect(Preprocessing.Kind(name: "minmax") == nil)
  }
}
