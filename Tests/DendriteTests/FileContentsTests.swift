import Foundation
import Testing

@testable import Dendrite

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite("FileContentsTests")
struct FileContentsTests {
  @Test("a file reads back whole, an empty one as no bytes")
  func readsWholeFiles() throws {
    try withTemporaryDirectory { directory in
      let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
      try AtomicFile.write(bytes, to: directory + "/big.bin")
      try AtomicFile.write([], to: directory + "/empty.bin")
      #expect(try FileContents.bytes(atPath: directory + "/big.bin") == bytes)
      #expect(try FileContents.bytes(atPath: directory + "/empty.bin") == [])
    }
  }

  @Test("a missing file, a path through a file and a folder are told apart")
  func errors() throws {
    try withTemporaryDirectory { directory in
      let missing = directory + "/missing.csv"
      #expect(throws: FileReadError(path: missing, reason: .noSuchFile)) { try FileContents.bytes(atPath: missing) }
      try AtomicFile.write([1], to: directory + "/file")
      let throughFile = directory + "/file/x.csv"
      #expect(throws: FileReadError(path: throughFile, reason: .noSuchFile)) {
        try FileContents.bytes(atPath: throughFile)
      }
      #expect(throws: FileReadError(path: directory, reason: .isFolder)) { try FileContents.bytes(atPath: directory) }
    }
  }

  @Test("problems read as one phrase for the kind of file expected")
  func problems() {
    #expect(FileReadError(path: "m", reason: .noSuchFile).problem(expecting: "model file") == "no such file (check the path)")
    #expect(FileReadError(path: "m", reason: .isFolder).problem(expecting: "model file") == "is a folder, not a model file")
    #expect(
      FileReadError(path: "m", reason: .unreadable("permission denied")).description
        == "m: cannot be read (permission denied)")
  }

  @Test("an unreadable file is a permission error", .enabled(if: getuid() != 0, "root reads any file"))
  func unreadable() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/secret.bin"
      try AtomicFile.write([1, 2], to: path)
      chmod(path, 0o000)
      #expect(throws: FileReadError(path: path, reason: .unreadable("permission denied"))) {
        try FileContents.bytes(atPath: path)
      }
    }
  }
}
