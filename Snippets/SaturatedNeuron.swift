// The sigmoid's derivative κ′(z) = κ(z)(1 − κ(z)) at 0, 4 and 10; then one sigmoid neuron
// with input 1 and target 0, started saturated (w = b = 2, so a = κ(4) ≈ 0.98): its error
// term ∂/∂z carries κ′(z) under mean squared error and is a − y under cross-entropy.
import Dendrite

// κ′ by reverse-mode autodiff: 1/4 at z = 0, vanishing at the ends.
for z: Float in [0, 4, 10] {
  print("κ′(\(z)) =", gradient(at: Tensor([z])) { sigmoid($0).sum() }.scalar)
}

let x = Tensor([[1]])
let target = Tensor([[0]])
let w = Tensor([[2]])
let b = Tensor([2])

// MSE on the sigmoid's output: ∂C/∂z = 2(a − y)·κ′(z).
let mse = gradient(at: matmul(x, w) + b) { z in
  meanSquaredError(predicted: sigmoid(z), expected: target, reduction: .sum)
}
// Cross-entropy on the logit: ∂J/∂z = a − y.
let crossEntropy = gradient(at: matmul(x, w) + b) { z in
  sigmoidCrossEntropy(logits: z, labels: target)
}
let a = sigmoid(matmul(x, w) + b).scalar
print("a = κ(4) =", a, " κ′(4) =", a * (1 - a))
print("MSE error term 2(a − y)·κ′(z) =", mse.scalar)
print("cross-entropy error term a − y =", crossEntropy.scalar)
print("ratio =", crossEntropy.scalar / mse.scalar)
