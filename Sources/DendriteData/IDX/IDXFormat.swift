/// LeCun's IDX format, as the MNIST files use it: a big-endian header, then the data.
///
///     offset  type    value
///     0       UInt32  magic: 0x0000 (2 zero bytes), 0x08 (unsigned bytes), number of dimensions
///     4       UInt32  size of dimension 0 (the sample count)
///     8…      UInt32  sizes of the other dimensions (images: rows, columns)
///     then    UInt8   the data, row-major, exactly the product of the sizes
enum IDXFormat {
  /// Unsigned bytes in 3 dimensions: images `[count, rows, columns]`.
  static let imagesMagic: UInt32 = 0x0000_0803
  /// Unsigned bytes in 1 dimension: labels `[count]`.
  static let labelsMagic: UInt32 = 0x0000_0801

  /// An IDX file's dimensions and data.
  struct Contents {
    /// The size of each dimension, the sample count first.
    var dimensions: [Int]
    /// The data bytes, `dimensions.reduce(1, *)` of them.
    var body: ArraySlice<UInt8>
  }

  /// Reads the header and checks the body length against it.
  ///
  /// - Throws: ``DataError/badMagic(file:found:expected:)``, ``DataError/badDimension(file:offset:dimension:value:)``,
  ///   ``DataError/truncated(file:expected:actual:)``, ``DataError/trailingBytes(file:expected:actual:)``.
  static func parse(_ bytes: [UInt8], file: String, magic: UInt32, dimensionNames: [String]) throws(DataError) -> Contents {
    let headerSize = 4 * (1 + dimensionNames.count)
    guard bytes.count >= 4 else { throw DataError.truncated(file: file, expected: headerSize, actual: bytes.count) }
    let found = bigEndianUInt32(bytes, at: 0)
    guard found == magic else { throw DataError.badMagic(file: file, found: found, expected: magic) }
    guard bytes.count >= headerSize else { throw DataError.truncated(file: file, expected: headerSize, actual: bytes.count) }
    var dimensions: [Int] = []
    var bodySize = 1
    for (position, name) in dimensionNames.enumerated() {
      let offset = 4 * (1 + position)
      let size = Int(bigEndianUInt32(bytes, at: offset))
      let (product, overflow) = bodySize.multipliedReportingOverflow(by: size)
      guard size > 0, !overflow, product <= Int(Int32.max) else {
        throw DataError.badDimension(file: file, offset: offset, dimension: name, value: size)
      }
      dimensions.append(size)
      bodySize = product
    }
    let expected = headerSize + bodySize
    guard bytes.count >= expected else { throw DataError.truncated(file: file, expected: expected, actual: bytes.count) }
    guard bytes.count == expected else { throw DataError.trailingBytes(file: file, expected: expected, actual: bytes.count) }
    return Contents(dimensions: dimensions, body: bytes[headerSize...])
  }

  private static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
  }
}
