import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking

    /// The delegate queue of the transport's session of completion-handler tasks, on Linux: it runs
    /// each callback at once, on the thread that hands it over — FoundationNetworking's work queue —
    /// as `URLSession.data(for:)` runs its own completion. Handing each completion to a queue of its
    /// own first cost every call a thread hop, 28–43 µs on loopback (figure 1's "Then, layer by
    /// layer" in Documentation/Performance.md).
    ///
    /// Safe because nothing this session runs here waits for that work queue, nor for long:
    /// - a completion handler (``URLSessionTransport/completion(into:)``) only builds the answer
    ///   and resumes a continuation, which schedules the waiting Swift task and returns;
    /// - ``RedirectGuard`` answers a redirect at once, and FoundationNetworking takes the answer
    ///   back with `async`;
    /// - an authentication challenge is refused from another thread
    ///   (``AuthenticationChallenges``): the refusal cancels the task, and
    ///   `URLSessionTask.cancel()` waits for the work queue;
    /// - the transport cancels tasks from other threads (`run(_:box:)`, the ``Watchdog``);
    /// - downloads, whose handler moves a file, run on a session of their own.
    final class InlineDelegateQueue: OperationQueue, @unchecked Sendable {
        // Safe: no stored state of its own; `OperationQueue` is thread-safe.

        override func addOperation(_ block: @escaping @Sendable () -> Void) {
            block()
        }
    }
#endif
