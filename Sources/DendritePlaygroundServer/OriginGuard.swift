import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// Which pages may open the playground's WebSocket: requests without an Origin header (not
/// a browser) and the server's own origin, `http://HOST:PORT`. On a loopback address
/// `localhost`, `127.0.0.1` and `[::1]` name the same server.
enum OriginPolicy {
  /// `host` as it appears in a URL (an IPv6 address in brackets).
  static func urlHost(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

  /// Whether `origin` may open a WebSocket on the server at `host:port`. `extra` are
  /// origins the tests allow (Hummingbird's test client sends `ws://localhost`).
  static func allows(_ origin: String?, host: String, port: Int, extra: [String] = []) -> Bool {
    guard let origin else { return true }
    if origin == "http://\(urlHost(host)):\(port)" || extra.contains(origin) { return true }
    let loopback = ["127.0.0.1", "localhost", "::1"]
    guard loopback.contains(host) else { return false }
    return loopback.contains { origin == "http://\(urlHost($0)):\(port)" }
  }

  /// The Content-Security-Policy of every response of the server at `host:port`.
  static func contentSecurityPolicy(host: String, port: Int) -> String {
    "default-src 'self'; connect-src 'self' ws://\(urlHost(host)):\(port); img-src 'self' data:; "
      + "style-src 'self'; script-src 'self'"
  }
}

/// The HTTP/1 + WebSocket child channel with an Origin check in front: Hummingbird answers
/// a refused upgrade with a bare 400, so a WebSocket upgrade from a foreign origin is
/// answered here, before the HTTP decoder, with 403 and the CSP header.
struct OriginGuardedChannel: ServerChildChannel {
  /// Hummingbird's channel, which does the rest.
  let inner: HTTP1WebSocketUpgradeChannel
  /// The configured host (the port is the connection's local port: the bound one).
  let host: String
  /// Origins allowed besides the policy's (tests only).
  let extraOrigins: [String]

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1WebSocketUpgradeChannel.Value> {
    let (host, extra) = (self.host, self.extraOrigins)
    return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
      try channel.pipeline.syncOperations.addHandler(OriginGuardHandler(host: host, extraOrigins: extra), position: .first)
      return value
    }
  }

  func handle(value: HTTP1WebSocketUpgradeChannel.Value, logger: Logger) async {
    await inner.handle(value: value, logger: logger)
  }
}

/// Reads a connection's first request head; a WebSocket upgrade to `/ws` whose Origin the
/// policy refuses gets 403 and a close; anything else passes on unchanged and the handler
/// leaves the pipeline. (A later request on a kept-alive connection is not looked at: a
/// refused upgrade there still fails, with Hummingbird's 400.)
final class OriginGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer
  typealias OutboundOut = ByteBuffer

  /// The longest request head it waits for before letting the request through.
  static let maximumHeadBytes = 16_384

  private let host: String
  private let extraOrigins: [String]
  private var buffered: ByteBuffer?
  private var decided = false
  private var refused = false

  init(host: String, extraOrigins: [String]) {
    self.host = host
    self.extraOrigins = extraOrigins
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var incoming = unwrapInboundIn(data)
    guard !refused else { return }  // the rest of a refused request: dropped
    guard !decided else { return context.fireChannelRead(data) }
    if buffered == nil { buffered = incoming } else { buffered?.writeBuffer(&incoming) }
    guard let bytes = buffered else { return }
    let view = bytes.readableBytesView
    let end = Self.headEnd(view)
    guard end != nil || view.count >= Self.maximumHeadBytes else { return }
    decided = true
    let head = String(decoding: view.prefix(end ?? view.count), as: UTF8.self)
    let port = context.channel.localAddress?.port ?? 0
    if let origin = Self.refusedOrigin(head: head, host: host, port: port, extra: extraOrigins) {
      refuse(context: context, origin: origin, port: port)
      return
    }
    buffered = nil
    context.fireChannelRead(wrapInboundOut(bytes))
    context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
  }

  /// The index just past the first `\r\n\r\n`, or nil.
  static func headEnd(_ view: ByteBufferView) -> Int? {
    let terminator: [UInt8] = [13, 10, 13, 10]
    var matched = 0
    var index = 0
    for byte in view {
      index += 1
      matched = byte == terminator[matched] ? matched + 1 : (byte == 13 ? 1 : 0)
      if matched == 4 { return index }
    }
    return nil
  }

  /// The Origin of a WebSocket upgrade to `/ws` that the policy refuses, else nil.
  static func refusedOrigin(head: String, host: String, port: Int, extra: [String] = []) -> String? {
    let lines = head.split(separator: "\r\n", omittingEmptySubsequences: true)
    guard let requestLine = lines.first else { return nil }
    let parts = requestLine.split(separator: " ")
    guard parts.count >= 2 else { return nil }
    let path = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    guard path == "/ws" else { return nil }
    var origin: String?
    var upgrade = false
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      if name == "origin" { origin = value }
      if name == "upgrade", value.lowercased().contains("websocket") { upgrade = true }
    }
    guard upgrade, let origin, !OriginPolicy.allows(origin, host: host, port: port, extra: extra) else { return nil }
    return origin
  }

  private func refuse(context: ChannelHandlerContext, origin: String, port: Int) {
    let body = "403 Forbidden: this WebSocket only accepts the playground's own page, not \(origin).\n"
    let head = [
      "HTTP/1.1 403 Forbidden",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Length: \(body.utf8.count)",
      "Content-Security-Policy: \(OriginPolicy.contentSecurityPolicy(host: host, port: port))",
      "X-Content-Type-Options: nosniff",
      "Connection: close",
    ].joined(separator: "\r\n")
    buffered = nil
    refused = true
    let response = context.channel.allocator.buffer(string: head + "\r\n\r\n" + body)
    // The answer says `Connection: close`; the client closes, or this side after a second
    // (closing at once can cut off a client that is still sending its request).
    context.writeAndFlush(wrapOutboundOut(response), promise: nil)
    context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { context.close(promise: nil) }
  }
}
