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
        private var pending: Element?
        private var schedule: PollSchedule
        private var last: Snapshot?
        private var finished = false
        /// The stream being read, once opened.
        private var events: ServerSentEvents.AsyncIterator?
        /// Whether the stream is still to be read: until it fails or ends.
        private var streaming: Bool
        /// A stream just failed: poll now, not after the policy's delay.
        private var pollAtOnce = false

        fileprivate init(updates: TaskUpdates, start: Duration) {
            self.updates = updates
            self.pending = updates.initial
            self.streaming = updates.stream != nil
            self.schedule = PollSchedule(
                handle: updates.handle, policy: updates.policy, start: start, seeded: updates.initial != nil)
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
                return emit(seed, polled: false)
            }
            if streaming, let changed = try await nextStreamed() { return changed }
            while true {
                if !pollAtOnce {
                    try await updates.time.sleep(for: try schedule.delay(at: updates.time.elapsed))
                }
                pollAtOnce = false
                let task = try await updates.poll()
                if let changed = emit(task, polled: true) { return changed }
                try schedule.checkDeadline(at: updates.time.elapsed)
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
                if let changed = emit(task, polled: false) { return changed }
                try schedule.checkDeadline(at: updates.time.elapsed)
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

        private mutating func emit(_ task: Element, polled: Bool) -> Element? {
            if task.status.isTerminal { finished = true }
            schedule.observe(task.status, rawStatus: task.rawStatus, at: updates.time.elapsed, polled: polled)
            let snapshot = Snapshot(status: task.status, rawStatus: task.rawStatus, logs: task.logs)
            guard snapshot != last || finished else { return nil }
            last = snapshot
            return task
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
