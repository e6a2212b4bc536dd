// libFuzzer target for the IDX reader, raw and gzip: every input must load or throw a
// DataError, never crash.
//
//     ./run.sh idx 60
//
// Each input is tried both as the images file and as the labels file. Its partner is a
// small valid file whose count matches the input's header (bytes 4..<8) when the input is
// raw, and 2 when it is gzip (the seed .gz files hold 2 samples), so inputs that parse
// reach the data set construction rather than stopping at a count mismatch.
import Dendrite
import DendriteData

/// Inflated output is capped at 1 MiB: a gzip bomb must throw `decompressedTooLarge` fast.
let limit = 1 << 20

func bigEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * (3 - $0))) } }

/// The sample count the partner file should have.
func partnerCount(_ bytes: [UInt8]) -> Int {
  if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { return 2 }
  guard bytes.count >= 8 else { return 1 }
  let count = bytes[4..<8].reduce(0) { $0 << 8 | Int($1) }
  return (1...4096).contains(count) ? count : 1
}

/// libFuzzer calls this once per input (`swift build --sanitize fuzzer` links libFuzzer's main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let count = partnerCount(bytes)
  let labels = [0, 0, 8, 1] + bigEndian(count) + (0..<count).map { UInt8($0 % 10) }
  let images = [0, 0, 8, 3] + bigEndian(count) + bigEndian(1) + bigEndian(2) + [UInt8](repeating: 7, count: 2 * count)
  if let dataset = try? IDXLoader.load(images: bytes, labels: labels, decompressionLimit: limit) {
    precondition(dataset.count == count, "loaded \(dataset.count) images, header says \(count)")
  }
  if let dataset = try? IDXLoader.load(images: images, labels: bytes, decompressionLimit: limit) {
    precondition(dataset.count == count, "loaded \(dataset.count) labels, header says \(count)")
  }
  return 0
}
