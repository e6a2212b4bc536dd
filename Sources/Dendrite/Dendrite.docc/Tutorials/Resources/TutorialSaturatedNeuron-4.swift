import Dendrite

// The neuron, started saturated.
let x = Tensor([[1]])
let y = Tensor([[0]])
let a = sigmoid(matmul(x, Tensor([[2]])) + Tensor([2])).scalar
print("start: a = κ(4) =", a, " κ′(4) =", a * (1 - a))

// One update of w and b by gradient descent.
func update(_ w: inout Tensor, _ b: inout Tensor, x: Tensor, y: Tensor, crossEntropy: Bool) {
  let g = gradients(at: [w, b]) { p in
    let z = matmul(x, p[0]) + p[1]
    return crossEntropy
      ? sigmoidCrossEntropy(logits: z, labels: y)  // J = −y·ln a − (1 − y)·ln(1 − a)
      : meanSquaredError(predicted: sigmoid(z), expected: y, reduction: .sum)  // C = (a − y)²
  }
  w = w - 0.15 * g[0]
  b = b - 0.15 * g[1]
}

// Train until the output is below 0.1, counting the epochs.
func epochsToLearn(start: Float, crossEntropy: Bool, x: Tensor, y: Tensor) -> Int? {
  var w = Tensor([[start]])
  var b = Tensor([start])
  for epoch in 1...1000 {
    update(&w, &b, x: x, y: y, crossEntropy: crossEntropy)
    if sigmoid(matmul(x, w) + b).scalar < 0.1 { return epoch }
  }
  return nil
}
let mse = epochsToLearn(start: 2, crossEntropy: false, x: x, y: y) ?? 0
let crossEntropy = epochsToLearn(start: 2, crossEntropy: true, x: x, y: y) ?? 0
print("saturated start: epochs to a < 0.1: MSE", mse, " cross-entropy", crossEntropy)

// The same from an unsaturated start (w = b = 0.5, a = 0.73).
let plainMSE = epochsToLearn(start: 0.5, crossEntropy: false, x: x, y: y) ?? 0
let plainCrossEntropy = epochsToLearn(start: 0.5, crossEntropy: true, x: x, y: y) ?? 0
print("unsaturated start: epochs to a < 0.1: MSE", plainMSE, " cross-entropy", plainCrossEntropy)
