import Foundation

/// How transient failures are retried: how many attempts, how long to back off, how long in all.
///
/// ```swift
/// var retry = RetryPolicy.default
/// retry.maxAttempts = 6
/// retry.maxRetryAfter = .seconds(120)  // wait out longer rate-limit windows
/// let client = SkytellsClient(apiKey: key, configuration: .init(retry: retry))
/// ```
///
/// Which requests may be retried is not configurable: it is the SDK's promise (see the article
/// "Retries and idempotency"). Reads, cancels and deletes retry on transport errors and on 408,
/// 429, 500, 502, 503 and 504. A create of a paid task retries only when a duplicate is impossible.
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts in all, the first one included (1 means never retry).
    public var maxAttempts: Int
    /// The wait before the first retry; each later wait is `multiplier` times the previous.
    public var initialBackoff: Duration
    public var multiplier: Double
    /// The longest computed wait between attempts.
    public var maxBackoff: Duration
    /// The fraction of each computed wait that is randomized away (0 = none, 1 = "full jitter"),
    /// so that many clients failing together do not retry together.
    public var jitter: Double
    /// The longest `Retry-After` the client will wait out; a longer one ends the retries with a
    /// `.rateLimited(retryAfter:)` error so the caller can decide.
    public var maxRetryAfter: Duration
    /// The most time all attempts and waits of one call may take together.
    public var maxElapsed: Duration

    public init(
        maxAttempts: Int = 4,
        initialBackoff: Duration = .milliseconds(500),
        multiplier: Double = 2,
        maxBackoff: Duration = .seconds(20),
        jitter: Double = 0.5,
        maxRetryAfter: Duration = .seconds(60),
        maxElapsed: Duration = .seconds(120)
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.multiplier = multiplier
        self.maxBackoff = maxBackoff
        self.jitter = jitter
        self.maxRetryAfter = maxRetryAfter
        self.maxElapsed = maxElapsed
    }

    public static let `default` = RetryPolicy()

    /// Never retry.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt number `attempt` (1-based); `random` is a number in 0..<1.
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let computed = min(initialBackoff.seconds * pow(max(multiplier, 1), exponent), maxBackoff.seconds)
        let spread = min(max(jitter, 0), 1) * min(max(random, 0), 1)
        return .nanoseconds(Int64((computed * (1 - spread) * 1e9).rounded()))
    }
}
