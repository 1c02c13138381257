import Foundation

/// Sends HTTP requests. ``URLSessionTransport`` is the default; tests pass a stub or a cassette
/// (see `MediaGenTesting`), and apps can pass their own (a proxy, an instrumented client).
///
/// ```swift
/// struct EchoTransport: HTTPTransport {
///     func send(_ request: HTTPRequest) async throws -> HTTPResponse {
///         HTTPResponse(status: 200, body: Data(request.url.absoluteString.utf8))
///     }
///     func download(_ request: HTTPRequest, to file: URL,
///                   progress: (@Sendable (DownloadProgress) -> Void)?) async throws -> HTTPResponse {
///         try Data().write(to: file)
///         return HTTPResponse(status: 200)
///     }
/// }
/// ```
///
/// A transport reports failures to connect or to read as ``TransportError`` so that the retry
/// rule can tell "never sent" from "may have been processed". Other errors are treated as the
/// latter.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse

    /// Sends `request` and streams the response body into `file` (created or truncated), never
    /// holding the whole body in memory. The returned response has an empty body when the status is
    /// 2xx; otherwise it carries the (small) error body and `file` content is unspecified.
    func download(
        _ request: HTTPRequest,
        to file: URL,
        progress: (@Sendable (DownloadProgress) -> Void)?
    ) async throws -> HTTPResponse

    /// Sends `request` and hands the body over as it arrives, for answers that stay open (a
    /// provider's server-sent status events). The call returns once the answer's head is in;
    /// ``HTTPRequest/timeout`` bounds the wait for it and then how long the body may stay silent.
    /// Ending the iteration of the body (or cancelling it) closes the connection.
    ///
    /// Transports that cannot stream throw ``TransportError/Reason/unsupported`` (the default):
    /// the SDK then polls instead.
    func stream(_ request: HTTPRequest) async throws -> HTTPStreamedResponse

    /// Whether this transport ends an exchange that outlasts ``HTTPRequest/timeout`` by itself,
    /// failing it with ``TransportError/Reason/timedOut``. When `false` (the default), the SDK
    /// races each request against the timeout itself, at the cost of a Swift task per request.
    var enforcesTimeouts: Bool { get }
}

extension HTTPTransport {
    public var enforcesTimeouts: Bool { false }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamedResponse {
        throw TransportError(.unsupported, "\(type(of: self)) does not stream answers")
    }
}

/// An answer whose body arrives piece by piece: what ``HTTPTransport/stream(_:)`` returns.
///
/// ```swift
/// let answer = try await URLSessionTransport().stream(HTTPRequest(method: .get, url: eventsURL))
/// var parser = ServerSentEventParser()
/// for try await piece in answer.body {
///     for event in try parser.feed(piece) { print(event.data) }
/// }
/// ```
public struct HTTPStreamedResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    /// The body's pieces as they arrive; it ends when the server closes the answer and throws a
    /// ``TransportError`` when the connection fails or stays silent past the request's timeout.
    public var body: AsyncThrowingStream<Data, any Error>

    public init(status: Int, headers: HTTPHeaders, body: AsyncThrowingStream<Data, any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The whole body, up to `limit` bytes (what an error answer needs).
    package func collect(limit: Int = 64 * 1024) async throws -> Data {
        var data = Data()
        for try await piece in body {
            data.append(piece.prefix(max(0, limit - data.count)))
            if data.count >= limit { break }
        }
        return data
    }
}

/// How far a download has got.
public struct DownloadProgress: Hashable, Sendable {
    /// Bytes written to disk so far.
    public var bytesReceived: Int64
    /// The expected total from `Content-Length`, when the server sent one.
    public var expectedBytes: Int64?

    public init(bytesReceived: Int64, expectedBytes: Int64?) {
        self.bytesReceived = bytesReceived
        self.expectedBytes = expectedBytes
    }

    /// Completed fraction in 0...1, when the total is known.
    public var fraction: Double? {
        guard let expectedBytes, expectedBytes > 0 else { return nil }
        return min(1, Double(bytesReceived) / Double(expectedBytes))
    }
}

/// A failure below HTTP: no connection, a lost connection, a timeout, an unreadable response.
///
/// ```swift
/// throw TransportError(.cannotConnect, "connection refused")
/// ```
///
/// ``Reason/cannotConnect`` is the one case that proves the request never reached the server,
/// which is what lets a paid create be retried safely.
public struct TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: String, Hashable, Sendable {
        /// No connection was made (refused, unknown host, no network): nothing was sent.
        case cannotConnect
        /// The connection broke after it was made; the server may have processed the request.
        case connectionLost
        /// No complete answer in time; the server may have processed the request.
        case timedOut
        /// The answer was not valid HTTP, or the body was cut short.
        case invalidResponse
        /// The request could not be sent as given (a malformed or unsupported URL): nothing was sent.
        case invalidRequest
        /// A file on this machine could not be read or written (an upload's source, a download's
        /// destination): the network is not at fault and a retry would fail the same way.
        case localFile
        /// The transport cannot do what was asked (stream an answer): nothing was sent.
        case unsupported
        /// Anything else the transport reports.
        case other
    }

    public var reason: Reason
    /// A short explanation from the underlying system, without credentials.
    public var detail: String

    /// The local file at fault, for ``Reason/localFile``.
    public var path: String?

    public init(_ reason: Reason, _ detail: String, path: String? = nil) {
        self.reason = reason
        self.detail = detail
        self.path = path
    }

    /// A local file that could not be read or written.
    package static func localFile(_ file: URL, _ detail: String) -> TransportError {
        TransportError(.localFile, detail, path: file.path)
    }

    /// `false` only when the request provably never left this machine.
    public var mayHaveReachedServer: Bool {
        reason != .cannotConnect && reason != .invalidRequest && reason != .unsupported
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
