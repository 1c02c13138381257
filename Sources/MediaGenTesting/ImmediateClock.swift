import MediaGenCore

/// A clock whose sleeps return at once, moving its time forward by the amount slept.
///
/// ```swift
/// let clock = ImmediateClock()
/// let client = SkytellsClient(apiKey: "test", configuration: .init(transport: stub, clock: clock))
/// _ = try await client.wait(for: handle)   // no real waiting
/// print(clock.sleeps)     // [.seconds(36), .milliseconds(4800), …] — the polling schedule
/// print(clock.elapsed)    // virtual time spent
/// ```
///
/// Use it to test polling and retries without real sleeps. Sleeps still honour cancellation.
/// Per-request timeouts are watchdogs on the real clock and are not affected.
public final class ImmediateClock: Clock, Sendable {
    public struct Instant: InstantProtocol, Sendable {
        /// Time since the clock was made.
        public var offset: Duration

        public init(offset: Duration) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct State: Sendable {
        var now = Instant(offset: .zero)
        var sleeps: [Duration] = []
    }

    private let state = Locked(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// Every sleep so far, in order, as the time it moved the clock on. Concurrent sleeps share one
    /// time, so each records only what the others left of it; a sleep to a past deadline records zero.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// Virtual time passed since the clock was made.
    public var elapsed: Duration { now.offset }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(max(.zero, state.now.duration(to: deadline)))
            state.now = max(state.now, deadline)
        }
        await Task.yield()
        try Task.checkCancellation()
    }

    /// Moves time forward without a sleep (to make a scripted event "happen" later).
    public func advance(by duration: Duration) {
        state.withLock { $0.now = $0.now.advanced(by: duration) }
    }
}
