import Foundation

/// How often to ask a provider about a task, and for how long.
///
/// ```swift
/// // Paced by what the model usually takes: first look at 60 % of the shortest typical time,
/// // then short, slowly growing intervals around the expected finish.
/// let policy = PollingPolicy(typicalLatency: .seconds(120)...(.seconds(240)))
///
/// // Or spelled out:
/// let custom = PollingPolicy(firstDelay: .seconds(5), interval: .seconds(3), growth: 1.5,
///                            maxInterval: .seconds(30), timeout: .seconds(600))
/// for try await task in client.updates(of: handle, policy: custom) { … }
/// ```
///
/// A fixed two-second poll is what providers warn against for minutes-long video (Skytells) and
/// what a 0.1 s default does to a five-minute job (fal's official client: thousands of requests).
/// A policy derived from the model's typical latency makes a handful of polls instead and still
/// notices completion within a few percent of the job's length.
public struct PollingPolicy: Hashable, Sendable {
    /// The wait between the first poll (made at once) and the second.
    public var firstDelay: Duration
    /// The wait before the third poll; each later wait is `growth` times the previous.
    public var interval: Duration
    public var growth: Double
    /// The longest wait between two polls.
    public var maxInterval: Duration
    /// How long to follow the task in all before giving up with `.timeout`; `nil` for no limit.
    public var timeout: Duration?

    public init(
        firstDelay: Duration,
        interval: Duration,
        growth: Double = 1,
        maxInterval: Duration? = nil,
        timeout: Duration? = nil
    ) {
        self.firstDelay = firstDelay
        self.interval = interval
        self.growth = growth
        self.maxInterval = maxInterval ?? max(firstDelay, interval)
        self.timeout = timeout
    }

    /// A policy paced by how long the model's tasks usually take.
    public init(typicalLatency: ClosedRange<Duration>) {
        let shortest = typicalLatency.lowerBound
        let longest = typicalLatency.upperBound
        let middle = (shortest + longest) / 2
        self.init(
            firstDelay: shortest * 0.6,
            interval: max(.milliseconds(250), middle * 0.08),
            growth: 1.2,
            maxInterval: max(.seconds(1), longest * 0.25),
            timeout: max(.seconds(600), longest * 10)
        )
    }

    /// For models with no known latency: every 2 s at first, backing off to 30 s, for up to an hour.
    public static let `default` = PollingPolicy(
        firstDelay: .seconds(2),
        interval: .seconds(2),
        growth: 1.5,
        maxInterval: .seconds(30),
        timeout: .seconds(3600)
    )

    /// The wait after `pollsMade` polls (1 or more) before the next one.
    public func delay(afterPolls pollsMade: Int) -> Duration {
        guard pollsMade > 1 else { return firstDelay }
        let factor = pow(max(growth, 1), Double(pollsMade - 2))
        let seconds = min(interval.seconds * factor, maxInterval.seconds)
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
