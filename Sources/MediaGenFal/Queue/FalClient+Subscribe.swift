import Foundation
import MediaGenCore

extension FalClient {
    /// Submits a request, follows it through the queue reporting each change, and returns its
    /// result: fal's `subscribe`.
    ///
    /// ```swift
    /// let result = try await fal.subscribe(
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
    /// `onQueueUpdate` gets the submitted request, then every status answer that differs from the
    /// one before (a new queue position, a new log line, a new status). Polls are paced by
    /// `policy`, by default the catalog's (`PollingPolicy.default` for apps with no known
    /// latency), not every 0.1 s as fal's own client does. A failed request throws
    /// `.taskFailed`, a canceled one `.canceled`.
    ///
    /// Cancelling the Swift task that awaits this abandons the subscription: the request is then
    /// canceled on fal too (so it stops costing), unless `cancelsOnAbandon` is `false`; the call
    /// throws `CancellationError` either way.
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
        let submitted = try await submit(
            app, input: input, webhookURL: webhookURL, priority: priority, startTimeout: startTimeout)
        return try await follow(
            app, submitted, logs: logs, policy: policy, cancelsOnAbandon: cancelsOnAbandon,
            onQueueUpdate: onQueueUpdate)
    }

    /// Follows a submitted request to its end and returns its result: the second half of
    /// ``subscribe(_:input:logs:webhookURL:priority:startTimeout:policy:cancelsOnAbandon:onQueueUpdate:)``,
    /// for a request submitted earlier (or resumed from a persisted handle with ``status(_:logs:)``).
    ///
    /// ```swift
    /// let request = try await fal.submit(.beatovenMusicGeneration, input: input)
    /// let result = try await fal.follow(.beatovenMusicGeneration, request) { print($0.rawStatus) }
    /// ```
    public func follow<Input, Output>(
        _ app: FalApp<Input, Output>,
        _ request: FalRequest,
        logs: Bool = true,
        policy: PollingPolicy? = nil,
        cancelsOnAbandon: Bool = true,
        onQueueUpdate: (@Sendable (FalRequest) -> Void)? = nil
    ) async throws -> FalResult<Output> {
        let handle = request.handle
        do {
            let updates = TaskUpdates(
                handle: handle,
                initial: request,
                policy: policy ?? pollingPolicy(for: handle),
                clock: configuration.clock
            ) {
                try await self.status(handle, logs: logs)
            }
            var last = request
            for try await update in updates {
                onQueueUpdate?(update)
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

    /// Sends the cancel of an abandoned request from a task of its own: the abandoning task is
    /// cancelled, and every request it made would be cancelled at once too.
    private func cancelAbandoned(_ handle: TaskHandle) async {
        let cancel = Task { _ = try? await self.cancelRequest(handle) }
        await cancel.value
    }
}
