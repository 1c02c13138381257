/// Many tasks followed at once from one Swift task: each task's end, as it comes, as an
/// `AsyncSequence`.
///
/// ```swift
/// func report<Client: MediaClient>(_ created: [Client.RemoteTask], on client: Client) async throws {
///     for await completion in try client.completions(of: created) {
///         switch completion.result {
///         case .success(let task): print(completion.handle.id, "made", task.outputs.count, "files")
///         case .failure(let error): print(completion.handle.id, "ended without output:", error)
///         }
///     }
/// }
/// ```
///
/// Each task is paced exactly as ``MediaClient/wait(for:policy:onUpdate:)-(TaskHandle,_,_)``
/// paces it (its ``PollingPolicy``, brought forward by a rising progress, ended by the policy's
/// timeout) and ends the same way: ``TaskCompletion/result`` is the task when it succeeded or
/// stopped for your action, and otherwise the error `wait(for:)` would throw (`.taskFailed`,
/// `.canceled`, `.timeout`, or a poll's error after its retries). One task's failure never stops
/// the others. Tasks are only polled, never streamed.
///
/// What it saves is memory: `wait(for:)` in a Swift task per followed task keeps that task, and
/// the deepest async frames its create and polls ever used, for the task's whole life (about
/// 27–32 KiB each); here a followed task is about 1 KiB of schedule, and at most
/// `maxConcurrentPolls` polls run at once, each in a short-lived child task. Polling starts when
/// iteration does and runs in a task of its own, so a slow consumer (one that downloads each
/// result as it comes) delays no poll; finished tasks wait in the sequence until read. Cancel the
/// task that iterates, or stop iterating, and polling stops. A poll that falls due while
/// another is in flight is made as soon as a poll in flight answers. Each iteration follows the
/// tasks anew.
public struct TaskCompletions<RemoteTask: MediaTask>: AsyncSequence, Sendable {
    public typealias Element = TaskCompletion<RemoteTask>

    /// One task to follow: its handle, what its create returned (when known), its pace.
    struct Follow: Sendable {
        var handle: TaskHandle
        var initial: RemoteTask?
        var policy: PollingPolicy
    }

    private let follows: [Follow]
    private let maxConcurrentPolls: Int
    private let time: TimeSource
    private let poll: @Sendable (TaskHandle) async throws -> RemoteTask
    private let ending: @Sendable (RemoteTask, TaskHandle) throws -> RemoteTask?

    init(
        follows: [Follow],
        maxConcurrentPolls: Int,
        clock: any Clock<Duration>,
        poll: @escaping @Sendable (TaskHandle) async throws -> RemoteTask,
        ending: @escaping @Sendable (RemoteTask, TaskHandle) throws -> RemoteTask?
    ) throws(MediaGenError) {
        guard maxConcurrentPolls >= 1 else {
            throw MediaGenError(
                .invalidRequest(
                    field: "maxConcurrentPolls",
                    reason: "\(maxConcurrentPolls) polls at once can follow nothing; give 1 or more"),
                provider: follows.first?.handle.provider,
                message: "maxConcurrentPolls must be at least 1 (it is \(maxConcurrentPolls))"
            )
        }
        self.follows = follows
        self.maxConcurrentPolls = maxConcurrentPolls
        self.time = TimeSource(clock)
        self.poll = poll
        self.ending = ending
    }

    public func makeAsyncIterator() -> AsyncIterator {
        let (stream, continuation) = AsyncStream<Element>.makeStream()
        let driver = Task { [self] in
            await drive(into: continuation)
            continuation.finish()
        }
        continuation.onTermination = { _ in driver.cancel() }
        return AsyncIterator(base: stream.makeAsyncIterator(), driver: Driver(task: driver))
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<Element>.AsyncIterator
        /// Stops the polling when the last copy of the iterator goes: a loop left early.
        let driver: Driver

        public mutating func next() async -> Element? {
            await base.next()
        }
    }

    /// The polling task, cancelled when the iterator is dropped (the stream's continuation, which
    /// the task holds, would otherwise keep it running to the last task's end).
    final class Driver: Sendable {
        let task: Task<Void, Never>

        init(task: Task<Void, Never>) { self.task = task }

        deinit { task.cancel() }
    }

