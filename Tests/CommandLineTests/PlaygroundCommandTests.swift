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
      defer { if process.isRunning { process.terminate() } }
      #expect(line.hasPrefix("Dendrite playground: http://127.0.0.1:"), "\(line)")
      #expect(line.hasSuffix("/\n"))
      #expect(!line.contains(":0/"))
      let port = try #require(line.split(separator: ":").last?.split(separator: "/").first.flatMap { UInt16($0) })
      let page = try #require(httpGet(port: port))
      #expect(page.hasPrefix("HTTP/1.0 200") || page.hasPrefix("HTTP/1.1 200"), "\(page.prefix(80))")
      #expect(page.contains("Dendrite playground"))
      kill(process.processIdentifier, signal)  // also on the failure paths above: see defer

      let rest = output.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      #expect(process.terminationReason == .exit && process.terminationStatus == 0, "signal \(signal)")
      #expect(rest.isEmpty, "nothing but the URL line on stdout")
    }
  }

  /// `GET /` over a plain socket (Foundation on Linux reads no http: URLs): the whole answer.
  func httpGet(port: UInt16) -> String? {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return nil }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    guard write(descriptor, request, request.count) == request.count else { return nil }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = read(descriptor, &buffer, buffer.count)
      if count <= 0 { break }
      answer += buffer[0..<count]
      if String(decoding: answer, as: UTF8.self).contains("</html>") { break }
    }
    return String(decoding: answer, as: UTF8.self)
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
