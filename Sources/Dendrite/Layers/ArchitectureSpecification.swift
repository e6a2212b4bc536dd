/// A network described as text, for models that a list of hidden widths cannot describe:
/// convolutions, pooling, normalisation, dropout and residual blocks, in order.
///
///     let spec = try ArchitectureSpecification(
///       parsing: "conv(8,3,padding=1),relu,maxpool(2),flatten,dense(32),relu")
///     let model = try spec.makeModel(inputShape: [1, 28, 28], outputSize: 10, seed: 42)
///     // Unflatten [1, 28, 28], Conv2D 1 → 8 (ReLU), MaxPool2D 2, Flatten, Dense 1568 → 32 (ReLU), Dense 32 → 10
///
/// The grammar (EBNF; spaces are allowed between tokens, names ignore case):
///
///     architecture = layer , { "," , layer } ;
///     layer        = name , [ "(" , [ argument , { "," , argument } ] , ")" ] ;
///     argument     = number | key , "=" , number | layer ;   (* layers only in residual *)
///
/// The layers:
///
/// | text | layer |
/// | --- | --- |
/// | `conv(filters, kernel, stride=1, padding=0)` | ``Conv2D``, square kernel |
/// | `maxpool(size, stride=size)`, `avgpool(size, stride=size)` | ``MaxPool2D``, ``AveragePool2D`` |
/// | `dense(units)` | ``Dense`` |
/// | `relu`, `tanh`, `sigmoid`, `gelu`, … | ``ActivationLayer`` (hidden activations by their command-line names) |
/// | `batchnorm`, `layernorm` | ``BatchNorm`` (channels of images, features of rows), ``LayerNorm`` (features of rows) |
/// | `dropout(rate)` | ``Dropout`` |
/// | `flatten` | ``Flatten`` |
/// | `residual(layer, …)` | ``Residual`` (the layers must keep their input's shape) |
///
/// Arguments are positional in the order shown, or `key=value` by the names shown.
public struct ArchitectureSpecification: Sendable, Equatable, CustomStringConvertible {
  /// The layers, in order.
  ///
  ///     try ArchitectureSpecification(parsing: "dense(8),relu").layers   // [.dense(units: 8), .activation(.relu)]
  public var layers: [LayerSpecification]

  /// Creates a specification from layers.
  ///
  ///     ArchitectureSpecification(layers: [.dense(units: 64), .activation(.relu)]).description   // "dense(64),relu"
  public init(layers: [LayerSpecification]) {
    self.layers = layers
  }

  /// The specification in the grammar's canonical form: `conv(32,3),relu,maxpool(2)`.
  ///
  ///     try ArchitectureSpecification(parsing: "Conv(32, 3, stride=1), ReLU").description   // "conv(32,3),relu"
  public var description: String { layers.map(\.description).joined(separator: ",") }

  /// Whether some layer takes images (a convolution or pooling layer, inside residual
  /// blocks too): the data's rows must then be read as images of a known shape.
  ///
  ///     try ArchitectureSpecification(parsing: "dense(8),relu").takesImages   // false
  public var takesImages: Bool { layers.contains(where: \.takesImages) }

  /// The number of convolution and dense layers, inside residual blocks too, not counting
  /// an output layer added by ``makeModel(inputShape:outputSize:outputActivation:seed:)``.
  ///
  ///     try ArchitectureSpecification(parsing: "conv(8,3),relu,flatten,dense(16)").layerCounts   // (1, 1)
  public var layerCounts: (convolutions: Int, dense: Int) {
    let kinds = layers.flatMap(\.layerKinds)
    return (kinds.filter { $0 == "conv" }.count, kinds.filter { $0 == "dense" }.count)
  }
}
