import Foundation
import Testing

/// `dendrite playground`: one URL line on stdout with the bound port, the page served there,
/// SIGINT and SIGTERM stop it with exit 0, a taken port is one error line and exit 1.
@Suite("PlaygroundCommandTests")
struct PlaygroundCommandTests {
  /// Starts `dendrite playground --port 0`; returns the process, its URL line and its pipes.
  func start(_ extra: [String] = []) throws -> (Process, String, Pipe) {
    let process = Process()
    process.executableURL = DendriteProcess.executable
    process.arguments = ["playground", "--port", "0"] + extra
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    var data = Data()
    let handle = output.fileHandleForReading
    while !data.contains(10) {
      let chunk = handle.availableData
      if chunk.isEmpty { break }
      data += chunk
    }
    return (process, String(decoding: data, as: UTF8.self), output)
  }

  @Test("prints one URL line with the bound port, serves the page, SIGINT and SIGTERM exit 0")
  func urlLineAndSignals() throws {
    for signal in [SIGINT, SIGTERM] {
      let (process, line, output) = try start()
      #expect(line.hasPrefix("Dendrite playground: http://127.0.0.1:"), "\(line)")
      #expect(line.hasSuffix("/\n"))
      #expect(!line.contains(":0/"))
      let url = try #require(URL(string: String(line.dropFirst("Dendrite playground: ".count)).trimmingCharacters(in: .whitespacesAndNewlines)))
      let page = try String(contentsOf: url, encoding: .utf8)
      #expect(page.contains("Dendrite playground"))
      kill(process.processIdentifier, signal)
      let rest = output.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      #expect(process.terminationReason == .exit && process.terminationStatus == 0, "signal \(signal)")
      #expect(rest.isEmpty, "nothing but the URL line on stdout")
    }
  }

  @Test("a port in use is one error line and exit 1")
  func portInUse() throws {
    let (first, line, _) = try start()
    defer {
      first.interrupt()
      first.waitUntilExit()
    }
    let port = try #require(line.split(separator: ":").last?.split(separator: "/").first.map(String.init))
    let result = try DendriteProcess.run(["playground", "--port", port])
    #expect(result.status == 1)
    #expect(result.stderr.contains("error: port \(port) on 127.0.0.1 is in use"), "\(result.stderr)")
  }
}
