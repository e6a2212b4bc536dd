import Dendrite

// The neuron, started saturated.
let x = Tensor([[1]])
let y = Tensor([[0]])
let a = sigmoid(matmul(x, Tensor([[2]])) + Tensor([2])).scalar
print("start: a = κ(4) =", a, " κ′(4) =", a * (1 - a))
