// libFuzzer target for the IDX reader, raw and gzip: every input must load or throw a
// DataError, never crash.
//
//     ./run.sh idx 60
//
// Each input is tried as the images file and as the labels file, as it is and gzipped
// here (in one or two members): mutated gzip bytes almost never pass zlib's checksums, so
// without this the IDX parser would rarely see inflated data it did not start from. The
// partner file is a small valid one whose count matches the input's header (bytes 4..<8),
// so inputs that parse reach the data set construction rather than a count mismatch.
// Inflated output is capped at 1 MiB (a gzip bomb must throw `decompressedTooLarge` fast),
// and for the gzipped copy of an input whose last byte is odd, at one byte less than the
// input, to exercise the cap.
import Dendrite
import DendriteData
import FuzzZlib

func bigEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * (3 - $0))) } }

/// The sample count the partner file should have: the raw header's, or 2 (the seed
/// .gz files hold 2 samples) for gzip input.
func partnerCount(_ bytes: [UInt8]) -> Int {
  if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { return 2 }
  guard bytes.count >= 8 else { return 1 }
  let count = bytes[4..<8].reduce(0) { $0 << 8 | Int($1) }
  return (1...4096).contains(count) ? count : 1
}

/// One gzip member holding `bytes`.
func gzipMember(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
  var stream = z_stream()
  // windowBits 15 + 16: a gzip wrapper rather than zlib's.
  guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
    Int32(MemoryLayout<z_stream>.size)) == Z_OK
  else { fatalError("deflateInit2 failed") }
  defer { deflateEnd(&stream) }
  var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
  var input = Array(bytes)
  let status = input.withUnsafeMutableBufferPointer { source in
    output.withUnsafeMutableBufferPointer { target in
      stream.next_in = source.baseAddress
      stream.avail_in = UInt32(source.count)
      stream.next_out = target.baseAddress
      stream.avail_out = UInt32(target.count)
      return deflate(&stream, Z_FINISH)
    }
  }
  precondition(status == Z_STREAM_END, "deflate: \(status)")
  return Array(output[..<Int(stream.total_out)])
}

/// `bytes` gzipped, in two members when the first byte is odd.
func gzip(_ bytes: [UInt8]) -> [UInt8] {
  guard let first = bytes.first, first & 1 == 1 else { return gzipMember(bytes[...]) }
  let middle = bytes.count / 2
  return gzipMember(bytes[..<middle]) + gzipMember(bytes[middle...])
}

func check(_ bytes: [UInt8], count: Int, limit: Int) {
  let labels = [0, 0, 8, 1] + bigEndian(count) + (0..<count).map { UInt8($0 % 10) }
  let images = [0, 0, 8, 3] + bigEndian(count) + bigEndian(1) + bigEndian(2) + [UInt8](repeating: 7, count: 2 * count)
  if let dataset = try? IDXLoader.load(images: bytes, labels: labels, decompressionLimit: limit) {
    precondition(dataset.count == count, "loaded \(dataset.count) images, header says \(count)")
  }
  if let dataset = try? IDXLoader.load(images: images, labels: bytes, decompressionLimit: limit) {
    precondition(dataset.count == count, "loaded \(dataset.count) labels, header says \(count)")
  }
}

/// libFuzzer calls this once per input (`swift build --sanitize fuzzer` links libFuzzer's main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  check(bytes, count: partnerCount(bytes), limit: 1 << 20)
  let smallLimit = (bytes.last ?? 0) & 1 == 1
  check(gzip(bytes), count: partnerCount(bytes), limit: smallLimit ? max(bytes.count - 1, 0) : 1 << 20)
  return 0
}
