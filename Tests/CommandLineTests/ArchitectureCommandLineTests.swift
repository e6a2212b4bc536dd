import Foundation
import Testing

/// `dendrite train --architecture SPEC`: convolutional networks on image data (mnist5k, and
/// CSV rows with `--input-shape`), dense specifications that match `--layers`, and the
/// errors for specifications that do not fit the data or clash with other options.
@Suite("ArchitectureCommandLineTests")
struct ArchitectureCommandLineTests {
  /// 4×4 grey images as CSV rows: class 1 is bright on the left half, class 0 on the right.
  static func stripes() -> String {
    var generator = SplitMix64(seed: 5)
    var rows = [(0..<16).map { "p\($0)" }.joined(separator: ",") + ",label"]
    for index in 0..<120 {
      let label = index % 2
      let pixels = (0..<16).map { pixel -> String in
        let bright = (pixel % 4 < 2) == (label == 1)
        return String((bright ? 200 : 30) + Int(generator.next() % 40))
      }
      rows.append(pixels.joined(separator: ",") + ",\(label)")
    }
    return rows.joined(separator: "\n") + "\n"
  }

  @Test("a small conv net trains one epoch on mnist5k, whose IDX data gives the image shape")
  func mnistConvolution() throws {
    let spec = "conv(4,3,stride=2),relu,maxpool(2),flatten"
    let result = try DendriteProcess.run(
      ["train", "--dataset", "mnist5k", "--architecture", spec, "--epochs", "1", "--validation-fraction", "0", "--json"])
    try #require(result.status == 0, "\(result.stderr)")
    let object = try result.json()
    #expect(object["architecture"] as? String == spec)
    #expect(object["input_shape"] as? [Int] == [1, 28, 28])
    #expect((object["test_accuracy"] as? Double ?? 0) > 0.3, "\(object)")
    #expect(object["training_path"] as? String == "tape (layer 0 (Unflatten) has no fused kernel)")
  }

