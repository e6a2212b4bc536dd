/// A custom layer that model files can store: a type name, a JSON configuration, and an
/// initialiser that rebuilds the layer from that configuration and its parameters.
///
/// The file stores the layer as one module of `dendrite.architecture.layers`,
/// `{"type": "custom", "name": typeName, "config": configuration, "parameters": [{"name", "shape"}]}`,
/// and its parameters as tensors named as in the model (`0.kernel`, …), so PyTorch's
/// `load_state_dict` sees the same names as for any other layer. To load the file, pass the
/// type to the loader: `ModelFile.load(from: path, customLayers: [Projection.self])`.
///
///     struct Projection: SavableLayer {       // y = x·P, P fixed at construction, [in, out]
///       var matrix: Tensor
///       func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor { matmul(input, matrix) }
///       var parameterNames: [String] { ["matrix"] }
///       var parameterValues: [Tensor] {
///         get { [matrix] }
///         set { matrix = newValue[0] }
///       }
///       static var typeName: String { "projection" }
///       var configuration: JSONValue { [:] }
///       init(matrix: Tensor) { self.matrix = matrix }
///       init(configuration: JSONValue, parameters: [String: Tensor]) throws {
///         guard let matrix = parameters["matrix"] else { throw ProjectionError.missingMatrix }
///         self.matrix = matrix
///       }
///     }
public protocol SavableLayer: Layer {
  /// The name the file stores for this type; unique among the custom layers a loader is given.
  static var typeName: String { get }
  /// Everything besides the parameters that the layer needs to be rebuilt (sizes, options).
  var configuration: JSONValue { get }
  /// Rebuilds the layer from its ``configuration`` and its parameters keyed by
  /// ``Layer/parameterNames`` (shapes already checked against the file's architecture).
  /// Throw when the configuration is not one this type wrote.
  init(configuration: JSONValue, parameters: [String: Tensor]) throws
}
