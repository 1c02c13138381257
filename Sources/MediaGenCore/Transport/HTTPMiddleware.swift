/// A hook around every HTTP attempt, for logging, metrics or tracing, with no logging dependency.
///
/// ```swift
/// struct Timing: HTTPMiddleware {
///     func intercept(
///         _ request: HTTPRequest,
///         next: @Sendable (HTTPRequest) async throws -> HTTPResponse
///     ) async throws -> HTTPResponse {
///         let start = ContinuousClock.now
///         let response = try await next(request)
///         print(request, response.status, ContinuousClock.now - start)
///         return response
///     }
/// }
/// let client = SkytellsClient(apiKey: key, configuration: .init(middleware: [Timing()]))
/// ```
///
/// Middleware runs once per attempt, inside the retry loop, so a retried request is seen each time
/// it is sent. The first middleware in the list is the outermost. Printing a request or its headers
/// is safe: credential values show as `<redacted>`.
public protocol HTTPMiddleware: Sendable {
    func intercept(
        _ request: HTTPRequest,
        next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse
}

/// Writes one line per attempt (`→ GET …` and `← 200 GET … in 12 ms`) to a closure of your choice.
///
/// ```swift
/// let logging = LoggingMiddleware { line in print(line) }
/// ```
///
/// Lines carry method, URL, status, size and time — never header values or bodies — so no secret
/// can leak through them.
public struct LoggingMiddleware: HTTPMiddleware {
    private let log: @Sendable (String) -> Void

    public init(_ log: @escaping @Sendable (String) -> Void) {
        self.log = log
    }

    public func intercept(
        _ request: HTTPRequest,
        next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        log("→ \(request)")
        let start = ContinuousClock.now
        do {
            let response = try await next(request)
            log(
                "← \(response.status) \(request) in \(Self.milliseconds(since: start)) ms, \(response.body.count) bytes"
            )
            return response
        } catch {
            log("✕ \(request) after \(Self.milliseconds(since: start)) ms: \(Redaction.describe(error))")
            throw error
        }
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }
}
