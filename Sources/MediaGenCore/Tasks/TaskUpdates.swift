/// The successive states of one task, as an `AsyncSequence`: a new element each time the status or
/// the logs change, ending after a terminal status.
///
/// ```swift
/// for try await prediction in client.updates(of: handle) {
///     print(prediction.status)          // .queued(position: 3), .running(progress: 0.4), .succeeded
///     prediction.logs.last.map { print($0.message) }
/// }
/// ```
///
/// Polling happens only while you iterate, inside `next()`: there is no background task. Stop
/// iterating, or cancel the task that iterates, and polling stops at once (a cancelled wait throws
/// `CancellationError`). Polls follow the ``PollingPolicy``; past its timeout the sequence throws
/// `.timeout` with the task's id. Unchanged answers are not repeated.
public struct TaskUpdates<Element: MediaTask>: AsyncSequence {
    private let handle: TaskHandle
    private let initial: Element?
    private let policy: PollingPolicy
    private let time: TimeSource
    private let poll: @Sendable () async throws -> Element

    /// Follows `handle`, polling with `poll`, paced by `policy` on `clock`. When `initial` is given
    /// (the task a create returned), it is the first element and the first poll waits.
    public init(
        handle: TaskHandle,
        initial: Element? = nil,
        policy: PollingPolicy,
        clock: any Clock<Duration>,
        poll: @escaping @Sendable () async throws -> Element
    ) {
        self.handle = handle
        self.initial = initial
        self.policy = policy
        self.time = TimeSource(clock)
        self.poll = poll
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(updates: self, start: time.elapsed)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        private let updates: TaskUpdates
        private let start: Duration
        private var pending: Element?
        private var pollsMade = 0
        private var last: Snapshot?
        private var finished = false

        fileprivate init(updates: TaskUpdates, start: Duration) {
            self.updates = updates
            self.start = start
            self.pending = updates.initial
            if updates.initial != nil { pollsMade = 1 }
        }

        /// What counts as a change worth reporting.
        private struct Snapshot: Equatable {
            var status: TaskStatus
            var rawStatus: String
            var logs: [TaskLog]
        }

        public mutating func next() async throws -> Element? {
            guard !finished else { return nil }
            if let seed = pending {
                pending = nil
                return emit(seed)
            }
            while true {
                if pollsMade > 0 {
                    try await updates.time.sleep(for: try nextDelay())
                }
                let task = try await updates.poll()
                pollsMade += 1
                if let changed = emit(task) { return changed }
                if let timeout = updates.policy.timeout, updates.time.elapsed - start >= timeout {
                    throw timeoutError(after: timeout)
                }
            }
        }

        private mutating func emit(_ task: Element) -> Element? {
            if task.status.isTerminal { finished = true }
            let snapshot = Snapshot(status: task.status, rawStatus: task.rawStatus, logs: task.logs)
            guard snapshot != last || finished else { return nil }
            last = snapshot
            return task
        }

        /// The policy's wait, cut short so that the last poll lands on the deadline.
        private func nextDelay() throws -> Duration {
            let delay = updates.policy.delay(afterPolls: pollsMade)
            guard let timeout = updates.policy.timeout else { return delay }
            let remaining = timeout - (updates.time.elapsed - start)
            guard remaining > .zero else { throw timeoutError(after: timeout) }
            return Swift.min(delay, remaining)
        }

        private func timeoutError(after timeout: Duration) -> MediaGenError {
            MediaGenError(
                .timeout,
                provider: updates.handle.provider,
                message:
                    "still \(last?.rawStatus ?? "unfinished") after \(MediaGenError.format(timeout)) of polling (\(pollsMade) polls); raise the polling policy's timeout or keep the handle and resume later",
                taskID: updates.handle.id
            )
        }
    }
}
