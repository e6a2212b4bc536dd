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
