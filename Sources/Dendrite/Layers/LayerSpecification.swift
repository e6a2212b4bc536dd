/// One layer of an ``ArchitectureSpecification``, as the text `conv(32,3)`, `relu` or
/// `residual(dense(64),relu,dense(64))` describes it: what to build, not yet its sizes
/// (those come from the data's shape, see
/// ``ArchitectureSpecification/makeModel(inputShape:outputSize:outputActivation:seed:)``).
///
///     LayerSpecification.convolution(filters: 32, kernelSize: 3).description   // "conv(32,3)"
///     LayerSpecification.maxPool(size: 2).description                           // "maxpool(2)"
public enum LayerSpecification: Sendable, Equatable, CustomStringConvertible {
  /// `conv(filters, kernel, stride=1, padding=0)`: a ``Conv2D`` with `filters` output
  /// channels and a square `kernelSize × kernelSize` kernel.
  ///
  ///     LayerSpecification.convolution(filters: 32, kernelSize: 3, stride: 2)   // conv(32,3,stride=2)
  case convolution(filters: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0)
  /// `maxpool(size, stride=size)`: a ``MaxPool2D``; nil `stride` means `size`.
  ///
  ///     LayerSpecification.maxPool(size: 2)   // maxpool(2)
  case maxPool(size: Int, stride: Int? = nil)
  /// `avgpool(size, stride=size)`: an ``AveragePool2D``; nil `stride` means `size`.
  ///
  ///     LayerSpecification.averagePool(size: 3, stride: 1)   // avgpool(3,stride=1)
  case averagePool(size: Int, stride: Int? = nil)
  /// `dense(units)`: a ``Dense`` layer.
  ///
  ///     LayerSpecification.dense(units: 128)   // dense(128)
  case dense(units: Int)
  /// An activation by its command-line name (`relu`, `tanh`, `leaky-relu`, …): an
  /// ``ActivationLayer``, folded into the convolution or dense layer right before it.
  ///
  ///     LayerSpecification.activation(.gelu)   // gelu
  case activation(Activation)
  /// `batchnorm`: a ``BatchNorm`` over the features of rows or the channels of images.
  ///
  ///     LayerSpecification.batchNorm   // batchnorm
  case batchNorm
  /// `layernorm`: a ``LayerNorm`` over the features of rows.
  ///
  ///     LayerSpecification.layerNorm   // layernorm
  case layerNorm
  /// `dropout(rate)`: a ``Dropout`` layer, rate in [0, 1).
  ///
  ///     LayerSpecification.dropout(rate: 0.5)   // dropout(0.5)
  case dropout(rate: Float)
  /// `flatten`: a ``Flatten`` layer, images `[N, C, H, W]` → rows `[N, C·H·W]`.
  ///
  ///     LayerSpecification.flatten   // flatten
  case flatten
  /// `residual(layer, …)`: a ``Residual`` block, y = x + f(x), with f the layers given.
  ///
  ///     LayerSpecification.residual([.dense(units: 64), .activation(.relu)])   // residual(dense(64),relu)
  case residual([LayerSpecification])

  /// The layer as the specification grammar writes it, arguments at their defaults left
  /// out: `conv(32,3,stride=2)`, `dropout(0.5)`, `residual(dense(64),relu,dense(64))`.
  ///
  ///     LayerSpecification.dropout(rate: 0.25).description   // "dropout(0.25)"
  public var description: String {
    switch self {
    case .convolution(let filters, let kernelSize, let stride, let padding):
      "conv(\(filters),\(kernelSize)" + (stride == 1 ? "" : ",stride=\(stride)") + (padding == 0 ? "" : ",padding=\(padding)") + ")"
    case .maxPool(let size, let stride): "maxpool(\(size)" + Self.strideText(stride, size: size) + ")"
    case .averagePool(let size, let stride): "avgpool(\(size)" + Self.strideText(stride, size: size) + ")"
    case .dense(let units): "dense(\(units))"
    case .activation(let activation): activation.name
    case .batchNorm: "batchnorm"
    case .layerNorm: "layernorm"
    case .dropout(let rate): "dropout(\(rate))"
    case .flatten: "flatten"
    case .residual(let body): "residual(" + body.map(\.description).joined(separator: ",") + ")"
    }
  }

  private static func strideText(_ stride: Int?, size: Int) -> String {
    guard let stride, stride != size else { return "" }
    return ",stride=\(stride)"
  }

  /// Whether this layer, or one inside it, takes images `[N, C, H, W]` (a convolution or
  /// pooling layer).
  ///
  ///     LayerSpecification.residual([.convolution(filters: 8, kernelSize: 3, padding: 1)]).takesImages   // true
  public var takesImages: Bool {
    switch self {
    case .convolution, .maxPool, .averagePool: true
    case .residual(let body): body.contains(where: \.takesImages)
    default: false
    }
  }

  /// The layers this one counts as, by kind: `conv` and `dense`, inside residual blocks
  /// too, for ``ArchitectureSpecification/layerCounts``.
  var layerKinds: [String] {
    switch self {
    case .convolution: ["conv"]
    case .dense: ["dense"]
    case .residual(let body): body.flatMap(\.layerKinds)
    default: []
    }
  }
}
