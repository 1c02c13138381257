import Foundation

/// Settings every provider client shares: where to send, how long to wait, how to retry, what to
/// spend, and how to observe.
///
/// ```swift
/// let configuration = ClientConfiguration(
///     timeout: .seconds(30),
///     budget: Budget(limit: .usd(10)),
///     middleware: [LoggingMiddleware { print($0) }]
/// )
/// let skytells = SkytellsClient(apiKey: key, configuration: configuration)
/// ```
public struct ClientConfiguration: Sendable {
    /// Overrides the provider's documented base URL (a proxy, a test server).
    public var baseURL: URL?
    /// The longest one HTTP attempt may take, start to end.
    public var timeout: Duration
    public var retry: RetryPolicy
    /// Paid creates are counted against it and refused past it, before anything is sent.
    public var budget: Budget?
    /// Runs around every attempt; the first is the outermost.
    public var middleware: [any HTTPMiddleware]
    public var transport: any HTTPTransport
    /// Paces backoff and polling. Tests pass a clock that does not really sleep.
    public var clock: any Clock<Duration>
    /// Sent with every request, unless the request sets the same field. Checked before each send:
    /// a name must be an HTTP token and a value may hold no CR, LF, NUL or other control character
    /// (tab excepted), or the call fails with `.invalidRequest` naming the header, never its value.
    public var additionalHeaders: HTTPHeaders
    /// Whether `updates(of:)` and `wait(for:)` follow a task over the provider's status stream
    /// where it has one (fal's server-sent status events): one request per task, and each change
    /// as it happens. When the stream cannot be opened or breaks, polling takes over. `false`
    /// always polls.
    public var statusStreaming: Bool

    public init(
        baseURL: URL? = nil,
        timeout: Duration = .seconds(60),
        retry: RetryPolicy = .default,
        budget: Budget? = nil,
        middleware: [any HTTPMiddleware] = [],
        transport: any HTTPTransport = URLSessionTransport.shared,
        clock: any Clock<Duration> = ContinuousClock(),
        additionalHeaders: HTTPHeaders = [:],
        statusStreaming: Bool = true
    ) {
        self.baseURL = baseURL
        self.timeout = timeout
        self.retry = retry
        self.budget = budget
        self.middleware = middleware
        self.transport = transport
        self.clock = clock
        self.additionalHeaders = additionalHeaders
        self.statusStreaming = statusStreaming
    }
}

extension URLSessionTransport {
    /// One transport for every client that is not given its own, so they share connections.
    public static let shared = URLSessionTransport()
}
