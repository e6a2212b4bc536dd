import Dendrite
import Testing

/// Optimizers against hand-computed steps, state round trips, clipping, schedules and the
/// factory.
///
/// Every case starts from w₀ = [1, −2, 0.5] and applies the gradients
/// g₁ = [0.5, −1, 2], g₂ = [0.25, 0.5, −1], g₃ = [−0.5, 1, 0.125] (fixed, not recomputed from
/// the weights). The expected weights come from the PyTorch / Keras update rules written
/// out in float64 numpy (the lines are in the `expectedTrajectories` comment below),
/// rounded to float32; the simplest are also worked by hand in the comments.
@Suite("OptimizerTests")
struct OptimizerTests {
  static let initial = Tensor([1, -2, 0.5])
  static let gradients = [Tensor([0.5, -1, 2]), Tensor([0.25, 0.5, -1]), Tensor([-0.5, 1, 0.125])]

  /// Runs `optimizer` over `gradients` on parameter "w" and returns the weights after each
  /// step: one per-parameter update per step, which the state counts as a step each.
  static func trajectory(_ optimizer: inout some Optimizer, from start: Tensor = initial, gradients: [Tensor] = gradients) -> [Tensor] {
    var w = start
    return gradients.map { g in
      optimizer.update(&w, named: "w", gradient: g)
      return w
    }
  }

