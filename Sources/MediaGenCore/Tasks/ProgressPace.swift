/// When a task that reports its progress will end, from the progress its polls read: what lets
/// ``TaskUpdates`` poll at the end instead of one policy step after it.
///
/// Two readings of a rising progress give its rate; a single reading, or a progress that does not
/// rise (a provider that reports stages rather than time), gives no estimate. The estimate only
/// ever brings a poll forward (``TaskUpdates`` takes the earlier of it and the
/// policy's wait), and after ``maximumMisses`` polls at an estimated end that found the task still
/// running it is no longer used: a provider whose progress misleads costs a few polls at most.
struct ProgressPace: Sendable {
    /// Polls made at an estimated end that found the task unfinished, before the estimate is dropped.
    static let maximumMisses = 3

    private struct Reading: Sendable {
        var time: Duration
        var fraction: Double
    }

    /// The first reading of the current rise, and the latest.
    private var first: Reading?
    private var latest: Reading?
    private var misses = 0

    /// Takes in what a poll at `time` (elapsed on the follower's clock) read.
    mutating func observe(_ status: TaskStatus, at time: Duration) {
        guard let fraction = status.progress, fraction > 0, fraction < 1, fraction.isFinite else {
            first = nil
            latest = nil
            return
        }
        if let latest, fraction >= latest.fraction {
            self.latest = Reading(time: time, fraction: fraction)
        } else {
            // The first reading, or a progress that went back (a new stage): a new rise.
            first = Reading(time: time, fraction: fraction)
            latest = first
        }
    }

    /// A poll made at an estimated end found the task still running.
    mutating func missed() {
        misses += 1
    }

    /// How long from `now` until the progress reaches 1 at the rate read so far; `nil` without an
    /// estimate (no progress read, no rise, or too many misses).
    func remaining(at now: Duration) -> Duration? {
        guard misses < Self.maximumMisses, let first, let latest else { return nil }
        guard latest.time > first.time, latest.fraction > first.fraction else { return nil }
        let rate = (latest.fraction - first.fraction) / (latest.time - first.time).seconds
        guard rate > 0, rate.isFinite else { return nil }
        let seconds = (1 - latest.fraction) / rate - (now - latest.time).seconds
        guard seconds.isFinite, seconds < Double(Int64.max / 1_000_000_000) else { return nil }
        return .nanoseconds(Int64((Swift.max(seconds, 0) * 1e9).rounded()))
    }
}
