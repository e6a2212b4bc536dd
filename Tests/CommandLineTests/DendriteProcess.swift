import Foundation

/// Runs the built `dendrite` executable, as a user would.
struct DendriteProcess {
  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String

    /// stdout parsed as one JSON object.
    func json() throws -> [String: Any] {
      let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
      guard let dictionary = object as? [String: Any] else { throw CocoaError(.coderReadCorrupt) }
      return dictionary
    }
  }

  /// The executable beside the test bundle (`.build/<configuration>/dendrite`).
  static var executable: URL {
    var directory = Bundle.main.bundleURL
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("dendrite")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory.deleteLastPathComponent()
    }
    return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("dendrite")
  }

  static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var environment = ProcessInfo.processInfo.environment
    environment["SWIFT_BACKTRACE"] = "enable=no"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dendrite-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

extension String {
  /// `train`'s stderr without its first line when that is the CSV read time
  /// (`read x.csv: 40 rows, 3 columns in 0.001 s`), which varies run to run.
  var afterReadLine: String {
    guard hasPrefix("read "), let end = firstIndex(of: "\n") else { return self }
    return String(self[index(after: end)...])
  }
}
