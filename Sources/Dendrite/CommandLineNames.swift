/// The names of activations, losses, optimizers, feature scalings and tasks as a user types
/// them on the command line: the one place where they are spelled, parsed and listed.
///
/// **Why here, in the library and not in the command-line tool:** the same names are the
/// model-file format. A model file stores an activation layer's `"name"`, the `"loss"`,
/// the `"task"` and, in `dendrite.preprocessing`, the scaling's `"kind"`; a checkpoint
/// stores the optimizer's `"name"`. The library writes and reads those files without the
/// tool, so the names belong to it, and the tool's parsing, `--help` lists and error hints
/// take them from here instead of spelling them again.
///
/// Activation and loss names are the raw values of ``Activation`` and ``Loss`` (a raw value
/// must be a literal in the enum's own declaration), so those two enums spell them; every
/// list of them derives from their `allCases` here. Optimizer names are ``OptimizerKind``'s
/// and scaling names ``Preprocessing/Kind``'s, both below.
///
///     CommandLineNames.list(CommandLineNames.regressionLosses, lastSeparator: " or ")   // "mse, mae or huber"
public enum CommandLineNames {
  /// Every activation name, in declaration order (`relu`, `sigmoid`, …, `linear`).
  public static var activations: [String] { Activation.allCases.map(\.name) }

  /// The activations a hidden layer may use: all but `softmax` and `log-softmax`, which
  /// normalise across a layer's units.
  public static var hiddenActivations: [String] {
    Activation.allCases.filter { $0 != .softmax && $0 != .logSoftmax }.map(\.name)
  }

  /// What a model file and `dendrite inspect` say when no output activation applies.
  public static let noActivation = "none"

  /// The name of an output activation, ``noActivation`` for none.
  ///
  ///     CommandLineNames.outputActivation(nil)   // "none"
  public static func outputActivation(_ activation: Activation?) -> String {
    activation?.name ?? noActivation
  }

  /// Every loss name (`mse`, `mae`, …, `nll`).
  public static var losses: [String] { Loss.allCases.map(\.name) }

  /// The losses that take regression targets: `mse`, `mae`, `huber`.
  public static var regressionLosses: [String] { Loss.allCases.filter(\.isRegressionCapable).map(\.name) }

  /// Every optimizer name, in the order `--help` lists them.
  public static var optimizers: [String] { OptimizerKind.allCases.map(\.name) }

  /// Every feature-scaling name: `standardize`, `min-max`, `none`.
  public static var preprocessings: [String] { Preprocessing.Kind.allCases.map(\.name) }

  /// The task names: `classification`, `regression`.
  public static var tasks: [String] { [ModelFile.Task.classification, .regression].map(\.rawValue) }

  /// Names as a message lists them: `a, b, c`, or `a, b or c` with `lastSeparator: " or "`.
  ///
  ///     CommandLineNames.list(["a", "b", "c"])   // "a, b, c"
  public static func list(_ names: [String], lastSeparator: String = ", ") -> String {
    guard let last = names.last, names.count > 1 else { return names.last ?? "" }
    return names.dropLast().joined(separator: ", ") + lastSeparator + last
  }
}

/// An optimizer by its command-line and checkpoint name; ``makeOptimizer(name:learningRate:)``
/// builds it.
///
///     OptimizerKind(name: "nesterov")   // .nesterov
public enum OptimizerKind: String, Sendable, CaseIterable {
  /// Plain SGD.
  case sgd
  /// SGD with momentum 0.9.
  case momentum
  /// SGD with Nesterov momentum 0.9.
  case nesterov
  /// Adam.
  case adam
  /// Adam with decoupled weight decay.
  case adamw
  /// RMSProp.
  case rmsprop
  /// Adagrad.
  case adagrad

  /// The optimizer with this command-line name, or nil.
  public init?(name: String) { self.init(rawValue: name) }

  /// The command-line and checkpoint name.
  public var name: String { rawValue }
}

extension Preprocessing {
  /// A kind of feature scaling by its command-line and model-file name (`--preprocessing`,
  /// `dendrite.preprocessing`'s `"kind"`).
  ///
  ///     Preprocessing.Kind(name: "min-max")   // .minMax
  public enum Kind: String, Sendable, CaseIterable {
    /// ``Preprocessing/standardize(mean:standardDeviation:)``.
    case standardize
    /// ``Preprocessing/minMax(minimum:maximum:)``.
    case minMax = "min-max"
    /// ``Preprocessing/none``.
    case none

    /// The kind with this command-line name, or nil.
    public init?(name: String) { self.init(rawValue: name) }

    /// The command-line and model-file name.
    public var name: String { rawValue }
  }

  /// Which kind of scaling this is.
  ///
  ///     Preprocessing.none.kind.name   // "none"
  public var kind: Kind {
    switch self {
    case .none: .none
    case .standardize: .standardize
    case .minMax: .minMax
    }
  }
}
