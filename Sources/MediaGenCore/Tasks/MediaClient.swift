/// What every provider client can do: look a task up, cancel it, describe its models — and, from
/// those, follow a task to its end.
///
/// ```swift
/// func finish<Client: MediaClient>(_ handle: TaskHandle, on client: Client) async throws -> [RemoteFile] {
///     for try await task in client.updates(of: handle) {
///         print(task.rawStatus)
///     }
///     return try await client.wait(for: handle).outputs
/// }
/// ```
///
/// The provider's task type is ``RemoteTask`` (not `Task`, which would hide Swift's own `Task`
/// inside every conforming type).
public protocol MediaClient: Sendable {
    /// The provider's task value (Skytells' prediction, fal's request, BeatAPI's or Beatra's task).
    associatedtype RemoteTask: MediaTask

    var provider: Provider { get }
    /// Timeouts, retries, budget, transport, clock.
    var configuration: ClientConfiguration { get }
    /// The models this client knows, with prices and typical latencies.
    var catalog: [ModelDescriptor] { get }

    /// Polls the task once.
    func task(_ handle: TaskHandle) async throws -> RemoteTask
    /// Asks the provider to cancel the task.
    func cancel(_ handle: TaskHandle) async throws
    /// Where the provider pushes the task's states, if it does (fal's status stream); `nil`, the
    /// default, polls. Read by ``updates(of:policy:)-(TaskHandle,_)`` when
    /// ``ClientConfiguration/statusStreaming`` is on.
    func statusStream(for handle: TaskHandle) -> TaskStatusStream<RemoteTask>?
}

extension MediaClient {
    /// The catalog entry for `id`, if this client lists it.
    public func model(_ id: String) -> ModelDescriptor? {
        catalog.first { $0.id == id }
    }

    /// The policy for following `handle`: from its model's typical latency when the catalog knows it.
    public func pollingPolicy(for handle: TaskHandle) -> PollingPolicy {
        handle.model.flatMap(model)?.pollingPolicy ?? .default
    }

    public func statusStream(for handle: TaskHandle) -> TaskStatusStream<RemoteTask>? { nil }

    /// The task's states as they change, until it ends. See ``TaskUpdates``.
    public func updates(of handle: TaskHandle, policy: PollingPolicy? = nil) -> TaskUpdates<RemoteTask> {
        TaskUpdates(
            handle: handle, policy: policy ?? pollingPolicy(for: handle), clock: configuration.clock,
            stream: configuration.statusStreaming ? statusStream(for: handle) : nil
        ) {
            try await self.task(handle)
        }
    }

    /// The task's states as they change, starting with `task` itself (no poll needed for it).
    public func updates(of task: RemoteTask, policy: PollingPolicy? = nil) -> TaskUpdates<RemoteTask> {
        let handle = task.handle
        return TaskUpdates(
            handle: handle, initial: task, policy: policy ?? pollingPolicy(for: handle), clock: configuration.clock,
            stream: configuration.statusStreaming ? statusStream(for: handle) : nil
        ) {
            try await self.task(handle)
        }
    }

    /// Follows the task to its end and returns it when it succeeded (or stopped awaiting your
    /// action); throws `.taskFailed` or `.canceled`, with the task id, otherwise.
    ///
    /// ```swift
    /// let done = try await client.wait(for: handle) { print($0.status) }
    /// ```
    public func wait(
        for handle: TaskHandle,
        policy: PollingPolicy? = nil,
        onUpdate: (@Sendable (RemoteTask) -> Void)? = nil
    ) async throws -> RemoteTask {
        try await finish(updates(of: handle, policy: policy), handle: handle, onUpdate: onUpdate)
    }

    /// Follows `task` (as a create returned it) to its end. See ``wait(for:policy:onUpdate:)-(TaskHandle,_,_)``.
    public func wait(
        for task: RemoteTask,
        policy: PollingPolicy? = nil,
        onUpdate: (@Sendable (RemoteTask) -> Void)? = nil
    ) async throws -> RemoteTask {
        try await finish(updates(of: task, policy: policy), handle: task.handle, onUpdate: onUpdate)
    }

