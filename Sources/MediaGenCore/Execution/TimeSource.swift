/// A `Clock` with its instant type erased: elapsed time and sleeping, which is all pacing needs.
package struct TimeSource: Sendable {
    private let elapsedTime: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    package init(_ clock: any Clock<Duration>) {
        self = Self.make(clock)
    }

    private init(
        elapsed: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.elapsedTime = elapsed
        self.sleeper = sleep
    }

    private static func make<C: Clock<Duration>>(_ clock: C) -> TimeSource {
        let origin = clock.now
        return TimeSource(
            elapsed: { origin.duration(to: clock.now) },
            sleep: { duration in
                guard duration > .zero else { return try Task.checkCancellation() }
                try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil)
            }
        )
    }

    /// Time since this source was made.
    package var elapsed: Duration { elapsedTime() }

    /// Sleeps for `duration`; throws `CancellationError` when the task is cancelled.
    package func sleep(for duration: Duration) async throws {
        try await sleeper(duration)
    }
}
