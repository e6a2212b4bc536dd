import Dendrite
import DendritePlayground
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import HummingbirdWSTesting
import Testing

@testable import DendritePlaygroundServer

/// The HTTP side: routes, content types, the CSP header, the Origin check.
@Suite struct PlaygroundHTTPTests {
  @Test func servesThePageWithContentTypesAndTheCSPHeader() async throws {
    let app = PlaygroundServer(host: "127.0.0.1", port: 0).makeApplication()
    try await app.test(.live) { client in
      let port = try #require(client.port)
      let policy = "default-src 'self'; connect-src 'self' ws://127.0.0.1:\(port); img-src 'self' data:; style-src 'self'; script-src 'self'"
      for (path, type, marker) in [
        ("/", "text/html; charset=utf-8", "<canvas id=\"boundary\""),
        ("/app.js", "text/javascript; charset=utf-8", "new WebSocket("),
        ("/style.css", "text/css; charset=utf-8", ":root"),
      ] {
        try await client.execute(uri: path, method: .get) { response in
          #expect(response.status == .ok, "\(path)")
          #expect(response.headers[.contentType] == type, "\(path)")
          #expect(response.headers[.contentSecurityPolicy] == policy, "\(path)")
          #expect(String(buffer: response.body).contains(marker), "\(path)")
        }
      }
      try await client.execute(uri: "/missing", method: .get) { response in
        #expect(response.status == .notFound)
        #expect(response.headers[.contentSecurityPolicy] == policy)
      }
    }
  }

  @Test func refusesAWebSocketFromAnotherOrigin() async throws {
    let upgrade: HTTPFields = [
      .origin: "http://evil.example", .connection: "Upgrade", .upgrade: "websocket",
      .secWebSocketKey: "dGhlIHNhbXBsZSBub25jZQ==", .secWebSocketVersion: "13",
    ]
    let app = PlaygroundServer(host: "127.0.0.1", port: 0).makeApplication()
    try await app.test(.live) { client in
      let port = try #require(client.port)
      try await client.execute(uri: "/ws", method: .get, headers: [.origin: "http://127.0.0.1:\(port + 1)"]) { response in
        #expect(response.status == .forbidden)
      }
      // Hummingbird's test client always sends `Origin: ws://localhost`: refused too.
      await #expect(throws: (any Error).self) { try await client.ws("/ws") { _, _, _ in } }
    }
    // An upgrade as a connection's first request (as browsers open WebSockets) gets 403.
    try await PlaygroundServer(host: "127.0.0.1", port: 0).makeApplication().test(.live) { client in
      let port = try #require(client.port)
      try await client.execute(uri: "/ws", method: .get, headers: upgrade) { response in
        #expect(response.status == .forbidden)
        #expect(response.headers[.contentSecurityPolicy]?.contains("ws://127.0.0.1:\(port)") == true)
      }
    }
  }

  @Test func originRules() async {
    let state = ServerState(host: "127.0.0.1", port: 8080)
    #expect(await state.allowsOrigin(nil))
    #expect(await state.allowsOrigin("http://127.0.0.1:8080"))
    #expect(await state.allowsOrigin("http://localhost:8080"))
    #expect(await !state.allowsOrigin("http://localhost:8081"))
    #expect(await !state.allowsOrigin("https://127.0.0.1:8080"))
    #expect(await !state.allowsOrigin("http://evil.example"))
    #expect(await !state.allowsOrigin("null"))
    #expect(OriginGuardHandler.refusedOrigin(
      head: "GET /ws?x=1 HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nOrigin: http://evil.example", host: "127.0.0.1", port: 8080)
      == "http://evil.example")
    #expect(OriginGuardHandler.refusedOrigin(
      head: "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nOrigin: http://127.0.0.1:8080", host: "127.0.0.1", port: 8080) == nil)
    #expect(OriginGuardHandler.refusedOrigin(
      head: "GET / HTTP/1.1\r\nOrigin: http://evil.example", host: "127.0.0.1", port: 8080) == nil)
    let lan = ServerState(host: "192.168.1.5", port: 80)
    #expect(await lan.allowsOrigin("http://192.168.1.5:80"))
    #expect(await !lan.allowsOrigin("http://localhost:80"))
  }

  @Test func sessionCounterStopsAtTheLimit() async {
    let counter = SessionCounter()
    for _ in 0..<PlaygroundLimits.maximumSessions { #expect(await counter.acquire()) }
    #expect(await !counter.acquire())
    await counter.release()
    #expect(await counter.acquire())
  }

  @Test func embeddedPageMatchesResources() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/DendritePlaygroundServer/Resources")
    for file in PageFile.allCases {
      var text = try String(contentsOf: folder.appendingPathComponent(file.fileName), encoding: .utf8)
      if text.hasSuffix("\n") { text.removeLast() }
      #expect(text == file.text, "\(file.fileName) differs from PageFiles.swift: run python3 Scripts/embed_playground_page.py")
    }
  }
}

