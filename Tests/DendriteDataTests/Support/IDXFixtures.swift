import Foundation

/// Builds small IDX and gzip files for the loader tests.
enum IDXFixtures {
  /// An IDX images file: magic 0x803, count, rows, columns, then the pixels.
  static func images(count: Int, rows: Int, columns: Int, pixels: [UInt8], magic: UInt32 = 0x0000_0803) -> [UInt8] {
    bigEndian(magic) + bigEndian(UInt32(count)) + bigEndian(UInt32(rows)) + bigEndian(UInt32(columns)) + pixels
  }

  /// An IDX labels file: magic 0x801, count, then the labels.
  static func labels(_ labels: [UInt8], count: Int? = nil, magic: UInt32 = 0x0000_0801) -> [UInt8] {
    bigEndian(magic) + bigEndian(UInt32(count ?? labels.count)) + labels
  }

  /// One gzip member holding `payload` in stored (uncompressed) deflate blocks.
  static func gzip(_ payload: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
    var start = 0
    repeat {
      let end = min(start + 65_535, payload.count)
      let length = UInt16(end - start)
      out.append(end == payload.count ? 1 : 0)
      out += littleEndian(UInt32(length) | UInt32(~length) << 16)
      out += payload[start..<end]
      start = end
    } while start < payload.count
    return out + littleEndian(crc32(payload)) + littleEndian(UInt32(truncatingIfNeeded: payload.count))
  }

  /// A fresh empty directory under the system's temporary folder.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dendrite-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
  static func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

  private static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }
}
