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
///                   progress: (@Sendable (TransferProgress) -> Void)?) async throws -> HTTPResponse {
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
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse

    /// Sends `request`, whose body is usually a file streamed from disk, reporting the bytes sent
    /// as they go, and returns the whole response.
    ///
    /// The default sends it with ``send(_:)`` and reports the whole body as sent once the answer
    /// is in: a transport that cannot observe the socket still reports an upload's end.
    func upload(
        _ request: HTTPRequest,
        progress: (@Sendable (TransferProgress) -> Void)?
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

    public func upload(
        _ request: HTTPRequest,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        let response = try await send(request)
        if let progress, let total = request.body?.byteCount {
            progress(TransferProgress(bytesTransferred: total, totalBytes: total))
        }
        return response
    }

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

/// How far a transfer has got: a download's bytes written to disk, or an upload's bytes sent.
///
/// ```swift
/// try await file.download(to: URL(fileURLWithPath: "outputs/")) { progress in
///     print(progress.bytesTransferred, "of", progress.totalBytes ?? -1, progress.fraction ?? 0)
/// }
/// ```
///
/// Downloads and uploads report through this one type, so one progress view serves both.
public struct TransferProgress: Hashable, Sendable {
    /// Bytes moved so far: written to disk for a download, sent for an upload.
    public var bytesTransferred: Int64
    /// The expected total (a download's `Content-Length`, an upload's file size), when known.
    public var totalBytes: Int64?

    public init(bytesTransferred: Int64, totalBytes: Int64?) {
        self.bytesTransferred = bytesTransferred
        self.totalBytes = totalBytes
    }

    /// Completed fraction in 0...1, when the total is known.
    public var fraction: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(1, Double(bytesTransferred) / Double(totalBytes))
    }
}

/// The name ``TransferProgress`` had while only downloads reported progress.
@available(*, deprecated, renamed: "TransferProgress")
public typealias DownloadProgress = TransferProgress

extension TransferProgress {
    /// Renamed ``bytesTransferred``.
    @available(*, deprecated, renamed: "bytesTransferred")
    public var bytesReceived: Int64 { bytesTransferred }

    /// Renamed ``totalBytes``.
    @available(*, deprecated, renamed: "totalBytes")
    public var expectedBytes: Int64? { totalBytes }

    /// Renamed ``init(bytesTransferred:totalBytes:)``.
    @available(*, deprecated, renamed: "init(bytesTransferred:totalBytes:)")
    public init(bytesReceived: Int64, expectedBytes: Int64?) {
        self.init(bytesTransferred: bytesReceived, totalBytes: expectedBytes)
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