  static func expectTrajectory(
    _ optimizer: some Optimizer, _ expected: [[Float]], tolerance: Float = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var optimizer = optimizer
    let actual = trajectory(&optimizer)
    for (step, (a, e)) in zip(actual, expected).enumerated() {
      #expect(
        a.isApproximatelyEqual(to: Tensor(e), tolerance: tolerance),
        "step \(step + 1): \(a.scalars) vs \(e)", sourceLocation: sourceLocation)
    }
  }

  // expectedTrajectories: the expected weights below were computed with numpy in float64
  // (w = np.array([1., -2., 0.5]); m = v = s = np.zeros(3); t counts from 1; each line is
  // applied for g in the three gradients and w printed as np.float32 after each step):
  //   SGD:      d = g + wd*w; v = mu*v + d (if mu); d = d + mu*v if nesterov else v (if mu); w = w - lr*d
  //   Adam:     g = g + wd*w; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g
  //             w = w - lr*(m/(1-b1**t)) / (np.sqrt(v/(1-b2**t)) + 1e-8)
  //   AdamW:    w = w*(1 - lr*wd); then Adam's step without the g + wd*w
  //   RMSProp:  s = 0.9*s + 0.1*g*g; w = w - lr*g/np.sqrt(s + 1e-7)
  //   Adagrad:  s = s + g*g; w = w - lr*g/(np.sqrt(s) + 1e-10)

  // MARK: SGD

  @Test("plain SGD: w ← w − η·g")
  func plainSGD() {
    // Step 1 by hand: [1, −2, 0.5] − 0.1·[0.5, −1, 2] = [0.95, −1.9, 0.3].
    Self.expectTrajectory(
      SGD(learningRate: 0.1),
      [[0.95, -1.9, 0.3], [0.925, -1.95, 0.4], [0.975, -2.05, 0.3875]])
  }

  @Test("SGD weight decay adds λ·w to the gradient")
  func sgdWeightDecay() {
    // Step 1 by hand: g + 0.01·w = [0.51, −1.02, 2.005]; w = [0.949, −1.898, 0.2995].
    Self.expectTrajectory(
      SGD(learningRate: 0.1, weightDecay: 0.01),
      [[0.949, -1.898, 0.2995], [0.923051, -1.946102, 0.3992005], [0.972128, -2.0441558, 0.3863013]])
  }

  @Test("SGD momentum: v = g on step 1, then v ← μ·v + g")
  func sgdMomentum() {
    // Step 2 by hand: v = 0.9·[0.5, −1, 2] + [0.25, 0.5, −1] = [0.7, −0.4, 0.8];
    // w = [0.95, −1.9, 0.3] − 0.1·v = [0.88, −1.86, 0.22].
    var optimizer = SGD(learningRate: 0.1, momentum: 0.9)
    let steps = Self.trajectory(&optimizer)
    #expect(steps[0].isApproximatelyEqual(to: Tensor([0.95, -1.9, 0.3]), tolerance: 1e-6))
    #expect(steps[1].isApproximatelyEqual(to: Tensor([0.88, -1.86, 0.22]), tolerance: 1e-6))
    #expect(steps[2].isApproximatelyEqual(to: Tensor([0.867, -1.924, 0.1355]), tolerance: 1e-6))
    #expect(optimizer.state.slots["w.momentum"]!.isApproximatelyEqual(to: Tensor([0.13, 0.64, 0.845]), tolerance: 1e-6))
    #expect(optimizer.state.step == 3)
    #expect(optimizer.name == "momentum")
  }

  @Test("Nesterov steps along g + μ·v")
  func sgdNesterov() {
    // Step 1 by hand: v = g, d = g + 0.9·g = 1.9·g; w = w₀ − 0.19·g = [0.905, −1.81, 0.12].
    Self.expectTrajectory(
      SGD(learningRate: 0.1, momentum: 0.9, nesterov: true),
      [[0.905, -1.81, 0.12], [0.817, -1.824, 0.148], [0.8553, -1.9816, 0.05945]])
    Self.expectTrajectory(
      SGD.nesterov(learningRate: 0.1, weightDecay: 0.1),
      [[0.886, -1.772, 0.1105], [0.773066, -1.736132, 0.1323505], [0.7822111, -1.8318123, 0.03674579]])
  }

  @Test("SGD's name follows the command-line name that builds it")
  func sgdNames() {
    #expect(SGD(learningRate: 0.1).name == "sgd")
    #expect(SGD.momentum(learningRate: 0.1).momentum == 0.9)
    #expect(SGD.momentum(learningRate: 0.1).name == "momentum")
    #expect(SGD.nesterov(learningRate: 0.1).nesterov)
    #expect(SGD.nesterov(learningRate: 0.1).name == "nesterov")
    // No momentum, no slots.
    var plain = SGD(learningRate: 0.1)
    _ = Self.trajectory(&plain)
    #expect(plain.state.slots.isEmpty)
  }

  // MARK: Adam family

  @Test("Adam's first step moves every weight by η·sign(g) (bias correction)")
  func adam() {
    // Step 1: m̂ = g, v̂ = g², so the step is η·g/(|g| + ε) ≈ ±0.1.
    Self.expectTrajectory(
      Adam(learningRate: 0.1),
      [[0.9, -1.9, 0.4], [0.80678207, -1.8733664, 0.3733663], [0.7957037, -1.900636, 0.3492418]])
    var optimizer = Adam(learningRate: 0.1)
    _ = Self.trajectory(&optimizer)
    #expect(optimizer.state.slots["w.m"]!.isApproximatelyEqual(to: Tensor([0.013, 0.064, 0.0845]), tolerance: 1e-7))
    // β₂ = 0.999 is 0.99900001 in Float, so 1 − β₂ is 1.3e-5 (relative) below 0.001 and v
    // follows numpy with β₂ = float32(0.999): [0.00056193053, 0.0022477221, 0.0050065648]
    // (with β₂ = 0.999 exactly: [0.00056193775, 0.002247751, 0.005006629]). The weights agree
    // either way, since the bias correction uses the same β₂.
    #expect(
      optimizer.state.slots["w.v"]!.isApproximatelyEqual(
        to: Tensor([0.00056193053, 0.0022477221, 0.0050065648]), tolerance: 1e-9))
    #expect(Set(optimizer.state.slots.keys) == ["w.m", "w.v"])
    #expect(optimizer.epsilon == 1e-8)
  }

  @Test("Adam's weight decay is L2 added to the gradient before the moments")
  func adamWeightDecay() {
    Self.expectTrajectory(
      Adam(learningRate: 0.1, weightDecay: 0.1),
      [[0.9, -1.9, 0.4], [0.8050098, -1.8537472, 0.37089515], [0.7755115, -1.858989, 0.34388787]])
  }

  @Test("AdamW decays the weights by η·λ·w outside the moments")
  func adamW() {
    // Step 1 by hand with λ = 0.5: w·(1 − 0.05) − 0.1·sign(g) = [0.85, −1.8, 0.375].
    Self.expectTrajectory(
      AdamW(learningRate: 0.1, weightDecay: 0.5),
      [[0.85, -1.8, 0.375], [0.71428204, -1.6833663, 0.3296163], [0.66748965, -1.6264677, 0.289011]])
    Self.expectTrajectory(
      AdamW(learningRate: 0.1),  // λ = 0.01 by default
      [[0.899, -1.898, 0.3995], [0.80488306, -1.8694683, 0.3724668], [0.79299986, -1.8948685, 0.34796983]])
    // With λ = 0 AdamW is Adam, bit for bit; the moments never see the decay.
    var adamW = AdamW(learningRate: 0.1, weightDecay: 0)
    var adam = Adam(learningRate: 0.1)
    #expect(Self.trajectory(&adamW) == Self.trajectory(&adam))
    var decayed = AdamW(learningRate: 0.1, weightDecay: 0.5)
    _ = Self.trajectory(&decayed)
    #expect(decayed.state.slots == adam.state.slots)
  }

  // MARK: RMSProp, Adagrad

  @Test("RMSProp (Keras): s ← 0.9·s + 0.1·g², w ← w − η·g/√(s + 1e-7)")
  func rmsProp() {
    // Step 1: s = 0.1·g², so the step is η·g/√(0.1·g² + 1e-7) ≈ η·sign(g)·√10 = ±0.0316228.
    Self.expectTrajectory(
      RMSProp(learningRate: 0.01),
      [[0.9683773, -1.9683772, 0.46837723], [0.9536331, -1.9831214, 0.48312142], [0.9758006, -2.005289, 0.48118237]])
    var optimizer = RMSProp(learningRate: 0.01)
    _ = Self.trajectory(&optimizer)
    #expect(
      optimizer.state.slots["w.meanSquare"]!.isApproximatelyEqual(
        to: Tensor([0.050875, 0.2035, 0.4155625]), tolerance: 1e-7))
    #expect(optimizer.rho == 0.9 && optimizer.epsilon == 1e-7)
  }

  @Test("Adagrad: s ← s + g² from 0, w ← w − η·g/(√s + 1e-10)")
  func adagrad() {
    // Step 1: s = g², so the step is η·sign(g) = ±0.1. Step 2 for w[0]: s = 0.3125,
    // 0.9 − 0.1·0.25/√0.3125 = 0.85527864.
    Self.expectTrajectory(
      Adagrad(learningRate: 0.1),
      [[0.9, -1.9, 0.4], [0.8552786, -1.9447213, 0.44472137], [0.92194533, -2.011388, 0.4391399]])
    var optimizer = Adagrad(learningRate: 0.1)
    _ = Self.trajectory(&optimizer)
    #expect(optimizer.state.slots["w.accumulator"] == Tensor([0.5625, 2.25, 5.015625]))
  }

  // MARK: State

  @Test(
    "state copied into a fresh optimizer continues identically",
    arguments: ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"])
  func stateRoundTrip(name: String) {
    var uninterrupted = makeOptimizer(name: name, learningRate: 0.05)!
    let straight = Self.trajectory(&uninterrupted)

    var first = makeOptimizer(name: name, learningRate: 0.05)!
    let twoSteps = Self.trajectory(&first, gradients: Array(Self.gradients.prefix(2)))
    var resumed = makeOptimizer(name: name, learningRate: 0.05)!
    resumed.state = first.state
    let lastStep = Self.trajectory(&resumed, from: twoSteps[1], gradients: [Self.gradients[2]])

    #expect(lastStep[0] == straight[2])
    #expect(resumed.state == uninterrupted.state)
    #expect(resumed.state.step == 3)
  }

  @Test("a gradient of another shape stops with a precondition")
  func misuseStops() async {
    await #expect(processExitsWith: .failure) {
      var w = Tensor([1, 2])
      var optimizer = SGD(learningRate: 0.1)
      optimizer.update(&w, named: "w", gradient: Tensor([1, 2, 3]))
    }
  }

  /// Two parameters, three steps of gradients, for the per-parameter tests.
  static let twoParameters = ["weight": Tensor([[1, -2, 0.5]]), "bias": Tensor([0.25])]
  static let twoParameterGradients: [[String: Tensor]] = [
    ["weight": Tensor([[0.5, -1, 2]]), "bias": Tensor([-0.75])],
    ["weight": Tensor([[0.25, 0.5, -1]]), "bias": Tensor([0.5])],
    ["weight": Tensor([[-0.5, 1, 0.125]]), "bias": Tensor([2])],
  ]

  /// Updates `parameters` one at a time, in `order(step)`, with no other optimizer call.
  static func perParameterSteps(
    _ optimizer: inout some Optimizer, _ parameters: inout [String: Tensor], gradients: [[String: Tensor]],
    order: (Int) -> [String]
  ) {
    for (step, stepGradients) in gradients.enumerated() {
      for name in order(step) {
        var parameter = parameters[name]!
        optimizer.update(&parameter, named: name, gradient: stepGradients[name]!)
        parameters[name] = parameter
      }
    }
  }

  @Test(
    "Adam's per-parameter updates alone take the steps update(_:along:) takes, in any parameter order",
    arguments: ["weight first", "bias first", "alternating"])
  func perParameterUpdatesMatchModelSteps(order: String) {
    var model = Dense(weight: Self.twoParameters["weight"]!, bias: Self.twoParameters["bias"]!)
    var whole = Adam(learningRate: 0.1)
    for gradients in Self.twoParameterGradients { whole.update(&model, along: gradients) }

    var parameters = Self.twoParameters
    var alone = Adam(learningRate: 0.1)
    Self.perParameterSteps(&alone, &parameters, gradients: Self.twoParameterGradients) { step in
      switch order {
      case "weight first": ["weight", "bias"]
      case "bias first": ["bias", "weight"]
      default: step.isMultiple(of: 2) ? ["weight", "bias"] : ["bias", "weight"]
      }
    }
    #expect(parameters["weight"] == model.weight)
    #expect(parameters["bias"] == model.bias)
    #expect(alone.state == whole.state)
    #expect(alone.state.step == 3)
    // The bias correction used t = 1, 2, 3: the first step moved every weight by η·sign(g).
    var once = Self.twoParameters
    var first = Adam(learningRate: 0.1)
    Self.perParameterSteps(&first, &once, gradients: [Self.twoParameterGradients[0]]) { _ in ["bias", "weight"] }
    #expect(once["weight"]!.isApproximatelyEqual(to: Tensor([[0.9, -1.9, 0.4]]), tolerance: 1e-6))
    #expect(once["bias"]!.isApproximatelyEqual(to: Tensor([0.35]), tolerance: 1e-6))
  }

  @Test("the state counts a step when a parameter is updated again, or when update(_:along:) begins one")
  func stepNumbers() {
    var state = OptimizerState()
    #expect(state.stepNumber(updating: "w") == 1)
    #expect(state.stepNumber(updating: "b") == 1)
    #expect(state.stepNumber(updating: "b") == 2)
    #expect(state.stepNumber(updating: "w") == 2)
    #expect(state.stepNumber(updating: "w") == 3)
    // The names updated in a step are not part of the state's value, nor saved.
    var fresh = OptimizerState(step: 3)
    #expect(fresh == state)
    #expect(fresh.stepNumber(updating: "b") == 4)  // no step in progress: a new one
    #expect(state.stepNumber(updating: "b") == 3)  // joins step 3, which updated only w

    // update(_:along:) is one step whatever per-parameter updates came before or after.
    var model = Dense(weight: Self.twoParameters["weight"]!, bias: Self.twoParameters["bias"]!)
    var optimizer = Adam(learningRate: 0.1)
    optimizer.update(&model.weight, named: "weight", gradient: Self.twoParameterGradients[0]["weight"]!)
    optimizer.update(&model, along: Self.twoParameterGradients[1])
    #expect(optimizer.state.step == 2)
    optimizer.update(&model.bias, named: "bias", gradient: Self.twoParameterGradients[2]["bias"]!)
    #expect(optimizer.state.step == 3)
    optimizer.update(&model, along: [:])
    #expect(optimizer.state.step == 4)
  }

  @Test(
    "no order of public calls traps: per-parameter updates first, repeated, mixed with whole-model steps",
    arguments: ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"])
  func anyCallOrderWorks(name: String) {
    var optimizer = makeOptimizer(name: name, learningRate: 0.05)!
    var model = Dense(weight: Self.twoParameters["weight"]!, bias: Self.twoParameters["bias"]!)
    let gradients = Self.twoParameterGradients
    optimizer.update(&model.bias, named: "bias", gradient: gradients[0]["bias"]!)  // before anything else
    optimizer.update(&model.bias, named: "bias", gradient: gradients[1]["bias"]!)  // the same parameter again
    optimizer.update(&model, along: gradients[2])
    optimizer.update(&model.weight, named: "weight", gradient: gradients[0]["weight"]!)
    optimizer.state = OptimizerState(step: optimizer.state.step, slots: optimizer.state.slots)  // a restored state
    optimizer.update(&model.weight, named: "weight", gradient: gradients[1]["weight"]!)
    optimizer.update(&model, along: gradients[0])
    #expect(optimizer.state.step == 6)
    #expect(model.weight.isFinite && model.bias.isFinite)
  }

  @Test(
    "a checkpoint saved mid-training and restored continues identically",
    arguments: ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"])
  func checkpointResumesTraining(name: String) throws {
    let x = Tensor([[1, 0], [0, 1], [1, 1], [2, -1]])
    let y = Tensor([[2.5], [-0.5], [1.5], [5.5]])
    // Steps of MSE on (x, y): even steps through update(_:along:), odd ones per parameter.
    func train(_ model: inout Sequential, _ optimizer: inout any Optimizer, steps: Range<Int>) {
      for step in steps {
        let (_, gradients) = model.valueWithGradients { meanSquaredError(predicted: $0(x), expected: y) }
        if step.isMultiple(of: 2) {
          optimizer.update(&model, along: gradients)
        } else {
          // One parameter at a time, in reverse order.
          var values = model.parameterValues
          for (index, parameter) in model.parameterNames.enumerated().reversed() {
            optimizer.update(&values[index], named: parameter, gradient: gradients[parameter]!)
          }
          model.parameterValues = values
        }
      }
    }
    let start = Sequential(seed: 3) { Dense(inputSize: 2, outputSize: 1) }
    var straightModel = start
    var straight = makeOptimizer(name: name, learningRate: 0.05)!
    train(&straightModel, &straight, steps: 0..<4)

    var model = start
    var optimizer = makeOptimizer(name: name, learningRate: 0.05)!
    train(&model, &optimizer, steps: 0..<2)
    let file = try ModelFile(
      model: model, loss: .meanSquaredError, classCount: nil, optimizer: ModelFile.OptimizerCheckpoint(optimizer))
    let loaded = try ModelFile(safetensors: SafetensorsFile(bytes: file.safetensors().encoded()))
    var resumedModel = loaded.model
    var resumed = try #require(loaded.optimizer?.makeOptimizer())
    #expect(resumed.state == optimizer.state)
    train(&resumedModel, &resumed, steps: 2..<4)

    #expect(resumedModel.parameterValues == straightModel.parameterValues)
    #expect(resumed.state == straight.state)
    #expect(resumed.state.step == 4)
  }

  @Test("slots are keyed by the model's parameter names")
  func slotNamesFollowParameters() {
    var model = Sequential(seed: 1) {
      Dense(inputSize: 2, outputSize: 3, activation: .relu)
      Dense(inputSize: 3, outputSize: 1)
    }
    let x = Tensor([[1, 2], [-1, 0.5]])
    let (_, gradients) = model.valueWithGradients { $0(x).squared().sum() }
    var optimizer = Adam()
    optimizer.update(&model, along: gradients)
    #expect(
      Set(optimizer.state.slots.keys)
        == ["0.weight.m", "0.weight.v", "0.bias.m", "0.bias.v", "2.weight.m", "2.weight.v", "2.bias.m", "2.bias.v"])
    #expect(optimizer.state.slots["2.weight.m"]!.shape == [1, 3])
    #expect(optimizer.state.step == 1)
  }

  // MARK: Training

  @Test("every optimizer lowers a quadratic loss of a Dense layer", arguments: [
    ("sgd", Float(0.05)), ("momentum", 0.02), ("nesterov", 0.02), ("adam", 0.05), ("adamw", 0.05),
    ("rmsprop", 0.02), ("adagrad", 0.2),
  ])
  func decreasesQuadraticLoss(name: String, learningRate: Float) {
    // Fit y = 2·x₁ − x₂ + 0.5 with mean squared error: a convex quadratic in (W, b).
    var layer = Dense(weight: Tensor([[0, 0]]), bias: Tensor([0]))
    let x = Tensor([[1, 0], [0, 1], [1, 1], [2, -1], [-1, 2]])
    let y = Tensor([[2.5], [-0.5], [1.5], [5.5], [-3.5]])
    func loss(_ layer: Dense) -> Tensor { meanSquaredError(predicted: layer(x), expected: y) }
    var optimizer = makeOptimizer(name: name, learningRate: learningRate)!
    let initialLoss = loss(layer).scalar
    var previous = initialLoss
    var decreasedEveryStep = true
    for _ in 0..<100 {
      let (_, gradients) = layer.valueWithGradients(loss)
      optimizer.update(&layer, along: gradients)
      let current = loss(layer).scalar
      if current > previous { decreasedEveryStep = false }
      previous = current
    }
    #expect(previous < 0.01 * initialLoss, "\(name): loss \(initialLoss) → \(previous)")
    if name == "sgd" || name == "adagrad" { #expect(decreasedEveryStep) }
  }

  // MARK: Clipping

  @Test("clipByGlobalNorm returns the pre-clip norm and scales every gradient by maxNorm/norm")
  func clipGlobalNorm() {
    var gradients = ["a": Tensor([3, 4]), "b": Tensor([[12]])]  // norm √(9 + 16 + 144) = 13
    let norm = clipByGlobalNorm(&gradients, maxNorm: 6.5)
    #expect(norm == 13)
    #expect(gradients["a"] == Tensor([1.5, 2]))
    #expect(gradients["b"] == Tensor([[6]]))
    // Clipped once, the norm is now maxNorm: clipping again changes nothing.
    #expect(Swift.abs(clipByGlobalNorm(&gradients, maxNorm: 6.5) - 6.5) < 1e-6)
  }

  @Test("clipByGlobalNorm leaves small and non-finite gradients alone")
  func clipGlobalNormLeavesAlone() {
    var small = ["a": Tensor([0.3, 0.4])]
    #expect(Swift.abs(clipByGlobalNorm(&small, maxNorm: 1) - 0.5) < 1e-7)
    #expect(small["a"] == Tensor([0.3, 0.4]))

    var infinite = ["a": Tensor([3, 4]), "b": Tensor([.infinity])]
    #expect(clipByGlobalNorm(&infinite, maxNorm: 1) == .infinity)
    #expect(infinite["a"] == Tensor([3, 4]))
    var notANumber = ["a": Tensor([3, .nan])]
    #expect(clipByGlobalNorm(&notANumber, maxNorm: 1).isNaN)
    #expect(notANumber["a"]!.scalars[0] == 3)

    // Large but finite: the sum of squares (1e40) would overflow in Float.
    var large = ["a": Tensor([3e19, 4e19])]
    #expect(Swift.abs(clipByGlobalNorm(&large, maxNorm: 1) - 5e19) < 1e13)
    #expect(large["a"]!.isApproximatelyEqual(to: Tensor([0.6, 0.8]), tolerance: 1e-6))
  }

  @Test("clipByValue limits each element to [−limit, limit]")
  func clipValue() {
    var gradients = ["a": Tensor([-3, 0.5, 2]), "b": Tensor([[1, -1], [0.25, -7]])]
    clipByValue(&gradients, limit: 1)
    #expect(gradients["a"] == Tensor([-1, 0.5, 1]))
    #expect(gradients["b"] == Tensor([[1, -1], [0.25, -1]]))
  }

  // MARK: Schedules

  @Test("schedules give the documented rates")
  func schedules() {
    #expect(LearningRateSchedule.constant.learningRate(base: 0.1, epoch: 50) == 0.1)

    let step = LearningRateSchedule.step(every: 10, factor: 0.5)
    #expect(step.learningRate(base: 0.1, epoch: 0) == 0.1)
    #expect(step.learningRate(base: 0.1, epoch: 9) == 0.1)
    #expect(step.learningRate(base: 0.1, epoch: 10) == 0.05)
    #expect(step.learningRate(base: 0.1, epoch: 25) == 0.025)

    let exponential = LearningRateSchedule.exponential(decayRate: 0.9)
    #expect(exponential.learningRate(base: 1, epoch: 0) == 1)
    #expect(exponential.learningRate(base: 1, epoch: 1) == 0.9)
    #expect(Swift.abs(exponential.learningRate(base: 1, epoch: 3) - 0.729) < 1e-7)

    // (1 + cos(π·e/10))/2 at e = 3: 0.7938926; with minimum 0.1 at e = 2: 0.1 + 0.9·0.9045085 = 0.91405765.
    let cosine = LearningRateSchedule.cosine(totalEpochs: 10)
    #expect(cosine.learningRate(base: 1, epoch: 0) == 1)
    #expect(Swift.abs(cosine.learningRate(base: 1, epoch: 3) - 0.7938926) < 1e-7)
    #expect(Swift.abs(cosine.learningRate(base: 1, epoch: 5) - 0.5) < 1e-7)
    #expect(Swift.abs(cosine.learningRate(base: 1, epoch: 10)) < 1e-7)
    #expect(Swift.abs(cosine.learningRate(base: 1, epoch: 15)) < 1e-7)  // holds at the minimum
    let floored = LearningRateSchedule.cosine(totalEpochs: 10, minimum: 0.1)
    #expect(Swift.abs(floored.learningRate(base: 1, epoch: 2) - 0.91405765) < 1e-7)
    #expect(Swift.abs(floored.learningRate(base: 1, epoch: 10) - 0.1) < 1e-7)
    #expect(Swift.abs(floored.learningRate(base: 1, epoch: 12) - 0.1) < 1e-7)
  }

  // MARK: Factory

  @Test("the factory knows every command-line name, and each optimizer reports its name")
  func factoryNames() {
    #expect(optimizerNames == ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"])
    for name in optimizerNames {
      let optimizer = makeOptimizer(name: name, learningRate: 0.01)
      #expect(optimizer?.name == name)
      #expect(optimizer?.learningRate == 0.01)
      #expect(optimizer?.state == OptimizerState())
    }
    #expect(makeOptimizer(name: "Adam", learningRate: 0.01) == nil)
    #expect(makeOptimizer(name: "lbfgs", learningRate: 0.01) == nil)
    #expect(makeOptimizer(name: "adamw", learningRate: 0.01) is AdamW)
    #expect((makeOptimizer(name: "nesterov", learningRate: 0.01) as? SGD)?.momentum == 0.9)
  }
}
