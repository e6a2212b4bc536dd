import ArgumentParser
import DendritePlaygroundServer
import Foundation

/// `dendrite playground`: serves the interactive playground page (docs/playground-protocol.md)
/// until Ctrl-C or SIGTERM.
struct PlaygroundCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "playground",
    abstract: "Train small networks live in the browser: serve the playground page.",
    discussion: """
      Prints one line, 'Dendrite playground: http://HOST:PORT/', once it listens, and serves \
      until Ctrl-C (SIGINT) or SIGTERM. Training runs here, one session per browser tab.
      """)

  @Option(help: ArgumentHelp("The address to listen on (keep the loopback address unless you trust the network).", valueName: "address"))
  var host = "127.0.0.1"

  @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "N"))
  var port = 8080

  @Flag(help: "Open the page in the default browser (xdg-open on Linux, open on macOS).")
  var open = false

  func validate() throws {
    guard (0...65_535).contains(port) else { throw ValidationError("--port must be a whole number from 0 to 65535, got \(port)") }
    guard !host.isEmpty else { throw ValidationError("--host needs an address, e.g. 127.0.0.1") }
  }

  func run() throws {
    try reportingErrors {
      let server = PlaygroundServer(host: host, port: port)
      let openPage = open
      let outcome = PlaygroundOutcome()
      let done = DispatchSemaphore(value: 0)
      Task.detached {
        do {
          try await server.run { url in
            // One unbuffered write, so that a parent reading the pipe sees the line at once.
            FileHandle.standardOutput.write(Data("Dendrite playground: \(url)\n".utf8))
            if openPage { openInBrowser(url) }
          }
        } catch {
          outcome.set(error)
        }
        done.signal()
      }
      done.wait()
      if let error = outcome.error {
        if "\(error)".contains("Address already in use") {
          throw PlaygroundCommandError(description: "port \(port) on \(host) is in use: pick another with --port N, or --port 0 for a free one")
        }
        throw PlaygroundCommandError(description: "the playground server stopped: \(error)")
      }
    }
  }
}

/// The server task's error, handed to the waiting command.
private final class PlaygroundOutcome: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: (any Error)?

  var error: (any Error)? {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }

  func set(_ error: any Error) {
    lock.lock()
    stored = error
    lock.unlock()
  }
}

/// A playground failure (the port is taken, the address is not local, …).
private struct PlaygroundCommandError: Error, CustomStringConvertible {
  let description: String
}

/// Opens `url` with `xdg-open` (Linux) or `open` (macOS); a note on stderr when neither is there.
private func openInBrowser(_ url: String) {
  #if os(macOS)
    let candidates = ["/usr/bin/open"]
  #else
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    let candidates = path.split(separator: ":").map { "\($0)/xdg-open" }
  #endif
  guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
    Terminal.printError("note: no xdg-open or open here to start a browser; open \(url) yourself")
    return
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: tool)
  process.arguments = [url]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  do {
    try process.run()
  } catch {
    Terminal.printError("note: could not run \(tool) (\(error)); open \(url) yourself")
  }
}
