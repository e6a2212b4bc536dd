import Dendrite
import Testing

/// The study's worked examples, with exact values (TensorFlow's float32 results).
@Suite("The study's worked examples")
struct WorkedExampleTests {
  @Test("softmax(3, 1, −3) ≈ (0.88, 0.12, 0.00)")
  func softmaxOfThreeOneMinusThree() {
    let a = softmax(Tensor([3, 1, -3]))
    #expect(a.isApproximatelyEqual(to: Tensor([0.87887824, 0.11894324, 0.0021785213]), tolerance: 1e-7))
    let normalizer = exp(Tensor([3, 1, -3])).sum().scalar
    #expect(Swift.abs(normalizer - 22.853586) < 1e-4)  // the study prints 22.75
  }

  @Test("logits (1, 5, 3), second class true: probabilities ≈ (0.0159, 0.8668, 0.1173), loss 0.1429")
  func probabilitiesAndLoss() {
    let logits = Tensor([[1, 5, 3]])
    #expect(softmax(logits).isApproximatelyEqual(to: Tensor([[0.01587624, 0.86681333, 0.11731043]]), tolerance: 1e-7))
    let loss = softmaxCrossEntropy(logits: logits, classIndices: [1])
    #expect(Swift.abs(loss.scalar - 0.1429317) < 1e-6)
    #expect(loss.shape == [])
  }

  @Test("softmax + log-likelihood gradient is a − y (study's worked example)")
  func softmaxGradientWorkedExample() {
    let logits = Tensor([[1, 5, 3]])
    let g = gradient(at: logits) { softmaxCrossEntropy(logits: $0, classIndices: [1]) }
    #expect(g.isApproximatelyEqual(to: Tensor([[0.0158762, -0.1331867, 0.1173104]]), tolerance: 1e-6))
    // The same through one-hot labels, and through logSoftmax + negativeLogLikelihood.
    let dense = gradient(at: logits) { softmaxCrossEntropy(logits: $0, labels: Tensor([[0, 1, 0]])) }
    let unfused = gradient(at: logits) { negativeLogLikelihood(logProbabilities: logSoftmax($0), classIndices: [1]) }
    #expect(dense.isApproximatelyEqual(to: g, tolerance: 1e-7))
    #expect(unfused.isApproximatelyEqual(to: g, tolerance: 1e-6))
  }

  @Test("∂J/∂b = a − y and ∂J/∂W = (a − y)·a^(L−1) for the layer that produces the logits")
  func layerGradients() {
    let input = Tensor([[1, 0.5]])
    let weight = Tensor([[0.5, 1], [2, 2], [1, 2]])
    let bias = Tensor([0, 2, 1])
    let grads = gradients(at: [weight, bias]) { p in
      softmaxCrossEntropy(logits: matmul(input, p[0].transposed()) + p[1], classIndices: [1])
    }
    let aMinusY: [Float] = [0.0158762, -0.1331867, 0.1173104]
    #expect(grads[1].isApproximatelyEqual(to: Tensor(aMinusY), tolerance: 1e-6))
    let outer = Tensor(shape: [3, 2], scalars: aMinusY.flatMap { [$0 * 1, $0 * 0.5] })
    #expect(grads[0].isApproximatelyEqual(to: outer, tolerance: 1e-6))
  }

  @Test("behind a sigmoid, cross-entropy's output error is a − y while MSE's carries κ′(z)")
  func sigmoidErrorTerms() {
    // One saturated neuron: z = 4, target 0. MSE (a − y)² gives 2(a − y)·κ′(z); BCE gives a − y.
    let z = Tensor([[4]])
    let y = Tensor([[0]])
    let a = sigmoid(z).scalar
    let mse = gradient(at: z) { meanSquaredError(predicted: sigmoid($0), expected: y) }.scalar
    let bce = gradient(at: z) { sigmoidCrossEntropy(logits: $0, labels: y) }.scalar
    let bceOnProbabilities = gradient(at: z) { binaryCrossEntropy(probabilities: sigmoid($0), labels: y) }.scalar
    #expect(Swift.abs(bce - a) < 1e-6)
    #expect(Swift.abs(bceOnProbabilities - a) < 1e-5)
    #expect(Swift.abs(mse - 2 * a * a * (1 - a)) < 1e-6)
    #expect(mse < bce / 10)  // κ′(4) ≈ 0.018: MSE learns over 25 times slower here
  }

  @Test("κ′(z) is at most 1/4 and vanishes at both ends")
  func sigmoidDerivativeBound() {
    let z = Tensor([-10, -2, 0, 2, 10])
    let d = gradient(at: z) { sigmoid($0).sum() }
    #expect(d.scalars[2] == 0.25)
    #expect(d.scalars.allSatisfy { $0 <= 0.25 })
    #expect(d.scalars[0] < 5e-5 && d.scalars[4] < 5e-5)
  }
}