/// Messages the test client received, for waiting with a timeout.
actor Inbox {
  private(set) var messages: [JSONValue] = []
  private(set) var closed = false

  func add(_ text: String) {
    if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) { messages.append(value) }
  }

  func close() { closed = true }

  /// Waits until `predicate` holds for the messages (checked every 10 ms), at most `seconds`.
  func wait(seconds: Double = 30, _ predicate: @Sendable ([JSONValue]) -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
      if predicate(messages) { return true }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return predicate(messages)
  }

  func frames() -> [JSONValue] { messages.filter { $0["type"] == "frame" } }
  func errors() -> [String] {
    messages.compactMap { message in
      guard message["type"] == "error", case .string(let text)? = message["message"] else { return nil }
      return text
    }
  }
  func clear() { messages.removeAll() }
}

func epoch(_ frame: JSONValue) -> Int {
  if case .number(let value)? = frame["epoch"] { return Int(value) }
  return -1
}

/// The WebSocket side with the engine: start, pause, step, reset, errors, limits.
@Suite struct PlaygroundWebSocketTests {
  /// Runs `body` on one WebSocket connection whose received messages land in an Inbox.
  func withSession(
    _ body: @escaping @Sendable (Inbox, @escaping @Sendable (String) async throws -> Void) async throws -> Void
  ) async throws -> WebSocketCloseFrame? {
    var server = PlaygroundServer(host: "127.0.0.1", port: 0)
    server.extraOrigins = ["ws://localhost"]
    let app = server.makeApplication()
    return try await app.test(.live) { client in
      try await client.ws("/ws", configuration: .init(maxFrameSize: 1 << 22)) { inbound, outbound, _ in
        let inbox = Inbox()
        let reader = Task {
          do {
            for try await message in inbound.messages(maxSize: 1 << 24) {
              if case .text(let text) = message { await inbox.add(text) }
            }
          } catch {}
          await inbox.close()
        }
        try await body(inbox) { text in try await outbound.write(.text(text)) }
        if await !inbox.closed {
          try await outbound.close(.normalClosure, reason: nil)
          let deadline = ContinuousClock.now + .seconds(2)
          while await !inbox.closed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        }
        reader.cancel()
      }
    }
  }

