/// A 2-D convolution layer over NCHW input (PyTorch's `nn.Conv2d`), followed by an activation.
///
///     z = conv2d(x, W, b, stride: s, padding: p)     W: [O, C, K, K] (PyTorch's layout), b: [O]
///     a = activation(z)                              [N, C, H, W] → [N, O, (H + 2p − K)/s + 1, (W + 2p − K)/s + 1]
///
/// Weights start from He initialisation when the activation is ReLU-like and Glorot
/// otherwise (overridable), with fan-in C·K·K and fan-out O·K·K; biases start at zero. It
/// trains on the tape (the fused kernels run only dense networks).
///
///     let layer = Conv2D(inChannels: 1, outChannels: 8, kernelSize: 3, padding: 1, activation: .relu)
///     layer(Tensor.zeros(shape: [4, 1, 28, 28])).shape   // [4, 8, 28, 28]
public struct Conv2D: Layer {
  /// The kernels, `[outChannels, inChannels, kernelSize, kernelSize]`.
  public var weight: Tensor
  /// The biases, `[outChannels]`.
  public var bias: Tensor
  /// The step between windows, on both axes.
  public let stride: Int
  /// Rows and columns of zeros added around each image.
  public let padding: Int
  /// The activation applied after the convolution.
  public let activation: Activation
  /// How `weight` is (re)initialised.
  public let weightInitializer: Initializer
  /// How `bias` is (re)initialised.
  public let biasInitializer: Initializer
  /// True for a layer made from given parameters: initialisation leaves them alone.
  private let keepsGivenParameters: Bool

  /// Creates a layer with freshly initialised parameters.
  ///
  /// - Parameters:
  ///   - inChannels: channels of the input, C.
  ///   - outChannels: channels of the output (kernels), O.
  ///   - kernelSize: the side K of the square kernel.
  ///   - stride: the step between windows, ≥ 1.
  ///   - padding: zeros around each image, ≥ 0 (`(K − 1)/2` keeps the size at stride 1).
  ///   - activation: applied after the convolution.
  ///   - weightInitializer: defaults to ``Initializer/defaultWeights(for:)``.
  ///   - biasInitializer: defaults to zeros.
  ///   - seed: seeds the initial weights. Inside ``Sequential/init(seed:layers:)`` every layer
  ///     is initialised again from the model's seed.
  public init(
    inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
    activation: Activation = .linear, weightInitializer: Initializer? = nil,
    biasInitializer: Initializer = .zeros, seed: UInt64 = 0
  ) {
    precondition(
      inChannels > 0 && outChannels > 0 && kernelSize > 0,
      "Conv2D needs positive channels and kernel size, got \(inChannels) → \(outChannels), kernel \(kernelSize)")
    precondition(stride >= 1 && padding >= 0, "Conv2D needs stride ≥ 1 and padding ≥ 0, got \(stride) and \(padding)")
    self.stride = stride
    self.padding = padding
    self.activation = activation
    self.weightInitializer = weightInitializer ?? .defaultWeights(for: activation)
    self.biasInitializer = biasInitializer
    self.keepsGivenParameters = false
    self.weight = Tensor.zeros(shape: [outChannels, inChannels, kernelSize, kernelSize])
    self.bias = Tensor.zeros(shape: [outChannels])
    var generator = RandomGenerator(seed: seed)
    initializeParameters(using: &generator)
  }

  /// Creates a layer with the given parameters, which it keeps: a ``Sequential`` built
  /// around it does not initialise them again.
  ///
  /// - Precondition: `weight` is `[O, C, KH, KW]` and `bias` is `[O]`; stride ≥ 1, padding ≥ 0.
  public init(weight: Tensor, bias: Tensor, stride: Int = 1, padding: Int = 0, activation: Activation = .linear) {
    precondition(
      weight.rank == 4 && bias.shape == [weight.shape[0]],
      "Conv2D needs weight [O, C, KH, KW] and bias [O], got \(weight.shape) and \(bias.shape)")
    precondition(stride >= 1 && padding >= 0, "Conv2D needs stride ≥ 1 and padding ≥ 0, got \(stride) and \(padding)")
    self.weight = weight
    self.bias = bias
    self.stride = stride
    self.padding = padding
    self.activation = activation
    self.weightInitializer = .defaultWeights(for: activation)
    self.biasInitializer = .zeros
    self.keepsGivenParameters = true
  }

  /// Channels in, C.
  public var inChannels: Int { weight.shape[1] }
  /// Channels out, O.
  public var outChannels: Int { weight.shape[0] }
  /// The kernel's height and width.
  public var kernelSize: (height: Int, width: Int) { (weight.shape[2], weight.shape[3]) }

  public func forward(_ input: Tensor, context: inout ForwardContext) -> Tensor {
    guard input.rank == 4 else {
      // In a trial pass the mismatch is recorded and thrown later; otherwise it is a
      // programming error in the model.
      if ForwardInspector.reportMismatch(
        "takes images [batch, \(inChannels), height, width] but gets shape \(input.shape)")
      {
        return Tensor.zeros(shape: [input.shape.first ?? 1, outChannels, 1, 1])
      }
      preconditionFailure(
        "Conv2D(\(inChannels) → \(outChannels)) got input of shape \(input.shape); expected [batch, \(inChannels), height, width]")
    }
    if activation == .relu {
      return conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, applyingReLU: true)
    }
    return activation.apply(conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding))
  }

  public var parameterNames: [String] { ["weight", "bias"] }

  public var parameterValues: [Tensor] {
    get { [weight, bias] }
    set { replaceWeightAndBias(&weight, &bias, with: newValue, layer: "Conv2D") }
  }

  public mutating func initializeParameters(using generator: inout RandomGenerator) {
    guard !keepsGivenParameters else { return }
    let window = weight.shape[2] * weight.shape[3]
    let (fanIn, fanOut) = (inChannels * window, outChannels * window)
    weight = weightInitializer.makeTensor(shape: weight.shape, fanIn: fanIn, fanOut: fanOut, generator: &generator)
    bias = biasInitializer.makeTensor(shape: bias.shape, fanIn: fanIn, fanOut: fanOut, generator: &generator)
  }
}
