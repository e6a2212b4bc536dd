// The study's worked examples, computed with Dendrite: softmax(3, 1, −3), and for the
// logits (1, 5, 3) with the second class (index 1) true, the probabilities, the
// log-likelihood loss and its gradient a − y.
import Dendrite

// softmax(3, 1, −3) ≈ (0.88, 0.12, 0.00)
let scores = Tensor([3, 1, -3])
print("softmax(3, 1, -3) =", softmax(scores).scalars)

// Logits (1, 5, 3), class 1 true: the loss and its gradient by reverse-mode autodiff.
let logits = Tensor([[1, 5, 3]])
let (loss, gradient) = valueWithGradient(at: logits) {
  softmaxCrossEntropy(logits: $0, classIndices: [1])
}
let a = softmax(logits)
let y = Tensor(oneHotClassIndices: [1], classCount: 3)
print("a = softmax(1, 5, 3) =", a.scalars)
print("J = -ln a1 =", loss.scalar)
print("dJ/dz (autodiff) =", gradient.scalars)
print("a - y (closed form) =", (a - y).scalars)
