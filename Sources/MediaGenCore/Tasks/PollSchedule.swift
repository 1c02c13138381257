/// When to poll one task next: the policy's schedule, brought forward to the end its progress
/// predicts, cut short at the policy's timeout. The pace of ``TaskUpdates`` and of
/// ``TaskCompletions``, which follow a task the same way whether it has a Swift task of its own
/// or shares one with thousands.
struct PollSchedule: Sendable {
    let handle: TaskHandle
    let policy: PollingPolicy
    /// When following began, on the follower's elapsed time.
    let start: Duration
    /// Polls made so far; a task a create returned counts as the first.
    private(set) var pollsMade: Int
    /// The provider's status string at the last reading, for the timeout's message.
    private var lastRawStatus: String?
    /// When the task's reported progress says it will end.
    private var pace = ProgressPace()
    /// The coming poll was brought forward to the task's estimated end.
    private var pollAtEstimatedEnd = false
    /// Polls brought forward that found the task unfinished: extra, so the policy's schedule
    /// goes on as if they had not been made.
    private var earlyPolls = 0

    init(handle: TaskHandle, policy: PollingPolicy, start: Duration, seeded: Bool) {
        self.handle = handle
        self.policy = policy
        self.start = start
        self.pollsMade = seeded ? 1 : 0
    }

    /// Takes in a reading of the task at `now`: the create's answer, a stream event, or — when
    /// `polled` — the answer to a poll.
    mutating func observe(_ status: TaskStatus, rawStatus: String, at now: Duration, polled: Bool) {
        if polled {
            pollsMade += 1
            if pollAtEstimatedEnd, !status.isTerminal {
                pace.missed()
                earlyPolls += 1
            }
        }
        lastRawStatus = rawStatus
        pace.observe(status, at: now)
    }

    /// How long from `now` to the next poll: the policy's wait, brought forward to the task's
    /// estimated end when its progress gives one (never sooner than an eighth of the policy's
    /// interval), and cut short so that the last poll lands on the deadline. Zero before the
    /// first poll. Throws `.timeout` once the policy's timeout has passed.
    mutating func delay(at now: Duration) throws(MediaGenError) -> Duration {
        guard pollsMade > 0 else { return .zero }
        var delay = policy.delay(afterPolls: pollsMade - earlyPolls)
        pollAtEstimatedEnd = false
        if let end = pace.remaining(at: now) {
            let paced = Swift.max(end + end / 50, policy.interval / 8, .milliseconds(50))
            if paced < delay {
                delay = paced
                pollAtEstimatedEnd = true
            }
        }
        guard let timeout = policy.timeout else { return delay }
        let remaining = timeout - (now - start)
        guard remaining > .zero else { throw timeoutError(after: timeout) }
        return Swift.min(delay, remaining)
    }

    /// Throws `.timeout` when the policy's timeout has passed at `now`.
    func checkDeadline(at now: Duration) throws(MediaGenError) {
        if let timeout = policy.timeout, now - start >= timeout { throw timeoutError(after: timeout) }
    }

    private func timeoutError(after timeout: Duration) -> MediaGenError {
        MediaGenError(
            .timeout,
            provider: handle.provider,
            message:
                "still \(lastRawStatus ?? "unfinished") after \(MediaGenError.format(timeout)) of polling (\(pollsMade) polls); raise the polling policy's timeout or keep the handle and resume later",
            taskID: handle.id
        )
    }
}
