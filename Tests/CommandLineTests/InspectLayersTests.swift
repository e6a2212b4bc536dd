import Dendrite
import Foundation
import Testing

/// `dendrite inspect` on a model file with convolution, pooling, normalisation and residual layers.
@Suite("inspect: convolutional, normalisation and residual layers, and batch norm's buffers")
struct InspectLayersTests {
  @Test("each layer on one line, a residual block's layers indented under it, the buffers listed")
  func layersAndBuffers() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = Sequential(seed: 2) {
      Unflatten(shape: [1, 4, 4])
      Conv2D(inChannels: 1, outChannels: 2, kernelSize: 3, padding: 1, activation: .relu)
      BatchNorm(featureCount: 2)
      MaxPool2D(size: 2)
      Flatten()
      Residual {
        LayerNorm(featureCount: 8)
        Dense(inputSize: 8, outputSize: 8)
      }
      Dense(inputSize: 8, outputSize: 2)
    }
    try model.save(to: directory.appendingPathComponent("cnn.safetensors").path, loss: .softmaxCrossEntropy, classCount: 2)
    let inspected = try DendriteProcess.run(["inspect", "cnn.safetensors"], in: directory)
    #expect(inspected.status == 0)
    #expect(
      inspected.stdout.contains(
        """
          layers:
            unflatten 1×4×4
            conv2d 1→2 3×3 padding 1
            activation relu
            batchnorm 2 (BatchNorm2d)
            maxpool 2
            flatten
            residual:
              layernorm 8
              dense in 8, out 8
            dense in 8, out 2

        """), "\(inspected.stdout)")
    #expect(inspected.stdout.contains("    6.1.weight [8, 8]\n"), "\(inspected.stdout)")
    #expect(inspected.stdout.contains("    3.num_batches_tracked [] = 0\n"), "\(inspected.stdout)")
    let json = try DendriteProcess.run(["inspect", "cnn.safetensors", "--json"], in: directory).json()
    #expect((json["buffers"] as? [String: [Int]])?["3.running_var"] == [2])
  }
}
