import Dendrite
import Foundation
import Testing

/// One F.conv2d case of the PyTorch reference: shapes, options, and PyTorch's outputs.
struct ConvolutionReferenceCase: Sendable, CustomTestStringConvertible {
  let name: String, input: [Int], weight: [Int], stride: Int, padding: Int, output: [Int]
  let y: [Float], gradX: [Float], gradWeight: [Float], gradBias: [Float]
  var testDescription: String { name }
}

/// One F.max_pool2d or F.avg_pool2d case of the PyTorch reference.
struct PoolingReferenceCase: Sendable, CustomTestStringConvertible {
  let name: String, isMax: Bool, input: [Int], size: Int, stride: Int, output: [Int]
  let y: [Float], gradX: [Float]
  var testDescription: String { name }
}

/// The inputs of Scripts/make_convolution_reference.py, rebuilt by the same formulas
/// (float64, then rounded to float32).
private func formula(_ shape: [Int], _ f: (Double) -> Double) -> Tensor {
  Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Float(f(Double($0))) })
}

/// |a − b| ≤ 1e-4·(1 + |b|) for every element, with the first failure named.
private func expectClose(_ actual: [Float], _ expected: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(actual.count == expected.count, "\(what): \(actual.count) values, PyTorch has \(expected.count)", sourceLocation: sourceLocation)
  if let index = expected.indices.first(where: { $0 < actual.count && abs(actual[$0] - expected[$0]) > 1e-4 * (1 + abs(expected[$0])) }) {
    Issue.record("\(what)[\(index)]: \(actual[index]), PyTorch \(expected[index])", sourceLocation: sourceLocation)
  }
}

@Suite("Convolution and pooling against PyTorch")
struct ConvolutionReferenceTests {
  @Test("conv2d: values and gradients of x, weight and bias", arguments: PyTorchConvolutionReference.convolutions)
  func convolution(_ reference: ConvolutionReferenceCase) {
    let x = formula(reference.input) { 2 * sin(0.7 * $0 + 0.3) }
    let weight = formula(reference.weight) { 0.5 * cos(0.37 * $0 + 0.1) }
    let bias = formula([reference.weight[0]]) { 0.1 * $0 - 0.2 }
    let v = formula(reference.output) { cos(0.3 * $0) }
    let (s, p) = (reference.stride, reference.padding)
    let y = conv2d(x, weight: weight, bias: bias, stride: s, padding: p)
    #expect(y.shape == reference.output)
    expectClose(y.scalars, reference.y, "\(reference.name) y")
    let (_, gradients) = valueWithGradient(at: [x, weight, bias]) { t in
      (conv2d(t[0], weight: t[1], bias: t[2], stride: s, padding: p) * v).sum()
    }
    expectClose(gradients[0].scalars, reference.gradX, "\(reference.name) ∂L/∂x")
    expectClose(gradients[1].scalars, reference.gradWeight, "\(reference.name) ∂L/∂W")
    expectClose(gradients[2].scalars, reference.gradBias, "\(reference.name) ∂L/∂b")
  }

  @Test("max and average pooling: values and gradients", arguments: PyTorchConvolutionReference.poolings)
  func pooling(_ reference: PoolingReferenceCase) {
    let x = formula(reference.input) { 2 * sin(0.7 * $0 + 0.3) }
    let v = formula(reference.output) { cos(0.3 * $0) }
    func pool(_ t: Tensor) -> Tensor {
      reference.isMax
        ? maxPool2d(t, size: reference.size, stride: reference.stride)
        : avgPool2d(t, size: reference.size, stride: reference.stride)
    }
    let y = pool(x)
    #expect(y.shape == reference.output)
    expectClose(y.scalars, reference.y, "\(reference.name) y")
    expectClose(gradient(at: x) { (pool($0) * v).sum() }.scalars, reference.gradX, "\(reference.name) ∂L/∂x")
  }
}
