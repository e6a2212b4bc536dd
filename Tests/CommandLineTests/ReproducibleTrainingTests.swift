import Dendrite
import Foundation
import Testing

@Suite("ReproducibleTrainingTests")
struct ReproducibleTrainingTests {
  @Test("two `train --dataset wine --json --seed 3 --save` runs print the same bytes and save the same file")
  func sameSeedSameBytes() throws {
    let directories = try (0..<2).map { _ in try DendriteProcess.temporaryDirectory() }
    defer { for directory in directories { try? FileManager.default.removeItem(at: directory) } }
    let arguments = ["train", "--dataset", "wine", "--json", "--seed", "3", "--save", "model.safetensors"]
    let runs = try directories.map { try DendriteProcess.run(arguments, in: $0) }
    for run in runs { try #require(run.status == 0, "\(run.stderr)") }

    #expect(runs[0].stdout == runs[1].stdout)
    let object = try runs[0].json()
    // Nothing in the JSON depends on the clock or the machine: these keys, figures only.
    #expect(object.keys.sorted() == [
      "advice", "dataset", "epochs_run", "history", "loss", "model", "test_accuracy", "test_loss", "test_samples",
      "train_samples", "training_path", "validation_samples",
    ])
    #expect(object["training_path"] as? String == "fused kernels")
    let history = try #require(object["history"] as? [[String: Any]])
    #expect(history.count == 200)
    #expect(history.first.map { $0.keys.sorted() } == ["accuracy", "epoch", "loss", "lr", "val_accuracy", "val_loss"])

    let models = try directories.map { try Data(contentsOf: $0.appendingPathComponent("model.safetensors")) }
    #expect(models[0] == models[1], "the saved model files differ")
    let file = try ModelFile.load(from: directories[0].appendingPathComponent("model.safetensors").path)
    #expect(file.inputSize == 13 && file.outputSize == 3 && file.classCount == 3)
  }
}
