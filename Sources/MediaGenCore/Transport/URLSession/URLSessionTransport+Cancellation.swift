import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// How a call ends before its answer: the caller cancels it, or its deadline passes. Either way
// the caller is released at once, and the URLSession task is cancelled from another thread.
extension URLSessionTransport {
    /// Whole-exchange deadlines are kept here (see `armDeadline`), so the executor adds none.
    public var enforcesTimeouts: Bool { true }

    /// `HTTPRequest.timeout` is a deadline for the whole exchange, kept by the shared ``Watchdog``:
    /// when it passes, the caller gets `.timedOut` at once and the URLSession task is cancelled
    /// (from another thread, as in `run(_:box:)`). URLSession's own `timeoutInterval` only limits
    /// how long the connection may stay idle on Linux.
    static func armDeadline(_ timeout: Duration?, for task: URLSessionTask, box: ContinuationBox)
        -> Watchdog.Deadline?
    {
        guard let timeout else { return nil }
        return armDeadline(at: ContinuousClock.now.advanced(by: timeout), timeout: timeout, for: task, box: box)
    }

    /// ``armDeadline(_:for:box:)`` for a deadline set earlier: `timeout` after the call began.
    static func armDeadline(
        at instant: ContinuousClock.Instant, timeout: Duration, for task: URLSessionTask, box: ContinuationBox
    ) -> Watchdog.Deadline {
        Watchdog.shared.arm(at: instant) {
            box.resume(
                with: .failure(TransportError(.timedOut, "no complete answer within \(MediaGenError.format(timeout))")))
            DispatchQueue.global().async { task.cancel() }
        }
    }

    /// Starts `task` and waits for the result `box` receives; cancelling the Swift task ends the
    /// wait at once with `CancellationError` and cancels the URLSession task. A call cancelled
    /// before `task` is started never starts it, so it sends nothing.
    ///
    /// The cancellation handler runs while the Swift runtime holds the task's status lock, and
    /// `URLSessionTask.cancel()` waits for the session's work queue — which, when the answer is
    /// arriving at that moment, is resuming this very task and waiting for the same lock. On Linux
    /// that deadlock froze whole processes (swift-corelibs-foundation issue 5412, with `data(for:)`
    /// and a per-request timeout racing a dropped connection), so the cancel is sent from another
    /// thread, after the handler has returned. The caller does not wait for it: `cancel()` waits
    /// until the work queue is free, which during a large download can take a second or more, and
    /// the global queue's few threads may all be waiting so.
    ///
    /// A task that failed because its authentication challenge was refused returns that 401
    /// (``AuthenticationChallenges``), unless the caller cancelled it.
    static func run(_ task: URLSessionTask, box: ContinuationBox) async throws -> HTTPResponse {
        do {
            return try await wait(for: task, box: box)
        } catch {
            let refused = AuthenticationChallenges.response(thatEnded: task)
            guard let refused, !(error is CancellationError) else { throw error }
            return refused
        }
    }

    private static func wait(for task: URLSessionTask, box: ContinuationBox) async throws -> HTTPResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                box.set(continuation)
                // Cancelled already: `onCancel` below has run (or is running) and sends `cancel()`,
                // which completes a task never resumed without a byte sent. Checked here rather
                // than when the call begins, so a cancel that lands while the task is being made
                // is caught too.
                if !Task.isCancelled { task.resume() }
            }
        } onCancel: {
            // The caller is released on a serial queue of the transport's own: Dispatch gives such
            // a queue a thread even when every thread of the global pool is blocked in `cancel()`.
            cancellations.async { box.resume(with: .failure(CancellationError())) }
            DispatchQueue.global().async { task.cancel() }
        }
    }

    /// Where cancelled calls are released (see `run(_:box:)`).
    private static let cancellations = DispatchQueue(label: "MediaGenKit.URLSessionTransport.cancellations")
}
