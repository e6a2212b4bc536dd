import DendritePlayground
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// The playground's web server (docs/playground-protocol.md): the page, its script and
/// style, and the WebSocket endpoint where each connection owns one training session.
///
///     try await PlaygroundServer(host: "127.0.0.1", port: 0).run { url in print(url) }
public struct PlaygroundServer: Sendable {
  /// The address to listen on.
  public var host: String
  /// The port to listen on; 0 picks a free one (the bound port is what ``run(onListening:)`` reports).
  public var port: Int

  /// Origins allowed besides the server's own (the tests' WebSocket client sends `ws://localhost`).
  var extraOrigins: [String] = []
  /// The open sessions of the applications this server makes (the tests watch it).
  let sessions = SessionCounter()

  /// A server for `host:port`.
  public init(host: String = "127.0.0.1", port: Int = 8080) {
    self.host = host
    self.port = port
  }

  /// Serves until SIGINT or SIGTERM, then shuts down gracefully. `onListening` gets the
  /// page's URL (`http://HOST:PORT/`, the bound port) once the server accepts connections.
  public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
    let app = makeApplication(onListening: onListening)
    try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
  }

  /// The Hummingbird application (also what the tests run).
  public func makeApplication(onListening: @escaping @Sendable (String) -> Void = { _ in }) -> some ApplicationProtocol {
    let state = ServerState(host: host, port: port, extraOrigins: extraOrigins, sessions: sessions)
    let router = Router()
    router.add(middleware: SecurityHeadersMiddleware(state: state))
    router.get("/") { _, _ in PageFile.index.response }
    router.get("/index.html") { _, _ in PageFile.index.response }
    router.get("/app.js") { _, _ in PageFile.script.response }
    router.get("/style.css") { _, _ in PageFile.style.response }
    // Reached when /ws is not upgraded: a cross-origin page (403) or a plain GET (400).
    router.get("/ws") { request, _ -> Response in
      guard await state.allowsOrigin(request.headers[.origin]) else {
        throw HTTPError(.forbidden, message: "This WebSocket only accepts the playground's own page.")
      }
      throw HTTPError(.badRequest, message: "GET /ws needs a WebSocket upgrade.")
    }

    let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
    webSocketRouter.add(middleware: SecurityHeadersMiddleware(state: state))
    webSocketRouter.ws("/ws") { request, _ in
      await state.allowsOrigin(request.headers[.origin]) ? .upgrade([:]) : .dontUpgrade
    } onUpgrade: { inbound, outbound, _ in
      try await PlaygroundConnection.serve(inbound: inbound, outbound: outbound, sessions: state.sessions)
    }

    var logger = Logger(label: "dendrite-playground") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .warning
    return Application(
      router: router,
      server: HTTPServerBuilder { [host, extraOrigins, webSocketResponder = webSocketRouter.buildResponder()] responder in
        OriginGuardedChannel(
          inner: HTTP1WebSocketUpgradeChannel(
            responder: responder, webSocketResponder: webSocketResponder,
            configuration: .init(ws: .init(maxFrameSize: PlaygroundLimits.maximumMessageBytes, closeTimeout: .seconds(2)))),
          host: host, extraOrigins: extraOrigins)
      },
      configuration: .init(address: .hostname(host, port: port), serverName: "dendrite-playground"),
      onServerRunning: { channel in
        let bound = channel.localAddress?.port ?? port
        await state.setBoundPort(bound)
        onListening("http://\(OriginPolicy.urlHost(host)):\(bound)/")
      },
      logger: logger
    )
  }
}

/// What the routes share: the bound address (for the Origin check and the CSP header) and
/// the count of open sessions.
actor ServerState {
  let host: String
  private(set) var port: Int
  let extraOrigins: [String]
  /// The open sessions (at most ``PlaygroundLimits/maximumSessions``).
  nonisolated let sessions: SessionCounter

  init(host: String, port: Int, extraOrigins: [String] = [], sessions: SessionCounter = SessionCounter()) {
    self.host = host
    self.port = port
    self.extraOrigins = extraOrigins
    self.sessions = sessions
  }

  func setBoundPort(_ port: Int) { self.port = port }

  /// The Content-Security-Policy of every response.
  var contentSecurityPolicy: String { OriginPolicy.contentSecurityPolicy(host: host, port: port) }

  /// Whether a WebSocket may be opened from `origin` (``OriginPolicy/allows(_:host:port:)``).
  func allowsOrigin(_ origin: String?) -> Bool { OriginPolicy.allows(origin, host: host, port: port, extra: extraOrigins) }
}

/// Counts the open WebSocket sessions against ``PlaygroundLimits/maximumSessions``.
actor SessionCounter {
  private(set) var open = 0

  /// Takes a place; false when all are taken.
  func acquire() -> Bool {
    guard open < PlaygroundLimits.maximumSessions else { return false }
    open += 1
    return true
  }

  /// Gives a place back.
  func release() { open = max(0, open - 1) }
}

/// Adds the Content-Security-Policy (and no-sniff) header to every response, errors included.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
  let state: ServerState

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let policy = await state.contentSecurityPolicy
    do {
      var response = try await next(request, context)
      response.headers[.contentSecurityPolicy] = policy
      response.headers[.xContentTypeOptions] = "nosniff"
      return response
    } catch let error as HTTPError {
      var headers = error.headers
      headers[.contentSecurityPolicy] = policy
      headers[.xContentTypeOptions] = "nosniff"
      throw HTTPError(error.status, headers: headers, message: error.body)
    } catch {
      var headers = HTTPFields()
      headers[.contentSecurityPolicy] = policy
      throw HTTPError(.internalServerError, headers: headers, message: "internal error")
    }
  }
}

extension PageFile {
  /// The file as an HTTP response with its content type.
  var response: Response {
    var headers = HTTPFields()
    headers[.contentType] = contentType
    headers[.cacheControl] = "no-cache"
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
  }
}