    /// Polls every task to its end, `maxConcurrentPolls` at most at once, in the order they fall due.
    private func drive(into continuation: AsyncStream<Element>.Continuation) async {
        var schedules: [PollSchedule] = []
        schedules.reserveCapacity(follows.count)
        var due = DueQueue()
        let start = time.elapsed
        for (index, follow) in follows.enumerated() {
            var schedule = PollSchedule(
                handle: follow.handle, policy: follow.policy, start: start, seeded: follow.initial != nil)
            if let initial = follow.initial {
                schedule.observe(initial.status, rawStatus: initial.rawStatus, at: start, polled: false)
            }
            schedules.append(schedule)
            if let initial = follow.initial, initial.status.isTerminal {
                continuation.yield(completion(index, ended: initial))
            } else {
                plan(index, schedules: &schedules, due: &due, continuation: continuation)
            }
        }
        await withTaskGroup(of: (Int, Result<RemoteTask, any Error>).self) { group in
            var inFlight = 0
            while !Task.isCancelled {
                let now = time.elapsed
                while inFlight < maxConcurrentPolls, let next = due.first, next.at <= now {
                    due.removeFirst()
                    inFlight += 1
                    let handle = follows[next.index].handle
                    group.addTask { [poll] in
                        do { return (next.index, .success(try await poll(handle))) } catch {
                            return (next.index, .failure(error))
                        }
                    }
                }
                if inFlight > 0 {
                    guard let (index, result) = await group.next() else { break }
                    inFlight -= 1
                    switch result {
                    case .failure(let error):
                        if Task.isCancelled { break }
                        continuation.yield(TaskCompletion(handle: follows[index].handle, result: .failure(error)))
                    case .success(let task):
                        schedules[index].observe(task.status, rawStatus: task.rawStatus, at: time.elapsed, polled: true)
                        if task.status.isTerminal {
                            continuation.yield(completion(index, ended: task))
                        } else {
                            plan(index, schedules: &schedules, due: &due, continuation: continuation)
                        }
                    }
                } else if let next = due.first {
                    do { try await time.sleep(for: next.at - now) } catch { break }
                } else {
                    break
                }
            }
            group.cancelAll()
        }
    }

    /// Puts task `index`'s next poll in the queue, or ends it with `.timeout` past its policy's.
    private func plan(
        _ index: Int,
        schedules: inout [PollSchedule],
        due: inout DueQueue,
        continuation: AsyncStream<Element>.Continuation
    ) {
        let now = time.elapsed
        do {
            try schedules[index].checkDeadline(at: now)
            due.insert(at: now + (try schedules[index].delay(at: now)), index: index)
        } catch {
            continuation.yield(TaskCompletion(handle: follows[index].handle, result: .failure(error)))
        }
    }

    /// Task `index`'s completion from its terminal state, as `wait(for:)` would end.
    private func completion(_ index: Int, ended task: RemoteTask) -> Element {
        let handle = follows[index].handle
        do {
            return TaskCompletion(handle: handle, result: .success(try ending(task, handle) ?? task))
        } catch {
            return TaskCompletion(handle: handle, result: .failure(error))
        }
    }
}

/// How one followed task ended: the task, or why there is none.
///
/// ```swift
/// func files(of completion: TaskCompletion<some MediaTask>) -> [RemoteFile] {
///     (try? completion.get().outputs) ?? []
/// }
/// ```
public struct TaskCompletion<RemoteTask: MediaTask>: Sendable {
    /// Which task.
    public let handle: TaskHandle
    /// The task when it succeeded or stopped for your action; otherwise the error
    /// ``MediaClient/wait(for:policy:onUpdate:)-(TaskHandle,_,_)`` would have thrown.
    public let result: Result<RemoteTask, any Error>

    /// The task, or throws its error.
    public func get() throws -> RemoteTask {
        try result.get()
    }
}

/// The followed tasks' next polls, earliest first; equal times in the order they were planned.
struct DueQueue {
    struct Entry {
        var at: Duration
        var order: Int
        var index: Int

        func precedes(_ other: Entry) -> Bool {
            (at, order) < (other.at, other.order)
        }
    }

    private var heap: [Entry] = []
    private var planned = 0

    var first: Entry? { heap.first }

    mutating func insert(at: Duration, index: Int) {
        heap.append(Entry(at: at, order: planned, index: index))
        planned += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            var smallest = parent
            let left = 2 * parent + 1
            let right = left + 1
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