  @Test func startStreamsFramesPauseStopsThemStepAndResetWork() async throws {
    _ = try await withSession { inbox, send in
      try await send(#"{"type": "start", "config": {"dataset": "xor", "loss": "sigmoid-cross-entropy"}}"#)
      #expect(await inbox.wait { $0.filter { $0["type"] == "frame" }.count >= 5 })
      let frames = await inbox.frames()
      let epochs = frames.map(epoch)
      #expect(epochs == epochs.sorted())
      #expect((epochs.last ?? 0) > (epochs.first ?? 0))
      #expect(frames.first?["points"] != nil)
      #expect(frames.dropFirst().allSatisfy { $0["points"] == nil })
      #expect(frames.last?["playing"] == .bool(true))
      #expect(frames.last?["boundary"]?["size"] == 40)

      try await send(#"{"type": "pause"}"#)
      #expect(await inbox.wait { $0.last?["playing"] == .bool(false) })
      let pausedCount = await inbox.frames().count
      try await Task.sleep(for: .milliseconds(300))
      #expect(await inbox.frames().count == pausedCount)

      let before = await inbox.frames().last.map(epoch) ?? -1
      try await send(#"{"type": "step"}"#)
      #expect(await inbox.wait { $0.filter { $0["type"] == "frame" }.count == pausedCount + 1 })
      try await Task.sleep(for: .milliseconds(200))
      let stepped = await inbox.frames()
      #expect(stepped.count == pausedCount + 1)
      #expect(stepped.last.map(epoch) == before + 1)

      try await send(#"{"type": "reset"}"#)
      #expect(await inbox.wait { $0.last.map(epoch) == 0 })
      #expect(await inbox.frames().last?["points"] != nil)
      #expect(await inbox.frames().last?["playing"] == .bool(false))

      try await send(#"{"type": "resume"}"#)
      #expect(await inbox.wait { ($0.last.map(epoch) ?? 0) >= 3 })

      try await send(#"{"type": "export"}"#)
      #expect(await inbox.wait { $0.contains { $0["type"] == "export" } })
      let export = await inbox.messages.first { $0["type"] == "export" }
      #expect(export?["fileName"] == "playground.safetensors")
      if case .string(let base64)? = export?["modelFile"] { #expect(Data(base64Encoded: base64)?.isEmpty == false) } else {
        Issue.record("export without modelFile")
      }
      #expect(export?["commandLine"] == .null)
    }
  }

  @Test func crossEntropyLearnsXOR() async throws {
    _ = try await withSession { inbox, send in
      try await send(
        #"{"type": "start", "config": {"dataset": "xor", "loss": "sigmoid-cross-entropy", "activation": "tanh", "layers": "4,2", "learningRate": "0.3"}}"#)
      // 40 epochs: a few seconds here, and still short under AddressSanitizer on a busy machine.
      #expect(await inbox.wait(seconds: 45) { ($0.last.map(epoch) ?? 0) >= 40 })
      let frames = await inbox.frames()
      guard case .number(let first)? = frames.first?["trainLoss"], case .number(let last)? = frames.last?["trainLoss"] else {
        Issue.record("frames without trainLoss")
        return
      }
      #expect(last < first * 0.75, "XOR loss went from \(first) to \(last)")
      #expect(frames.first?["config"]?["loss"] == "sigmoid-cross-entropy")
    }
  }

  @Test func aClosedConnectionEndsItsSession() async throws {
    var server = PlaygroundServer(host: "127.0.0.1", port: 0)
    server.extraOrigins = ["ws://localhost"]
    let sessions = server.sessions
    let app = server.makeApplication()
    try await app.test(.live) { client in
      _ = try await client.ws("/ws", configuration: .init(maxFrameSize: 1 << 22)) { inbound, outbound, _ in
        try await outbound.write(.text(#"{"type": "start", "config": {"dataset": "spiral"}}"#))
        var frames = 0
        for try await _ in inbound.messages(maxSize: 1 << 24) {
          frames += 1
          if frames == 3 { break }
        }
        #expect(await sessions.open == 1)
        try await outbound.close(.normalClosure, reason: nil)
      }
      let deadline = ContinuousClock.now + .seconds(30)
      while await sessions.open > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
      #expect(await sessions.open == 0)
    }
  }

  @Test func framesAreRateLimited() async throws {
    _ = try await withSession { inbox, send in
      try await send(#"{"type": "start", "config": {"dataset": "circle"}}"#)
      // However fast the machine, frames never come faster than the cap (the server waits
      // out the interval); a loaded machine may send fewer, so only the upper bound is checked.
      #expect(await inbox.wait(seconds: 10) { !$0.isEmpty })
      let start = ContinuousClock.now
      let before = await inbox.frames().count
      try await Task.sleep(for: .seconds(1))
      let seconds = Double((ContinuousClock.now - start).components.attoseconds) * 1e-18
        + Double((ContinuousClock.now - start).components.seconds)
      let count = await inbox.frames().count - before
      #expect(Double(count) <= Double(PlaygroundLimits.maximumFramesPerSecond) * seconds + 2)
    }
  }

  @Test func raceFramesCarryTheSecondNetwork() async throws {
    _ = try await withSession { inbox, send in
      try await send(#"{"type": "start", "config": {"dataset": "xor", "compare": "loss", "compareWith": "mse"}}"#)
      #expect(await inbox.wait { $0.contains { $0["type"] == "frame" && $0["b"]?["trainLoss"] != nil } })
    }
  }

  @Test func badMessagesGetAnErrorAndTheConnectionStaysOpen() async throws {
    _ = try await withSession { inbox, send in
      try await send("{not json")
      try await send(#"{"type": "dance"}"#)
      try await send(#"{"kind": "start"}"#)
      try await send(#"[1, 2]"#)
      try await send(#"{"type": "start"}"#)
      try await send(#"{"type": "start", "config": {"layers": "8,8,8,8,8,8,8,8,8"}}"#)
      try await send(#"{"type": "start", "config": {"layers": "100"}}"#)
      try await send(#"{"type": "resume"}"#)
      #expect(await inbox.wait { $0.count >= 8 })
      let errors = await inbox.errors()
      #expect(errors.count == 8)
      #expect(errors.contains { $0.contains("malformed") })
      #expect(errors.contains { $0.contains("unknown message type \"dance\"") })
      #expect(errors.contains { $0.contains("at most 8 hidden layers") })
      #expect(errors.contains { $0.contains("at most 64 units per layer") })
      // Still open: a valid start now trains.
      try await send(#"{"type": "start", "config": {"dataset": "gauss"}}"#)
      #expect(await inbox.wait { $0.contains { $0["type"] == "frame" } })
      #expect(await !inbox.closed)
    }
  }

  @Test func anOversizedMessageClosesTheConnection() async throws {
    let closeFrame = try await withSession { inbox, send in
      let big = #"{"type": "start", "config": {"dataset": ""# + String(repeating: "x", count: PlaygroundLimits.maximumMessageBytes) + #""}}"#
      try await send(big)
      let deadline = ContinuousClock.now + .seconds(5)
      while await !inbox.closed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
      #expect(await inbox.closed)
    }
    #expect(closeFrame?.closeCode == .messageTooLarge)
  }
}
