/// A clock that runs `factor` times faster than real time: sleeping one of its seconds takes
/// `1 / factor` of a real second, and its `now` advances `factor` seconds per real second.
///
/// Given to a client as its `ClientConfiguration.clock`, it plays a long job in a fraction of the
/// time while every figure the SDK computes (polling waits, elapsed time, timeouts) stays in job
/// time. Only the pacing is scaled: network latency is not, so each real millisecond of a poll
/// counts as `factor` milliseconds of job time.
struct ScaledClock: Clock {
    struct Instant: InstantProtocol {
        /// Job time since the clock was made.
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    let factor: Int
    private let origin = ContinuousClock.now

    init(factor: Int) {
        self.factor = max(1, factor)
    }

    var now: Instant { Instant(offset: (ContinuousClock.now - origin) * factor) }
    var minimumResolution: Duration { ContinuousClock().minimumResolution * factor }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let remaining = now.duration(to: deadline)
        guard remaining > .zero else { return try Task.checkCancellation() }
        try await Task.sleep(for: remaining / factor)
    }
}
