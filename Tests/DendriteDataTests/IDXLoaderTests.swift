@testable import DendriteData
import Dendrite
import Foundation
import Testing

@Suite("IDX: MNIST-format images and labels, raw and gzip")
struct IDXLoaderTests {
  /// Three 2×2 images with pixels 0…255 and labels 2, 0, 1.
  let pixels: [UInt8] = [0, 255, 1, 2, 10, 20, 30, 40, 128, 64, 32, 16]
  var images: [UInt8] { IDXFixtures.images(count: 3, rows: 2, columns: 2, pixels: pixels) }
  var labels: [UInt8] { IDXFixtures.labels([2, 0, 1]) }

  /// Writes `files` into a fresh directory and passes it to `body`.
  private func withFiles(_ files: [String: [UInt8]], _ body: (URL) throws -> Void) throws {
    let directory = try IDXFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, bytes) in files { try Data(bytes).write(to: directory.appendingPathComponent(name)) }
    try body(directory)
  }

  private func error(images: [UInt8], labels: [UInt8], limit: Int = 1 << 30) -> DataError? {
    do {
      _ = try IDXLoader.load(images: images, labels: labels, imagesFile: "img", labelsFile: "lab", decompressionLimit: limit)
      return nil
    } catch {
      return error
    }
  }

  @Test("raw files: the labels file is found beside the images by the MNIST naming")
  func rawFiles() throws {
    try withFiles(["tiny-images-idx3-ubyte": images, "tiny-labels-idx1-ubyte": labels]) { directory in
      let data = try IDXLoader.load(imagesPath: directory.appendingPathComponent("tiny-images-idx3-ubyte").path)
      #expect(data.name == "tiny")
      #expect(data.features.shape == [3, 4])
      #expect(data.features.scalars == pixels.map(Float.init))
      #expect(data.classIndices == [2, 0, 1])
      #expect(data.classCount == 3)
      // Bytes: every feature lies in 0…255, and the default scaling divides by that range.
      #expect(data.featureRange == 0...255)
      #expect(data.split(testFraction: 0.34, seed: 1).train.featureRange == 0...255)
      let scaling = Preprocessing.fixedRange(0...255, featureCount: 4)
      #expect(scaling.apply(Tensor([[0, 51, 255, 127.5]])) == Tensor([[0, 0.2, 1, 0.5]]))
      #expect(data.replacingFeatures(scaling.apply(data.features)).featureRange == nil)
      // Each row is a grey image of the file's rows × columns; scaling keeps the shape.
      #expect(data.sampleShape == [1, 2, 2])
      #expect(data.split(testFraction: 0.34, seed: 1).train.sampleShape == [1, 2, 2])
      #expect(data.replacingFeatures(scaling.apply(data.features)).sampleShape == [1, 2, 2])
      #expect(data.replacingFeatures(Tensor.zeros(shape: [3, 2])).sampleShape == nil)
    }
  }

  @Test("gzip files (several deflate blocks) load the same; .gz or not is tried both ways")
  func gzipFiles() throws {
    let big = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let bigImages = IDXFixtures.images(count: 1, rows: 280, columns: 250, pixels: big)
    let files = [
      "train-images-idx3-ubyte.gz": IDXFixtures.gzip(images), "train-labels-idx1-ubyte": labels,
      "big-images.idx3-ubyte": IDXFixtures.gzip(bigImages), "big-labels.idx1-ubyte.gz": IDXFixtures.gzip(IDXFixtures.labels([7])),
    ]
    try withFiles(files) { directory in
      let data = try IDXLoader.load(imagesPath: directory.appendingPathComponent("train-images-idx3-ubyte.gz").path)
      #expect(data.name == "train")
      #expect(data.features.scalars == pixels.map(Float.init))
      #expect(data.classIndices == [2, 0, 1])
      let large = try IDXLoader.load(imagesPath: directory.appendingPathComponent("big-images.idx3-ubyte").path)
      #expect(large.features.shape == [1, 70_000])
      #expect(large.features.scalars == big.map(Float.init))
      #expect(large.classIndices == [7])
    }
  }

  @Test("concatenated gzip members inflate to the joined bytes")
  func multiMemberGzip() throws {
    let joined = IDXFixtures.gzip(Array(images.prefix(10))) + IDXFixtures.gzip(Array(images.dropFirst(10)))
    #expect(try Gzip.decompress(joined, file: "x.gz") == images)
    #expect(try IDXLoader.load(images: joined, labels: labels).count == 3)
  }

  @Test("no labels file beside the images lists the names tried")
  func labelsNotFound() throws {
    try withFiles(["a-images-idx3-ubyte": images]) { directory in
      let path = directory.appendingPathComponent("a-images-idx3-ubyte").path
      let tried = [directory.path + "/a-labels-idx1-ubyte", directory.path + "/a-labels-idx1-ubyte.gz"]
      #expect(throws: DataError.labelsFileNotFound(imagesFile: path, tried: tried)) { try IDXLoader.load(imagesPath: path) }
    }
    #expect(IDXLoader.labelsPathCandidates(forImagesPath: "pictures.bin").isEmpty)
  }

  @Test("a bad magic number names what the file is")
  func badMagic() {
    let swapped = error(images: labels, labels: labels)
    #expect(swapped == .badMagic(file: "img", found: 0x801, expected: 0x803))
    #expect(swapped?.description
      == "img: magic number 0x00000801 at byte 0, expected 0x00000803 (IDX images); this is a labels file, give the images file")
    let text = error(images: Array("PK\u{3}\u{4}zipfile".utf8), labels: labels)
    #expect(text?.description == "img: magic number 0x504b0304 at byte 0, expected 0x00000803 (IDX images); this is not an IDX file")
    let floats = error(images: IDXFixtures.images(count: 3, rows: 2, columns: 2, pixels: pixels, magic: 0x0D03), labels: labels)
    #expect(floats?.description == "img: magic number 0x00000d03 at byte 0, expected 0x00000803; only unsigned-byte IDX data (type 0x08) is supported")
  }

  @Test("a header count larger than the body is a truncated file; a smaller one leaves trailing bytes")
  func wrongCount() {
    let tooMany = error(images: IDXFixtures.images(count: 5, rows: 2, columns: 2, pixels: pixels), labels: labels)
    #expect(tooMany == .truncated(file: "img", expected: 36, actual: 28))
    #expect(tooMany?.description == "img: the file ends at byte 28 but its header needs 36 bytes (incomplete download?)")
    let tooFew = error(images: images, labels: IDXFixtures.labels([2, 0, 1], count: 2))
    #expect(tooFew == .trailingBytes(file: "lab", expected: 10, actual: 11))
  }

  @Test("a truncated body or header, and a zero dimension")
  func truncatedAndZero() {
    #expect(error(images: Array(images.dropLast(3)), labels: labels) == .truncated(file: "img", expected: 28, actual: 25))
    #expect(error(images: Array(images.prefix(9)), labels: labels) == .truncated(file: "img", expected: 16, actual: 9))
    let zero = error(images: IDXFixtures.images(count: 3, rows: 0, columns: 2, pixels: []), labels: labels)
    #expect(zero == .badDimension(file: "img", offset: 8, dimension: "rows", value: 0))
  }

  @Test("image and label counts must agree")
  func countMismatch() {
    let failure = error(images: images, labels: IDXFixtures.labels([1, 2]))
    #expect(failure == .countMismatch(imagesFile: "img", images: 3, labelsFile: "lab", labels: 2))
    #expect(failure?.description == "img holds 3 images but lab holds 2 labels; use the labels file of the same set")
  }

  @Test("corrupt gzip: damaged block lengths, bad checksum, cut-short stream")
  func corruptGzip() {
    var damaged = IDXFixtures.gzip(images)
    damaged[13] ^= 0xFF   // NLEN no longer the complement of LEN
    #expect(error(images: damaged, labels: labels) == .corruptGzip(file: "img", offset: 15, reason: "invalid stored block lengths"))
    var checksum = IDXFixtures.gzip(images)
    checksum[checksum.count - 8] ^= 0x01
    #expect(error(images: checksum, labels: labels)?.description.contains("incorrect data check") == true)
    let cut = Array(IDXFixtures.gzip(images).dropLast(12))
    let failure = error(images: cut, labels: labels)
    #expect(failure?.description.hasPrefix("img: the gzip stream is corrupt at byte") == true)
    #expect(failure?.description.contains("the stream ends early") == true)
    let garbage = IDXFixtures.gzip(images) + [0, 0, 0]
    #expect(error(images: garbage, labels: labels)?.description.contains("unexpected bytes after the end of the stream") == true)
  }

  @Test("a stream that inflates past the limit is refused (decompression bomb)")
  func decompressionLimit() throws {
    let bomb = IDXFixtures.gzip([UInt8](repeating: 0, count: 200_000))
    #expect(error(images: bomb, labels: labels, limit: 100_000) == .decompressedTooLarge(file: "img", limit: 100_000))
    #expect(throws: DataError.decompressedTooLarge(file: "b", limit: 199_999)) { _ = try Gzip.decompress(bomb, file: "b", limit: 199_999) }
    #expect(try Gzip.decompress(bomb, file: "b", limit: 200_000).count == 200_000)
  }
}
