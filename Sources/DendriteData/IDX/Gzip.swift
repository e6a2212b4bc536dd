internal import CZlib

/// gzip decompression through zlib, with a cap on the output size.
///
///     let raw = try Gzip.isCompressed(bytes) ? Gzip.decompress(bytes, file: "x.gz") : bytes
///
/// Concatenated gzip members (as `cat a.gz b.gz` makes) are inflated one after another.
/// This file holds the module's only unsafe-pointer code: zlib reads and writes raw buffers.
enum Gzip {
  /// The largest output accepted by default: 1 GiB, twenty times the full MNIST training set.
  static let defaultLimit = 1 << 30

  /// Whether `bytes` start with the gzip magic number 1f 8b.
  static func isCompressed(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  }

  /// The inflated bytes of a gzip stream.
  ///
  /// - Throws: ``DataError/corruptGzip(file:offset:reason:)`` for a damaged or cut-short
  ///   stream, ``DataError/decompressedTooLarge(file:limit:)`` past `limit` bytes.
  static func decompress(_ bytes: [UInt8], file: String, limit: Int = defaultLimit) throws(DataError) -> [UInt8] {
    guard bytes.count <= Int(UInt32.max) else { throw DataError.decompressedTooLarge(file: file, limit: limit) }
    let limit = max(limit, 0)
    let ceiling = limit < Int.max ? limit + 1 : Int.max   // room for one byte past the limit, to detect it
    var output = [UInt8](repeating: 0, count: min(max(bytes.count * 4, 1 << 16), ceiling))
    var written = 0
    let failure: DataError? = bytes.withUnsafeBufferPointer { input in
      var stream = z_stream()
      guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        return DataError.corruptGzip(file: file, offset: 0, reason: "zlib could not start")
      }
      defer { inflateEnd(&stream) }
      stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
      stream.avail_in = UInt32(input.count)
      while true {
        if written == output.count {
          guard output.count <= limit else { return DataError.decompressedTooLarge(file: file, limit: limit) }
          output += [UInt8](repeating: 0, count: min(output.count, ceiling - output.count))
        }
        let status = output.withUnsafeMutableBufferPointer { buffer in
          let room = min(buffer.count - written, Int(UInt32.max))
          stream.next_out = buffer.baseAddress.map { $0 + written }
          stream.avail_out = UInt32(room)
          let status = inflate(&stream, Z_NO_FLUSH)
          written += room - Int(stream.avail_out)
          return status
        }
        if written > limit { return DataError.decompressedTooLarge(file: file, limit: limit) }
        let offset = input.count - Int(stream.avail_in)
        switch status {
        case Z_STREAM_END:
          if stream.avail_in == 0 { return nil }
          guard stream.avail_in >= 2, input[offset] == 0x1F, input[offset + 1] == 0x8B else {
            return DataError.corruptGzip(file: file, offset: offset, reason: "unexpected bytes after the end of the stream")
          }
          inflateReset(&stream)
        case Z_OK:
          continue
        case Z_BUF_ERROR where stream.avail_in == 0:
          return DataError.corruptGzip(file: file, offset: offset, reason: "the stream ends early; is the download incomplete?")
        case Z_BUF_ERROR:
          continue
        default:
          let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
          return DataError.corruptGzip(file: file, offset: offset, reason: reason)
        }
      }
    }
    if let failure { throw failure }
    output.removeSubrange(written...)
    return output
  }
}