    /// Follows every task in `tasks` (as their creates returned them) from one Swift task, and
    /// yields each one's end as it comes. See ``TaskCompletions``.
    ///
    /// ```swift
    /// for await completion in try client.completions(of: created) {
    ///     print(completion.handle.id, (try? completion.get())?.outputs.count ?? 0)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - tasks: the tasks to follow, as their creates returned them (each is its own first reading).
    ///   - policy: the pace of every task; `nil` (the default) paces each from its model's typical
    ///     latency, as ``wait(for:policy:onUpdate:)-(TaskHandle,_,_)`` does.
    ///   - maxConcurrentPolls: how many polls may be in flight at once (16, the connections a
    ///     ``URLSessionTransport`` opens to a host, by default).
    /// - Throws: `.invalidRequest` when `maxConcurrentPolls` is below 1.
    public func completions(
        of tasks: [RemoteTask],
        policy: PollingPolicy? = nil,
        maxConcurrentPolls: Int = 16
    ) throws(MediaGenError) -> TaskCompletions<RemoteTask> {
        try completions(
            tasks.map { .init(handle: $0.handle, initial: $0, policy: policy ?? pollingPolicy(for: $0.handle)) },
            maxConcurrentPolls: maxConcurrentPolls)
    }

    /// Follows every task in `handles` from one Swift task, polling each at once, and yields each
    /// one's end as it comes. See ``completions(of:policy:maxConcurrentPolls:)-([Self.RemoteTask],_,_)``.
    public func completions(
        of handles: [TaskHandle],
        policy: PollingPolicy? = nil,
        maxConcurrentPolls: Int = 16
    ) throws(MediaGenError) -> TaskCompletions<RemoteTask> {
        try completions(
            handles.map { .init(handle: $0, initial: nil, policy: policy ?? pollingPolicy(for: $0)) },
            maxConcurrentPolls: maxConcurrentPolls)
    }

    private func completions(
        _ follows: [TaskCompletions<RemoteTask>.Follow],
        maxConcurrentPolls: Int
    ) throws(MediaGenError) -> TaskCompletions<RemoteTask> {
        try TaskCompletions(
            follows: follows, maxConcurrentPolls: maxConcurrentPolls, clock: configuration.clock,
            poll: { handle in try await self.task(handle) },
            ending: { task, handle in try self.ending(task, handle: handle) }
        )
    }

    private func finish(
        _ updates: TaskUpdates<RemoteTask>,
        handle: TaskHandle,
        onUpdate: (@Sendable (RemoteTask) -> Void)?
    ) async throws -> RemoteTask {
        for try await task in updates {
            onUpdate?(task)
            if let ended = try ending(task, handle: handle) { return ended }
        }
        // `TaskUpdates` only ends after a terminal status, which returns or throws above.
        throw unfinished(handle)
    }

    /// The error of updates that ended without a final status. Out of line for the same reason as
    /// ``ending(_:handle:)``: built inline, it was part of `finish`'s async frame.
    @inline(never)
    private func unfinished(_ handle: TaskHandle) -> MediaGenError {
        MediaGenError(
            .server, provider: provider, message: "\(handle): updates ended without a final status", taskID: handle.id)
    }

    /// `task` when it ended well (or stopped awaiting the user's action: the task is theirs to
    /// read), its error when it failed or was canceled, `nil` while it runs. Out of line on
    /// purpose: inlined, the errors it builds made `finish`'s async frame 8 KiB, held for as long
    /// as the task is followed (see "Figure 4 at 10,000 tasks" in Documentation/Performance.md).
    @inline(never)
    func ending(_ task: RemoteTask, handle: TaskHandle) throws -> RemoteTask? {
        guard task.status.isTerminal else { return nil }
        if let failure = task.status.failure {
            throw MediaGenError(
                .taskFailed(failure),
                provider: provider,
                message: failure.message,
                providerCode: failure.code,
                taskID: handle.id
            )
        }
        if task.status == .canceled {
            throw MediaGenError(.canceled, provider: provider, message: "\(handle) was canceled", taskID: handle.id)
        }
        return task
    }
}