@Suite("Edge cases: extreme logits and probabilities")
struct EdgeCaseTests {
  @Test("logits of ±1e4 give finite losses and gradients")
  func extremeLogits() {
    let logits = Tensor([[1e4, -1e4, 0], [-1e4, 1e4, 5]])
    let labels = Tensor([[0, 1, 0], [1, 0, 0]])
    let (softmaxLoss, softmaxGradient) = valueWithGradient(at: logits) {
      softmaxCrossEntropy(logits: $0, labels: labels)
    }
    #expect(softmaxLoss.isFinite && softmaxGradient.isFinite)
    #expect(Swift.abs(softmaxLoss.scalar - 2e4) < 1)  // a wrong class winning by 2e4 nats
    let (sparseLoss, sparseGradient) = valueWithGradient(at: logits) {
      softmaxCrossEntropy(logits: $0, classIndices: [1, 0])
    }
    #expect(sparseLoss.isFinite && sparseGradient.isFinite)
    let (sigmoidLoss, sigmoidGradient) = valueWithGradient(at: logits) {
      sigmoidCrossEntropy(logits: $0, labels: labels)
    }
    #expect(sigmoidLoss.isFinite && sigmoidGradient.isFinite)
    #expect(sigmoidGradient.isApproximatelyEqual(
      to: Tensor([[1, -1, 0.5], [-1, 1, 0.9933072]]) / 6, tolerance: 1e-6))
    let (nllLoss, nllGradient) = valueWithGradient(at: logits) {
      negativeLogLikelihood(logProbabilities: logSoftmax($0), classIndices: [1, 0])
    }
    #expect(nllLoss.isFinite && nllGradient.isFinite)
    #expect(softmax(logits).isFinite && logSoftmax(logits).isFinite)
  }

  @Test("probabilities of exactly 0 and 1 give finite losses and gradients")
  func exactProbabilities() {
    let p = Tensor([[0, 1], [1, 0]])
    let t = Tensor([[1, 0], [1, 0]])
    let (bce, bceGradient) = valueWithGradient(at: p) { binaryCrossEntropy(probabilities: $0, labels: t) }
    #expect(bce.isFinite && bceGradient.isFinite)
    // Wrong entries cost −ln ε = 16.118 (p = 0, t = 1) and −ln(1 − 0.99999988) = 15.942
    // (p = 1, t = 0, with 1 − ε rounded to Float); the right ones about 1e-7.
    #expect(Swift.abs(bce.scalar - (16.118095 + 15.942385) / 4) < 1e-3)
    let (cce, cceGradient) = valueWithGradient(at: p) { categoricalCrossEntropy(probabilities: $0, labels: t) }
    #expect(cce.isFinite && cceGradient.isFinite)
    let (kl, klGradient) = valueWithGradient(at: p) { kullbackLeiblerDivergence(probabilities: $0, labels: t) }
    #expect(kl.isFinite && klGradient.isFinite)
  }

  @Test("softmax rows sum to 1")
  func softmaxRowsSumToOne() {
    var generator = RandomGenerator(seed: 2)
    let logits = Tensor(randomNormal: [16, 10], standardDeviation: 30, generator: &generator)
    let sums = softmax(logits).sum(alongAxis: -1)
    #expect(sums.scalars.allSatisfy { Swift.abs($0 - 1) < 1e-6 })
  }

  @Test("sigmoid of −100 and +100 is not NaN")
  func sigmoidExtremes() {
    let s = sigmoid(Tensor([-100, 100, -1e4, 1e4]))
    #expect(!s.scalars.contains { $0.isNaN })
    #expect(s.scalars[1] == 1 && s.scalars[3] == 1)
    #expect(s.scalars[0] >= 0 && s.scalars[0] < 1e-40)
    let d = gradient(at: Tensor([-100, 100])) { sigmoid($0).sum() }
    #expect(d.isFinite)
  }

  @Test("softplus, elu, selu, gelu and swish stay finite at ±1e4")
  func otherActivationsAtExtremes() {
    let x = Tensor([-1e4, 1e4])
    for f in [softplus, { elu($0) }, selu, gelu, swish, { leakyRelu($0) }] as [(Tensor) -> Tensor] {
      let (value, g) = valueWithGradient(at: x) { f($0).sum() }
      #expect(value.isFinite && g.isFinite)
    }
    #expect(softplus(x).scalars == [0, 1e4])
  }

  @Test("reductions: none gives per-sample values, sum adds them, mean averages them")
  func reductions() {
    let p = Tensor([[1, 2], [3, 5]])
    let y = Tensor([[1, 0], [0, 0]])
    #expect(meanSquaredError(predicted: p, expected: y, reduction: .none).scalars == [2, 17])
    #expect(meanSquaredError(predicted: p, expected: y, reduction: .sum).scalar == 19)
    #expect(meanSquaredError(predicted: p, expected: y).scalar == 9.5)
    // The study's C = Σ(G(x) − y)² for one output is MSE with .sum.
    let single = Tensor([[0.8], [0.3]])
    let targets = Tensor([[1], [0]])
    #expect(Swift.abs(meanSquaredError(predicted: single, expected: targets, reduction: .sum).scalar - 0.13) < 1e-6)
  }
}
