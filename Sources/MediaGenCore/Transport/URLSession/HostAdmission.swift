import Foundation

/// Lets at most `limit` requests per host into a URLSession at once and holds the others, in the
/// order they came, until one of those ends: ``URLSessionTransport``'s queue in front of its
/// connections.
///
/// ```swift
/// let admission = HostAdmission(limit: 16)
/// try await admission.enter("https://api.skytells.ai", deadline: nil)  // waits while 16 are in
/// defer { admission.leave("https://api.skytells.ai") }
/// // … hand the request to URLSession
/// ```
///
/// URLSession queues the requests beyond its connections itself, but each costs a
/// `URLSessionTask`, its URL and header dictionaries and FoundationNetworking's transfer state:
/// about 7 KiB each when 10,000 followed tasks poll through 16 connections (figure 4 of the
/// benchmarks). A request waiting here costs a continuation and a dictionary entry. Entering
/// while a slot is free takes one lock and allocates nothing.
package final class HostAdmission: Sendable {
    /// The most requests per host let in at once.
    package let limit: Int
    private let state = Locked(State())

    private struct State {
        var hosts: [String: Host] = [:]
        /// Every request waiting, by ticket; a ticket missing here was let in, cancelled or timed
        /// out, and is skipped when its turn comes.
        var waiting: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextTicket: UInt64 = 0
        /// The most requests let in at once for one host since the start, for tests.
        var peak = 0

        mutating func admit(_ host: String) {
            hosts[host, default: Host()].admitted += 1
            peak = max(peak, hosts[host]?.admitted ?? 0)
        }
    }

    private struct Host {
        var admitted = 0
        /// Tickets in arrival order from `head` on; the ones before `head` had their turn.
        var queue: [UInt64] = []
        var head = 0

        /// Drops the tickets that had their turn once they are most of the queue.
        mutating func compact() {
            guard head > 256, head * 2 > queue.count else { return }
            queue.removeFirst(head)
            head = 0
        }
    }

    package init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// The host a request to `url` counts against: scheme, host and port, as URLSession tells
    /// connections apart.
    package static func key(for url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "http" ? 80 : 443)
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
    }

    /// The most requests let in at once for one host so far.
    package var peak: Int { state.withLock { $0.peak } }

    /// Requests waiting for a slot, over all hosts.
    package var waiting: Int { state.withLock { $0.waiting.count } }

    /// Returns once the request may go to `host`; call ``leave(_:)`` when it is over. Throws
    /// `CancellationError` when the calling task is cancelled first, and `.timedOut` when
    /// `deadline` passes first (the request's timeout, which counts the wait here). Either way the
    /// request gives up its place in the queue.
    package func enter(_ host: String, deadline: (instant: ContinuousClock.Instant, timeout: Duration)?) async throws {
        let admitted = state.withLock { state in
            guard state.hosts[host, default: Host()].admitted < limit else { return false }
            state.admit(host)
            return true
        }
        if admitted { return }
        let ticket = state.withLock { state in
            defer { state.nextTicket += 1 }
            return state.nextTicket
        }
        var watch: Watchdog.Deadline?
        defer { watch.map(Watchdog.shared.disarm) }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Checked under the lock the cancellation handler takes too: a cancel that lands
                // before the request is queued is seen here, one that lands after finds it queued.
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.hosts[host, default: Host()].admitted < limit {
                        state.admit(host)
                        return .success(())
                    }
                    state.hosts[host, default: Host()].queue.append(ticket)
                    state.waiting[ticket] = continuation
                    return nil
                }
                if let outcome {
                    continuation.resume(with: outcome)
                    return
                }
                if let deadline {
                    let message = "no complete answer within \(MediaGenError.format(deadline.timeout))"
                    watch = Watchdog.shared.arm(at: deadline.instant) { [self] in
                        giveUp(ticket, TransportError(.timedOut, message))
                    }
                }
            }
        } onCancel: {
            giveUp(ticket, CancellationError())
        }
    }

    /// Ends a request let in by ``enter(_:deadline:)``: its slot goes to the first request waiting
    /// for `host`, if any.
    package func leave(_ host: String) {
        let next: CheckedContinuation<Void, any Error>? = state.withLock { state in
            guard var entry = state.hosts[host] else { return nil }
            defer {
                if entry.admitted == 0, entry.head == entry.queue.count {
                    state.hosts[host] = nil
                } else {
                    state.hosts[host] = entry
                }
            }
            while entry.head < entry.queue.count {
                let ticket = entry.queue[entry.head]
                entry.head += 1
                if let continuation = state.waiting.removeValue(forKey: ticket) {
                    // The slot passes on as it is: `admitted` stays.
                    entry.compact()
                    return continuation
                }
            }
            entry.admitted -= 1
            entry.compact()
            return nil
        }
        next?.resume()
    }

    /// Takes `ticket` out of the queue, if it is still waiting, and ends its wait with `error`.
    private func giveUp(_ ticket: UInt64, _ error: any Error) {
        let continuation = state.withLock { $0.waiting.removeValue(forKey: ticket) }
        continuation?.resume(throwing: error)
    }
}
