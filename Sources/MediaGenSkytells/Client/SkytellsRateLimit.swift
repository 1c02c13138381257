import MediaGenCore

/// Skytells' rate-limit headers (`x-skytells-ratelimit-*`), read into a `RateLimitStatus`.
///
/// ```swift
/// struct RateLimitWatcher: HTTPMiddleware {
///     func intercept(
///         _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
///     ) async throws -> HTTPResponse {
///         let response = try await next(request)
///         if let status = SkytellsRateLimit.status(in: response.headers),
///             let left = status.remainingRequests, left < 10
///         {
///             print("Skytells: \(left) requests left in this window")
///         }
///         return response
///     }
/// }
/// ```
///
/// Skytells' gateway may attach these headers to its answers (its API reference, *Rate limits*):
/// the requests and input and output tokens allowed in the window and left in it, and the
/// window's length in seconds; `-` means the dimension is not configured. The client reads them
/// into `MediaGenError.rateLimit` on the errors it throws; a middleware sees them
/// on every answer.
public enum SkytellsRateLimit {
    public static let limitRequestsHeader = "x-skytells-ratelimit-limit-requests"
    public static let remainingRequestsHeader = "x-skytells-ratelimit-remaining-requests"
    public static let windowHeader = "x-skytells-ratelimit-window"
    public static let limitTokensInHeader = "x-skytells-ratelimit-limit-tokens-in"
    public static let remainingTokensInHeader = "x-skytells-ratelimit-remaining-tokens-in"
    public static let limitTokensOutHeader = "x-skytells-ratelimit-limit-tokens-out"
    public static let remainingTokensOutHeader = "x-skytells-ratelimit-remaining-tokens-out"

    /// The headers' figures, or `nil` when the answer carries none that can be read.
    ///
    /// ```swift
    /// let headers: HTTPHeaders = ["x-skytells-ratelimit-remaining-requests": "42", "x-skytells-ratelimit-window": "60"]
    /// print(SkytellsRateLimit.status(in: headers)?.remainingRequests ?? -1)   // 42
    /// ```
    public static func status(in headers: HTTPHeaders) -> RateLimitStatus? {
        let status = RateLimitStatus(
            limitRequests: RateLimitStatus.count(headers[limitRequestsHeader]),
            remainingRequests: RateLimitStatus.count(headers[remainingRequestsHeader]),
            window: RateLimitStatus.count(headers[windowHeader]).map { .seconds($0) },
            limitTokensIn: RateLimitStatus.count(headers[limitTokensInHeader]),
            remainingTokensIn: RateLimitStatus.count(headers[remainingTokensInHeader]),
            limitTokensOut: RateLimitStatus.count(headers[limitTokensOutHeader]),
            remainingTokensOut: RateLimitStatus.count(headers[remainingTokensOutHeader])
        )
        return status.isEmpty ? nil : status
    }
}