  @Test("CSV rows with --input-shape train a CNN with batchnorm and a residual block; the summary names the layers")
  func csvConvolution() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.stripes().write(to: directory.appendingPathComponent("stripes.csv"), atomically: true, encoding: .utf8)
    let result = try DendriteProcess.run(
      ["train", "--dataset", "stripes.csv", "--input-shape", "1,4,4", "--epochs", "15", "--batch-size", "16",
       "--architecture", "conv(4,3,padding=1),relu,batchnorm,residual(conv(4,3,padding=1),relu),avgpool(2),flatten,dense(8),relu"],
      in: directory)
    try #require(result.status == 0, "\(result.stderr)")
    let summary = result.stdout.split(separator: "\n").map(String.init)
    #expect(summary.first?.hasPrefix(
      "stripes: conv(4,3,padding=1)-relu-batchnorm-residual(conv(4,3,padding=1),relu)-avgpool(2)-flatten-dense(8)-relu-dense(2) network, "
        + "2 conv + 2 dense layers, softmax-cross-entropy, adam (learning rate 0.001), ") == true, "\(result.stdout)")
    let accuracy = summary.dropFirst().first.flatMap { line in
      line.split(separator: " ").dropFirst(2).first.flatMap { Double($0) }
    }
    #expect((accuracy ?? 0) > 0.9, "\(result.stdout)")
  }

  @Test("a convolutional model is saved with its batch-norm statistics; evaluate scores its test split as train did, predict and resume read it")
  func convolutionalModelFile() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.stripes().write(to: directory.appendingPathComponent("stripes.csv"), atomically: true, encoding: .utf8)
    let train = try DendriteProcess.run(
      ["train", "--dataset", "stripes.csv", "--input-shape", "1,4,4", "--epochs", "4", "--batch-size", "16", "--json",
       "--architecture", "conv(4,3,padding=1),relu,batchnorm,maxpool(2),flatten,dense(8),relu",
       "--save", "cnn.safetensors", "--checkpoint", "cnn.ckpt"],
      in: directory)
    try #require(train.status == 0, "\(train.stderr)")
    let trained = try train.json()
    let evaluate = try DendriteProcess.run(["evaluate", "--model", "cnn.safetensors", "--dataset", "stripes.csv", "--json"], in: directory)
    try #require(evaluate.status == 0, "\(evaluate.stderr)")
    let scored = try evaluate.json()
    let accuracy = try #require(scored["accuracy"] as? Double)
    #expect(abs(accuracy - (try #require(trained["test_accuracy"] as? Double))) < 1e-5)
    let inspect = try DendriteProcess.run(["inspect", "cnn.safetensors"], in: directory)
    #expect(inspect.status == 0 && inspect.stdout.contains("conv2d 1→4 3×3 padding 1") && inspect.stdout.contains("3.running_mean [4]"), "\(inspect.stdout)")
    let predict = try DendriteProcess.run(["predict", "--model", "cnn.safetensors", "--input", "stripes.csv"], in: directory)
    #expect(predict.status == 0 && predict.stdout.split(separator: "\n").count >= 120, "\(predict.stderr)")
    let resume = try DendriteProcess.run(
      ["train", "--dataset", "stripes.csv", "--resume", "cnn.ckpt", "--epochs", "6", "--batch-size", "16"], in: directory)
    #expect(resume.status == 0, "\(resume.stderr)")
  }

  @Test("a dense specification trains the model --layers does, figure for figure, and saves")
  func denseSpecificationMatchesLayers() throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let common = ["train", "--dataset", "iris", "--epochs", "5", "--json"]
    let spec = try DendriteProcess.run(
      common + ["--architecture", "dense(16),relu,dropout(0.1)", "--save", "spec.safetensors"], in: directory)
    let layers = try DendriteProcess.run(common + ["--layers", "16", "--dropout", "0.1"], in: directory)
    try #require(spec.status == 0 && layers.status == 0, "\(spec.stderr)\(layers.stderr)")
    var fromSpec = try spec.json()
    let fromLayers = try layers.json()
    #expect(fromSpec.removeValue(forKey: "architecture") as? String == "dense(16),relu,dropout(0.1)")
    #expect(fromSpec.removeValue(forKey: "model") as? String == "spec.safetensors")
    #expect(!fromLayers.keys.contains("architecture"))
    #expect(NSDictionary(dictionary: fromSpec).isEqual(to: fromLayers))
    let evaluate = try DendriteProcess.run(["evaluate", "--model", "spec.safetensors", "--dataset", "iris", "--json"], in: directory)
    #expect(evaluate.status == 0, "\(evaluate.stderr)")
  }

  @Test("a specification that does not fit the data stops before training, naming the layer and the shapes", arguments: [
    (["--dataset", "mnist5k", "--architecture", "conv(8,3),relu,maxpool(2),dense(128)"],
     "error: --architecture: layer 4 dense(128) needs rows [N, D] but gets [N, 8, 13, 13]; put flatten before it\n"),
    (["--dataset", "mnist5k", "--architecture", "conv(8,5),maxpool(2),conv(8,5),maxpool(2),conv(8,5),flatten"],
     "error: --architecture: layer 5 conv(8,5) needs images of at least 5 × 5 (kernel 5, padding 0) but gets [N, 8, 4, 4]; "
       + "add padding or take out a pooling layer before it\n"),
    (["--dataset", "iris", "--architecture", "dense(8),residual(dense(4))"],
     "error: --architecture: layer 2 residual(dense(4)) changes the shape [N, 8] → [N, 4]; "
       + "the layers inside residual(…) must keep their input's shape\n"),
    (["--dataset", "iris", "--architecture", "conv(8,3),flatten"],
     "error: --architecture: conv and pool layers read each row as an image, but the rows of iris have no image shape; "
       + "give --input-shape C,H,W with C·H·W = 4\n"),
    (["--dataset", "iris", "--architecture", "conv(8,1),flatten", "--input-shape", "1,2,3"],
     "error: --input-shape 1,2,3: 1×2×3 = 6 values per row, but iris has 4 features; give C,H,W with C·H·W = 4\n"),
  ])
  func misfits(arguments: [String], message: String) throws {
    let directory = try DendriteProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try DendriteProcess.run(["train", "--epochs", "1"] + arguments, in: directory)
    #expect(result.status == 1)
    #expect(result.stderr == message)
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("m.safetensors").path))
  }

  @Test("bad specifications and clashing options are usage errors (exit 64)", arguments: [
    (["--architecture", "conv(32)"], #"error: --architecture: conv needs (filters, kernel), got "conv(32)""#),
    (["--architecture", "dense(8) relu"], #"error: --architecture: at character 10: expected "," between layers, got "r""#),
    (["--architecture", "dense(8)", "--layers", "8", "--activation", "tanh"],
     "error: --architecture describes every hidden layer, so --layers and --activation cannot be given with it; "
       + "write the layers, activations and dropout(p) in the specification"),
    (["--input-shape", "1,2,2"],
     "error: --input-shape is the image shape for --architecture's conv and pool layers; give --architecture too, or drop --input-shape"),
    (["--architecture", "conv(1,1),flatten", "--input-shape", "1,2"],
     #"error: --input-shape "1,2": expected channels, height and width as three positive whole numbers up to 65536, like 1,28,28"#),
    (["--resume", "c.safetensors", "--architecture", "dense(8)"],
     "error: --resume takes the model and the run from the checkpoint, so --architecture would be ignored; "
       + "drop it, or start a new run without --resume"),
  ])
  func usageErrors(arguments: [String], message: String) throws {
    let result = try DendriteProcess.run(["train", "--dataset", "iris"] + arguments)
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
  }

  @Test("--help documents --architecture with its grammar and an example")
  func help() throws {
    let help = try DendriteProcess.run(["train", "--help"])
    #expect(help.status == 0)
    for text in ["--architecture <SPEC>", "--input-shape <C,H,W>", #"architecture = layer , { "," , layer } ;"#,
                 "conv(filters, kernel, stride=1, padding=0)", "residual(layer, …)", "\"conv(8,3,padding=1),relu,maxpool(2),conv(16,3),relu,maxpool(2),flatten\""] {
      #expect(help.stdout.contains(text), "\(text)")
    }
  }
}
