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
/// `.timeout` with the task's id. Unchanged answers are not repeated. When the task reports a
/// rising progress, the next poll is brought forward to when the progress will reach 1 at the rate
/// read so far, so the end is noticed when it comes rather than one policy step later; polls are
/// never made later than the policy's, and after three early ones the policy alone paces them.
///
/// Where the provider pushes a task's states (a ``TaskStatusStream``: fal's status stream), they
/// are read from that one open request first, each change as it happens; when the stream cannot
/// be opened, breaks or ends before the task does, polling takes over at once. While streaming,
/// the policy's timeout is checked at each event, so a silent stream can outlast it by up to the
/// request timeout before polling (and the timeout) take over.
public struct TaskUpdates<Element: MediaTask>: AsyncSequence {
    private let handle: TaskHandle
    private let initial: Element?
    private let policy: PollingPolicy
    private let time: TimeSource
    private let stream: TaskStatusStream<Element>?
    private let poll: @Sendable () async throws -> Element

    /// Follows `handle`, reading `stream` first when given, then polling with `poll`, paced by
    /// `policy` on `clock`. When `initial` is given (the task a create returned), it is the first
    /// element and the first poll waits.
    public init(
        handle: TaskHandle,
        initial: Element? = nil,
        policy: PollingPolicy,
        clock: any Clock<Duration>,
        stream: TaskStatusStream<Element>? = nil,
        poll: @escaping @Sendable () async throws -> Element
    ) {
        self.handle = handle
        self.initial = initial
        self.policy = policy
        self.time = TimeSource(clock)
        self.stream = stream
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
        /// The stream being read, once opened.
        private var events: ServerSentEvents.AsyncIterator?
        /// Whether the stream is still to be read: until it fails or ends.
        private var streaming: Bool
        /// A stream just failed: poll now, not after the policy's delay.
        private var pollAtOnce = false
        /// When the task's reported progress says it will end.
        private var pace = ProgressPace()
        /// The coming poll was brought forward to the task's estimated end.
        private var pollAtEstimatedEnd = false
        /// Polls brought forward that found the task unfinished: extra, so the policy's schedule
        /// goes on as if they had not been made.
        private var earlyPolls = 0

        fileprivate init(updates: TaskUpdates, start: Duration) {
            self.updates = updates
            self.start = start
            self.pending = updates.initial
            self.streaming = updates.stream != nil
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
            if streaming, let changed = try await nextStreamed() { return changed }
            while true {
                if pollsMade > 0, !pollAtOnce {
                    try await updates.time.sleep(for: try nextDelay())
                }
                pollAtOnce = false
                let task = try await updates.poll()
                pollsMade += 1
                if pollAtEstimatedEnd, !task.status.isTerminal {
                    pace.missed()
                    earlyPolls += 1
                }
                if let changed = emit(task) { return changed }
                if let timeout = updates.policy.timeout, updates.time.elapsed - start >= timeout {
                    throw timeoutError(after: timeout)
                }
            }
        }

        /// The next change read from the stream; `nil` when the stream failed or ended first
        /// (polling then takes over). Cancellation and the policy's timeout end the sequence.
        private mutating func nextStreamed() async throws -> Element? {
            guard let source = updates.stream else { return nil }
            while true {
                var task: Element?
                do {
                    var iterator: ServerSentEvents.AsyncIterator
                    if let open = events {
                        iterator = open
                    } else {
                        iterator = try await source.open().makeAsyncIterator()
                    }
                    let event = try await iterator.next()
                    events = iterator
                    guard let event else { break }
                    task = try await source.element(event)
                } catch {
                    break
                }
                guard let task else { continue }
                if let changed = emit(task) { return changed }
                if let timeout = updates.policy.timeout, updates.time.elapsed - start >= timeout {
                    throw timeoutError(after: timeout)
                }
            }
            // Cancelled: the stream ended because the task iterating was, so the sequence ends too.
            try Task.checkCancellation()
            streaming = false
            // A stream that was open and broke: the next poll goes at once. One that never opened
            // (the transport cannot stream, the provider refused it) leaves the policy's pace as is.
            pollAtOnce = events != nil
            events = nil
            return nil
        }

        private mutating func emit(_ task: Element) -> Element? {
            if task.status.isTerminal { finished = true }
            pace.observe(task.status, at: updates.time.elapsed)
            let snapshot = Snapshot(status: task.status, rawStatus: task.rawStatus, logs: task.logs)
            guard snapshot != last || finished else { return nil }
            last = snapshot
            return task
        }

        /// The policy's wait, brought forward to the task's estimated end when its progress gives
        /// one (never sooner than an eighth of the policy's interval), and cut short so that the
        /// last poll lands on the deadline.
        private mutating func nextDelay() throws -> Duration {
            var delay = updates.policy.delay(afterPolls: pollsMade - earlyPolls)
            let now = updates.time.elapsed
            pollAtEstimatedEnd = false
            if let end = pace.remaining(at: now) {
                let paced = Swift.max(end + end / 50, updates.policy.interval / 8, .milliseconds(50))
                if paced < delay {
                    delay = paced
                    pollAtEstimatedEnd = true
                }
            }
            guard let timeout = updates.policy.timeout else { return delay }
            let remaining = timeout - (now - start)
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

/// Where a provider pushes a task's states as server-sent events (fal's status stream): how to
/// open the stream and how to read one event as the task. ``TaskUpdates`` reads it before polling.
///
/// ```swift
/// let stream = TaskStatusStream<MyTask>(
///     open: { try await openEvents(for: handle) },
///     element: { event in try JSONDecoder().decode(MyTask.self, from: Data(event.data.utf8)) }
/// )
/// ```
public struct TaskStatusStream<Element: MediaTask>: Sendable {
    let open: @Sendable () async throws -> ServerSentEvents
    let element: @Sendable (ServerSentEvent) async throws -> Element?

    /// `open` opens the stream; `element` reads one event as the task (`nil` skips the event).
    public init(
        open: @escaping @Sendable () async throws -> ServerSentEvents,
        element: @escaping @Sendable (ServerSentEvent) async throws -> Element?
    ) {
        self.open = open
        self.element = element
    }
}
