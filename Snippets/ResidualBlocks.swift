// Residual blocks, y = x + f(x): how their parameters are named, why the lab's "residual"
// networks start the last layer of each branch at zero, and what happens to the signal in
// a stack of blocks when they do not.
import Dendrite
import Foundation

// A block's branch f is a small Sequential; its parameters are numbered inside the
// block's own module number, as PyTorch numbers a nested nn.Sequential.
let model = Sequential(seed: 42) {
  Dense(inputSize: 8, outputSize: 16, activation: .relu)        // modules 0 (Linear), 1 (ReLU)
  Residual {                                                    // module 2
    Dense(inputSize: 16, outputSize: 16, activation: .relu)     //   2.0, 2.1
    Dense(inputSize: 16, outputSize: 16, weightInitializer: .zeros)  // 2.2, starts at zero
  }
  ActivationLayer(.relu)                                        // module 3
  Dense(inputSize: 16, outputSize: 3)                           // module 4
}
print(model.parameterNames.joined(separator: ", "))

// With the branch's last layer at zero, f(x) = 0: the block starts as the identity.
var generator = RandomGenerator(seed: 1)
let inputs = Tensor(randomNormal: [32, 8], generator: &generator)
let hidden = model.layers[0](inputs)
let block = model.layers[1](hidden)
let largest = zip(block.scalars, hidden.scalars).map { abs($0 - $1) }.max() ?? .nan
print("max |block(x) − x| at the start:", largest)

// So the branch's first layer gets no gradient at the first step (∂J/∂W₁ passes through
// W₂ = 0), while its last layer does: training grows the branch from zero.
let labels = (0..<32).map { $0 % 3 }
let (_, gradients) = model.valueWithGradients { model in
  softmaxCrossEntropy(logits: model(inputs), classIndices: labels)
}
func norm(_ name: String) -> String {
  let squares = gradients[name]?.scalars.reduce(0) { $0 + $1 * $1 } ?? .nan
  return String(format: "%.4f", squares.squareRoot())
}
print("‖∂J/∂W‖ of 2.0.weight:", norm("2.0.weight"), " of 2.2.weight:", norm("2.2.weight"))

// Ten blocks ReLU(x + f(x)) with He weights in both layers of every branch add a branch
// as large as the signal each time; with zero-initialised branch ends the signal passes
// through unchanged.
func stack(lastLayer: Initializer) -> Sequential {
  Sequential(seed: 7) {
    for _ in 0..<10 {
      Residual {
        Dense(inputSize: 16, outputSize: 16, activation: .relu)
        Dense(inputSize: 16, outputSize: 16, weightInitializer: lastLayer)
      }
      ActivationLayer(.relu)
    }
  }
}
func rootMeanSquare(_ tensor: Tensor) -> Float {
  (tensor.scalars.reduce(0) { $0 + $1 * $1 } / Float(tensor.scalarCount)).squareRoot()
}
let signal = relu(Tensor(randomNormal: [256, 16], generator: &generator))
for (name, last) in [("He throughout", Initializer.heNormal), ("zero branch ends", .zeros)] {
  let ratio = rootMeanSquare(stack(lastLayer: last)(signal)) / rootMeanSquare(signal)
  print("10 blocks, \(name): output RMS / input RMS =", String(format: "%.2f", ratio))
}
