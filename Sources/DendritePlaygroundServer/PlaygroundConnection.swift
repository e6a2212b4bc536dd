import Dendrite
import DendritePlayground
import Foundation
import HummingbirdWebSocket

/// One WebSocket connection's training session (docs/playground-protocol.md, "Messages"):
/// it owns the engine's session or race, answers the client's messages and, while playing,
/// trains in short slices between frames. Everything it sends goes through one outbox, so
/// frames and answers never interleave on the wire.
actor PlaygroundConnection {
  /// The engine object a config asks for: one network, or two in a race.
  enum Trainer {
    case single(PlaygroundSession)
    case race(PlaygroundRace)

    init(config: PlaygroundConfig) throws(PlaygroundError) {
      self = config.compare == nil ? .single(try PlaygroundSession(config: config)) : .race(try PlaygroundRace(config: config))
    }

    func trainEpoch() {
      switch self {
      case .single(let session): session.trainEpoch()
      case .race(let race): race.trainEpoch()
      }
    }

    func frame(includePoints: Bool) -> JSONValue {
      switch self {
      case .single(let session): session.frame(includePoints: includePoints)
      case .race(let race): race.frame(includePoints: includePoints)
      }
    }

    func exportModelFile() throws -> [UInt8] {
      switch self {
      case .single(let session): try session.exportModelFile()
      case .race(let race): try race.exportModelFile()
      }
    }

    var commandLine: String? {
      if case .single(let session) = self { return session.commandLine }
      return nil
    }
  }

  /// The shortest time between two frames (``PlaygroundLimits/maximumFramesPerSecond``).
  static let frameInterval = Duration.milliseconds(1_000 / PlaygroundLimits.maximumFramesPerSecond + 1)
  /// The CPU time one slice may take before its frame goes out (at least one epoch runs).
  static let sliceBudget = Duration.milliseconds(25)

  private var config: PlaygroundConfig?
  private var trainer: Trainer?
  private var playing = false
  private var pointsPending = false
  private var budget: StepBudget?
  private var lastSlice = ContinuousClock.now
  private var nextStepAllowed = ContinuousClock.now
  private let outbox: AsyncStream<String>.Continuation
  private let wake: AsyncStream<Void>.Continuation

  init(outbox: AsyncStream<String>.Continuation, wake: AsyncStream<Void>.Continuation) {
    self.outbox = outbox
    self.wake = wake
  }

  /// Serves one upgraded connection until it closes: reads messages (at most
  /// ``PlaygroundLimits/maximumMessageBytes`` each; a larger one closes the connection),
  /// trains while playing and writes frames. Training stops as soon as the connection ends.
  static func serve(
    inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, sessions: SessionCounter
  ) async throws {
    guard await sessions.acquire() else {
      try await outbound.write(.text(errorText("too many sessions: at most \(PlaygroundLimits.maximumSessions) at once; close another playground tab and reload")))
      try await outbound.close(.policyViolation, reason: "too many sessions")
      return
    }
    let (outboxStream, outbox) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(64))
    let (wakeStream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    let connection = PlaygroundConnection(outbox: outbox, wake: wake)
    do {
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          for await text in outboxStream { try await outbound.write(.text(text)) }
        }
        group.addTask { await connection.trainWhilePlaying(wakeUps: wakeStream) }
        var lastAnswer = ContinuousClock.now - frameInterval
        for try await message in inbound.messages(maxSize: PlaygroundLimits.maximumMessageBytes) {
          // Answers that carry a frame are paced like frames.
          try await Task.sleep(until: lastAnswer + frameInterval)
          lastAnswer = .now
          switch message {
          case .text(let text): await connection.handle(text)
          case .binary: await connection.send(errorText("binary messages are not understood: send JSON text"))
          }
        }
        outbox.finish()
        wake.finish()
        group.cancelAll()
      }
    } catch {
      outbox.finish()
      wake.finish()
      await sessions.release()
      throw error
    }
    await sessions.release()
  }

  /// The training loop: while playing, one slice of epochs and one frame every
  /// ``frameInterval``; while paused it waits for a wake-up and computes nothing.
  func trainWhilePlaying(wakeUps: AsyncStream<Void>) async {
    var iterator = wakeUps.makeAsyncIterator()
    while !Task.isCancelled {
      guard playing, trainer != nil else {
        guard await iterator.next() != nil else { return }
        continue
      }
      let start = ContinuousClock.now
      if trainSlice() { sendFrame() }
      try? await Task.sleep(until: start + Self.frameInterval)
    }
  }

  /// Trains the epochs that the step budget and the slice's time allow; whether any ran.
  private func trainSlice() -> Bool {
    guard let trainer, var budget else { return false }
    let start = ContinuousClock.now
    let elapsed = start - lastSlice
    lastSlice = start
    budget.earn(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    var trained = false
    while !Task.isCancelled, ContinuousClock.now - start < Self.sliceBudget, budget.spendEpoch() {
      trainer.trainEpoch()
      trained = true
    }
    self.budget = budget
    return trained
  }

  /// Queues a message for the writer.
  func send(_ text: String) { outbox.yield(text) }

  private func sendFrame() {
    guard let trainer else { return }
    guard case .object(var fields) = trainer.frame(includePoints: pointsPending) else {
      send(Self.errorText("the engine returned no frame"))
      return
    }
    pointsPending = false
    fields["type"] = "frame"
    fields["playing"] = .bool(playing)
    send(JSONValue.object(fields).jsonText())
  }

  /// Answers one client message.
  func handle(_ text: String) async {
    guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), case .object = value else {
      send(Self.errorText("malformed message: send one JSON object such as {\"type\": \"start\", \"config\": {…}}"))
      return
    }
    guard case .string(let type)? = value["type"] else {
      send(Self.errorText("message without a \"type\": use start, pause, resume, step, reset or export"))
      return
    }
    switch type {
    case "start":
      guard let json = value["config"] else {
        send(Self.errorText("start needs a \"config\" object of hash keys, e.g. {\"dataset\": \"xor\"}"))
        return
      }
      do throws(PlaygroundError) {
        let config = try PlaygroundConfig(json: json)
        let trainer = try Trainer(config: config)
        self.config = config
        self.trainer = trainer
        budget = StepBudget(config: config)
        lastSlice = .now
        pointsPending = true
        playing = true
        sendFrame()
        wake.yield()
      } catch {
        send(Self.errorText(error.description))
      }
    case "pause":
      guard trainer != nil else { return send(Self.errorText("pause: nothing is training yet; send start first")) }
      playing = false
      sendFrame()
    case "resume":
      guard trainer != nil else { return send(Self.errorText("resume: nothing to resume; send start first")) }
      playing = true
      lastSlice = .now
      wake.yield()
    case "step":
      guard trainer != nil else { return send(Self.errorText("step: nothing to step; send start first")) }
      playing = false
      // Steps one by one keep to the step budget too.
      try? await Task.sleep(until: nextStepAllowed)
      let steps = budget?.stepsPerEpoch ?? 1
      nextStepAllowed = .now + .milliseconds(Int(1_000 * steps / Double(PlaygroundLimits.maximumStepsPerSecond)))
      guard let trainer = self.trainer, !playing else { return }
      trainer.trainEpoch()
      sendFrame()
    case "reset":
      guard let config else { return send(Self.errorText("reset: nothing to reset; send start first")) }
      do throws(PlaygroundError) {
        trainer = try Trainer(config: config)
        budget = StepBudget(config: config)
        playing = false
        pointsPending = true
        sendFrame()
      } catch {
        send(Self.errorText(error.description))
      }
    case "export":
      guard let trainer else { return send(Self.errorText("export: nothing trained yet; send start first")) }
      do {
        let bytes = try trainer.exportModelFile()
        let message: JSONValue = [
          "type": "export", "modelFile": .string(Data(bytes).base64EncodedString()),
          "fileName": "playground.safetensors", "commandLine": trainer.commandLine.map { .string($0) } ?? .null,
        ]
        send(message.jsonText())
      } catch {
        send(Self.errorText("export failed: \(error)"))
      }
    default:
      send(Self.errorText("unknown message type \"\(type)\": use start, pause, resume, step, reset or export"))
    }
  }

  /// An `error` message's text.
  static func errorText(_ message: String) -> String {
    JSONValue.object(["type": "error", "message": .string(message)]).jsonText()
  }
}
