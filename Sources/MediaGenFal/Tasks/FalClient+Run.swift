import Foundation
import MediaGenCore

extension FalClient {
    /// Creates a request, follows it through the queue reporting each change, and returns its
    /// result: fal's `subscribe`.
    ///
    /// ```swift
    /// let result = try await fal.run(
    ///     .beatovenMusicGeneration,
    ///     input: BeatovenInput(prompt: "Jazz music for a late-night restaurant setting")
    /// ) { update in
    ///     switch update.status {
    ///     case .queued: print("in queue", update.status.queuePosition ?? 0)
    ///     case .running: update.logs.last.map { print($0.message) }
    ///     default: break
    ///     }
    /// }
    /// print(result.data.audio.url)
    /// ```
    ///
    /// `onUpdate` gets the created request, then every status answer that differs from the one
    /// before (a new queue position, a new log line, a new status). Polls are paced by `policy`,
    /// by default the catalog's (`PollingPolicy.default` for apps with no known latency), not
    /// every 0.1 s as fal's own client does. A failed request throws `.taskFailed`, a canceled
    /// one `.canceled`.
    ///
    /// Cancelling the Swift task that awaits this abandons the request: it is then canceled on
    /// fal too (so it stops costing), unless `cancelsOnAbandon` is `false`; the call throws
    /// `CancellationError` either way.
    public func run<Input, Output>(
        _ app: FalApp<Input, Output>,
        input: Input,
        logs: Bool = true,
        webhookURL: URL? = nil,
        priority: FalQueuePriority? = nil,
        startTimeout: Duration? = nil,
        policy: PollingPolicy? = nil,
        cancelsOnAbandon: Bool = true,
        onUpdate: (@Sendable (FalRequest) -> Void)? = nil
    ) async throws -> FalResult<Output> {
        let created = try await createRequest(
            app, input: input, webhookURL: webhookURL, priority: priority, startTimeout: startTimeout)
        return try await wait(
            for: created, app: app, logs: logs, policy: policy, cancelsOnAbandon: cancelsOnAbandon,
            onUpdate: onUpdate)
    }

    /// Creates a request and follows it to its result: the name before
    /// ``run(_:input:logs:webhookURL:priority:startTimeout:policy:cancelsOnAbandon:onUpdate:)``.
    @available(
        *, deprecated, renamed: "run(_:input:logs:webhookURL:priority:startTimeout:policy:cancelsOnAbandon:onUpdate:)"
    )
    public func subscribe<Input, Output>(
        _ app: FalApp<Input, Output>,
        input: Input,
        logs: Bool = true,
        webhookURL: URL? = nil,
        priority: FalQueuePriority? = nil,
        startTimeout: Duration? = nil,
        policy: PollingPolicy? = nil,
        cancelsOnAbandon: Bool = true,
        onQueueUpdate: (@Sendable (FalRequest) -> Void)? = nil
    ) async throws -> FalResult<Output> {
        try await run(
            app, input: input, logs: logs, webhookURL: webhookURL, priority: priority, startTimeout: startTimeout,
            policy: policy, cancelsOnAbandon: cancelsOnAbandon, onUpdate: onQueueUpdate)
    }

    /// Follows a created request to its end and returns its result: the second half of
    /// ``run(_:input:logs:webhookURL:priority:startTimeout:policy:cancelsOnAbandon:onUpdate:)``,
    /// for a request created earlier (or resumed from a persisted handle with ``request(_:logs:)``).
    ///
    /// ```swift
    /// let request = try await fal.createRequest(.beatovenMusicGeneration, input: input)
    /// let result = try await fal.wait(for: request, app: .beatovenMusicGeneration) { print($0.rawStatus) }
    /// print(result.data.audio.url)
    /// ```
    ///
    /// `wait(for:policy:onUpdate:)` without `app:` (every client's) returns the
    /// finished request instead, for code written against any client.
    public func wait<Input, Output>(
        for request: FalRequest,
        app: FalApp<Input, Output>,
        logs: Bool = true,
        policy: PollingPolicy? = nil,
        cancelsOnAbandon: Bool = true,
        onUpdate: (@Sendable (FalRequest) -> Void)? = nil
    ) async throws -> FalResult<Output> {
        let handle = request.handle
        do {
            let updates = TaskUpdates(
                handle: handle,
                initial: request,
                policy: policy ?? pollingPolicy(for: handle),
                clock: configuration.clock
            ) {
                try await self.request(handle, logs: logs)
            }
            var last = request
            for try await update in updates {
                onUpdate?(update)
                last = update
            }
            if let failure = last.status.failure {
                throw MediaGenError(
                    .taskFailed(failure), provider: .fal, message: failure.message, providerCode: failure.code,
                    taskID: handle.id)
            }
            switch last.status {
            case .succeeded:
                return try await result(app, of: handle)
            case .canceled:
                throw MediaGenError(.canceled, provider: .fal, message: "\(handle) was canceled", taskID: handle.id)
            default:
                throw MediaGenError(
                    .server, provider: .fal, message: "\(handle): updates ended without a final status",
                    taskID: handle.id)
            }
        } catch {
            if Task.isCancelled && cancelsOnAbandon {
                await cancelAbandoned(handle)
            }
            throw error
        }
    }

    /// Follows a created request to its result: the name before
    /// ``wait(for:app:logs:policy:cancelsOnAbandon:onUpdate:)``.
    @available(*, deprecated, renamed: "wait(for:app:logs:policy:cancelsOnAbandon:onUpdate:)")
    public func follow<Input, Output>(
        _ app: FalApp<Input, Output>,
        _ request: FalRequest,
        logs: Bool = true,
        policy: PollingPolicy? = nil,
        cancelsOnAbandon: Bool = true,
        onQueueUpdate: (@Sendable (FalRequest) -> Void)? = nil
    ) async throws -> FalResult<Output> {
        try await wait(
            for: request, app: app, logs: logs, policy: policy, cancelsOnAbandon: cancelsOnAbandon,
            onUpdate: onQueueUpdate)
    }

    /// Sends the cancel of an abandoned request from a task of its own: the abandoning task is
    /// cancelled, and every request it made would be cancelled at once too.
    private func cancelAbandoned(_ handle: TaskHandle) async {
        let cancel = Task { _ = try? await self.cancelRequest(handle) }
        await cancel.value
    }
}
