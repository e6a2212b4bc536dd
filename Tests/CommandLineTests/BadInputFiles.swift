import Foundation
import Testing

/// The broken files ``BadInputTests`` feeds the CLI, made once per suite run in a fresh
/// temporary folder that the cases run in (so their arguments are relative paths).
///
/// Model files are corrupted copies of `iris.safetensors`, which the CLI itself trains
/// (iris, `--layers 64`, 2 epochs: a 4-64-3 MLP whose data section is 2060 bytes); each
/// corruption swaps bytes of the same length, so every other byte stays as written.
enum BadInputFiles {
  /// The folder of the current suite run; set by ``Scope``.
  @TaskLocal static var directory: URL?

  /// Creates the folder and its files around the suite, and removes it afterwards.
  struct Scope: SuiteTrait, TestScoping {
    func provideScope(
      for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
      let directory = try DendriteProcess.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      try BadInputFiles.make(in: directory)
      try await BadInputFiles.$directory.withValue(directory) { try await function() }
    }
  }

  static func make(in directory: URL) throws {
    func write(_ name: String, _ bytes: [UInt8]) throws {
      try Data(bytes).write(to: directory.appendingPathComponent(name))
    }
    func text(_ name: String, _ contents: String) throws { try write(name, Array(contents.utf8)) }

    // CSV files.
    try text("empty.csv", "")
    try text("header-only.csv", "a,b,label\n")
    try text("ragged.csv", "a,b,label\n1,2,0\n3,4\n")
    try text("text.csv", "a,b,label\n1,2,0\n3,x,1\n5,6,0\n")
    try text("comma.csv", "a,b,label\n1,2,0\n\"1,5\",4,1\n")
    try text("nan.csv", "a,b,label\n1,nan,0\n3,4,1\n")
    try text("inf.csv", "a,b,label\n1,inf,0\n3,4,1\n")
    try text("infinity.csv", "a,b,label\n1,2,0\n3,-inf,1\n")
    try text("empty-cell.csv", "a,b,label\n1,,0\n3,4,1\n")
    try text("quote.csv", "a,b,label\n1,2,0\n\"3,4,1\n")
    try text("single-column.csv", "label\n0\n1\n")
    try text("fractional-labels.csv", "a,b,label\n1,2,0.5\n3,4,1\n")
    try text("one-class.csv", "a,b,label\n1,2,0\n3,4,0\n5,6,0\n7,8,0\n9,1,0\n")
    try text("two-rows.csv", "a,b,label\n1,2,0\n3,4,1\n")
    try text("label-7.csv", "5.1,3.5,1.4,0.2,0\n6.7,3.0,5.2,2.3,7\n")
    try text("three-features.csv", "1,2,3,0\n4,5,6,1\n")
    try text("rows-3-columns.csv", "1,2,3\n")
    try text("rows-nan.csv", "5.1,nan,1.4,0.2\n")
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("folder.csv"), withIntermediateDirectories: false)
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("outdir"), withIntermediateDirectories: false)
    try text("afile", "not a folder\n")

    // Model files.
    let trained = try DendriteProcess.run(
      ["train", "--dataset", "iris", "--layers", "64", "--epochs", "2", "--save", "iris.safetensors"], in: directory)
    guard trained.status == 0 else { throw FixtureError("training the fixture model failed: \(trained.stderr)") }
    let model = [UInt8](try Data(contentsOf: directory.appendingPathComponent("iris.safetensors")))
    try write("empty.safetensors", [])
    try write("truncated.safetensors", Array(model.dropLast(100)))
    try write("header-length.safetensors", littleEndian(100_000) + model.dropFirst(8))
    try write("header-json.safetensors", replacing("{\"__metadata__\"", with: "{\"__metadata__'", in: model))
    try write("dtype.safetensors", replacing("\"dtype\":\"F32\"", with: "\"dtype\":\"X32\"", in: model))
    try write("float16.safetensors", replacing("\"dtype\":\"F32\"", with: "\"dtype\":\"F16\"", in: model))
    try write("offsets.safetensors", replacing("[2048,2060]", with: "[2048,9060]", in: model))
    try write("shape.safetensors", replacing("\"shape\":[3],", with: "\"shape\":[4],", in: model))
    try write("missing-tensor.safetensors", replacing("\"2.bias\"", with: "\"2.bixs\"", in: model))
    try write("loss.safetensors", replacing("softmax-cross-entropy\\\"", with: "softmax-cross-entropx\\\"", in: model))
    try write("version.safetensors", replacing("format_version\":\"1\"", with: "format_version\":\"9\"", in: model))

    // IDX files: 5 images of 2 × 2 pixels, labels 0, 1, 2, 0, 1.
    let images = bigEndian([0x0803, 5, 2, 2]) + (0..<20).map { UInt8($0) }
    let labels = bigEndian([0x0801, 5]) + [0, 1, 2, 0, 1]
    try write("magic-images-idx3-ubyte", bigEndian([0x1234]) + images.dropFirst(4))
    try write("magic-labels-idx1-ubyte", labels)
    try write("swapped-images-idx3-ubyte", labels)
    try write("swapped-labels-idx1-ubyte", labels)
    try write("count-images-idx3-ubyte", images)
    try write("count-labels-idx1-ubyte", bigEndian([0x0801, 4]) + [0, 1, 2, 0])
    try write("cut-images-idx3-ubyte", Array(images.dropLast(3)))
    try write("cut-labels-idx1-ubyte", labels)
    try write("overcount-images-idx3-ubyte", bigEndian([0x0803, 6, 2, 2]) + images.dropFirst(16))
    try write("overcount-labels-idx1-ubyte", labels)
    try write("undercount-images-idx3-ubyte", bigEndian([0x0803, 4, 2, 2]) + images.dropFirst(16))
    try write("undercount-labels-idx1-ubyte", labels)
    try write("alone-images-idx3-ubyte", images)
    var badChecksum = gzipStored(images)
    badChecksum[badChecksum.count - 8] ^= 0xFF
    try write("checksum-images-idx3-ubyte.gz", badChecksum)
    try write("checksum-labels-idx1-ubyte", labels)
    let compressed = gzipStored(images)
    try write("short-images-idx3-ubyte.gz", Array(compressed.prefix(compressed.count / 2)))
    try write("short-labels-idx1-ubyte", labels)
  }

  struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  /// `bytes` with the first occurrence of `old` replaced by `new`, of the same length.
  private static func replacing(_ old: String, with new: String, in bytes: [UInt8]) throws -> [UInt8] {
    let (old, new) = (Array(old.utf8), Array(new.utf8))
    precondition(old.count == new.count, "a corruption keeps the file's length")
    guard let start = (0...(bytes.count - old.count)).first(where: { bytes[$0..<($0 + old.count)].elementsEqual(old) })
    else { throw FixtureError("the fixture model has no \(String(decoding: old, as: UTF8.self))") }
    var result = bytes
    result.replaceSubrange(start..<(start + old.count), with: new)
    return result
  }

  private static func littleEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  private static func bigEndian(_ values: [UInt32]) -> [UInt8] {
    values.flatMap { value in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
  }

  /// A gzip member holding `bytes` in one stored (uncompressed) deflate block.
  private static func gzipStored(_ bytes: [UInt8]) -> [UInt8] {
    let length = UInt16(bytes.count)
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    crc = ~crc
    let header: [UInt8] = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0x03]
    let block: [UInt8] = [0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
    let trailer = [crc, UInt32(bytes.count)].flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    return header + block + bytes + trailer
  }
}
