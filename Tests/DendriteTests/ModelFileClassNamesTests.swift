import Dendrite
import Foundation
import Testing

@Suite("model files: class names and label column")
struct ModelFileClassNamesTests {
  static func classifier() -> Sequential {
    .multilayerPerceptron(inputSize: 2, hiddenSizes: [4], activation: .relu, outputSize: 3, seed: 1)
  }

  @Test("class names and the label column survive a save and load, as dendrite.architecture keys")
  func roundTrip() throws {
    let file = try ModelFile(
      model: Self.classifier(), loss: .softmaxCrossEntropy, classCount: 3,
      classNames: ["setosa", "versicolor", "virginica"], labelColumn: "species")
    let safetensors = file.safetensors()
    let architecture = try #require(safetensors.metadata["dendrite.architecture"])
    #expect(architecture.contains("\"class_names\":[\"setosa\",\"versicolor\",\"virginica\"]"))
    #expect(architecture.contains("\"label_column\":\"species\""))
    let loaded = try ModelFile(safetensors: SafetensorsFile(bytes: safetensors.encoded()))
    #expect(loaded.classNames == ["setosa", "versicolor", "virginica"])
    #expect(loaded.labelColumn == "species")
    #expect(loaded.className(2) == "virginica")
  }

  @Test("without class names (regression, or an older file) the key is absent and classes are named by index")
  func withoutNames() throws {
    let file = try ModelFile(model: Self.classifier(), loss: .softmaxCrossEntropy, classCount: 3)
    #expect(!(file.safetensors().metadata["dendrite.architecture"] ?? "").contains("class_names"))
    #expect(file.classNames == nil)
    #expect(file.className(1) == "1")
    let indices = try ModelFile(model: Self.classifier(), loss: .softmaxCrossEntropy, classCount: 3, classNames: ["0", "1", "2"])
    #expect(indices.classNames == nil)
    #expect(indices.safetensors().encoded() == file.safetensors().encoded())
    let url = try #require(Bundle.module.url(forResource: "iris-dendrite-0.1.0", withExtension: "safetensors", subdirectory: "Fixtures"))
    let old = try ModelFile.load(from: url.path)
    #expect(old.classNames == nil)
    #expect(old.labelColumn == nil)
    #expect((0..<3).map(old.className) == ["0", "1", "2"])
  }

  @Test("class names must be one per class")
  func mismatch() throws {
    #expect(throws: ModelFileError.self) {
      try ModelFile(model: Self.classifier(), loss: .softmaxCrossEntropy, classCount: 3, classNames: ["a", "b"])
    }
    var safetensors = try ModelFile(
      model: Self.classifier(), loss: .softmaxCrossEntropy, classCount: 3, classNames: ["a", "b", "c"]
    ).safetensors()
    safetensors.metadata["dendrite.architecture"] = safetensors.metadata["dendrite.architecture"]?
      .replacingOccurrences(of: "[\"a\",\"b\",\"c\"]", with: "[\"a\",\"b\"]")
    do {
      _ = try ModelFile(safetensors: safetensors)
      Issue.record("no error")
    } catch {
      #expect(error.description.contains("\"class_names\" is not an array of one string per class (\"classes\" is 3)"))
    }
  }
}
