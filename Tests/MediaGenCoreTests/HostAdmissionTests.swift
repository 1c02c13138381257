import Foundation
import MediaGenCore
import TestSupport
import Testing

/// The queue in front of `URLSessionTransport`'s connections: at most `limit` requests per host
/// in, the rest in arrival order, and a request that gives up (cancelled, timed out) leaves the
/// queue. The waits here end on events, not on time, except the deadline test's few milliseconds.
struct HostAdmissionTests {
    private let host = HostAdmission.key(for: URL(string: "https://api.example.com/v1/predictions")!)

    /// Starts a request that enters `admission` and notes `name` once in, and waits until it is
    /// queued, so the queue's order is the order of the calls.
    private func queue(
        _ name: String, on admission: HostAdmission, order: Locked<[String]>
    ) async throws -> Task<Void, any Error> {
        let waitingBefore = admission.waiting
        let host = host
        let task = Task {
            try await admission.enter(host, deadline: nil)
            order.withLock { $0.append(name) }
        }
        try await waitUntil { admission.waiting == waitingBefore + 1 }
        return task
    }

    @Test func letsInAtMostItsLimitAndTheRestInArrivalOrder() async throws {
        let admission = HostAdmission(limit: 2)
        try await admission.enter(host, deadline: nil)
        try await admission.enter(host, deadline: nil)
        let order = Locked<[String]>([])
        let waiters = [
            try await queue("first", on: admission, order: order),
            try await queue("second", on: admission, order: order),
            try await queue("third", on: admission, order: order),
        ]
        #expect(order.current.isEmpty)
        for count in 1...3 {
            admission.leave(host)
            try await waitUntil { order.current.count == count }
        }
        for waiter in waiters { try await waiter.value }
        #expect(order.current == ["first", "second", "third"])
        #expect(admission.peak == 2)
    }

    @Test func otherHostsDoNotWait() async throws {
        let admission = HostAdmission(limit: 1)
        try await admission.enter(host, deadline: nil)
        let other = HostAdmission.key(for: URL(string: "https://queue.fal.run/x")!)
        try await admission.enter(other, deadline: nil)
        #expect(admission.waiting == 0)
        #expect(HostAdmission.key(for: URL(string: "HTTPS://API.example.com:443/other")!) == host)
    }

    @Test func aCancelledRequestLeavesTheQueueWithCancellationError() async throws {
        let admission = HostAdmission(limit: 1)
        try await admission.enter(host, deadline: nil)
        let order = Locked<[String]>([])
        let cancelled = try await queue("cancelled", on: admission, order: order)
        let next = try await queue("next", on: admission, order: order)
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(admission.waiting == 1)
        // The slot skips the request that gave up.
        admission.leave(host)
        try await next.value
        #expect(order.current == ["next"])
    }

    @Test func aRequestCancelledBeforeItAsksNeverQueues() async throws {
        let admission = HostAdmission(limit: 1)
        try await admission.enter(host, deadline: nil)
        let host = host
        let result = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await admission.enter(host, deadline: nil)
        }.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(admission.waiting == 0)
    }

    /// The request's timeout counts its wait for a slot: a deadline that passes in the queue ends
    /// the call with `.timedOut`, and the slot it never got goes to the next request.
    @Test func aDeadlinePassingInTheQueueTimesTheRequestOut() async throws {
        let admission = HostAdmission(limit: 1)
        try await admission.enter(host, deadline: nil)
        let timeout = Duration.milliseconds(5)
        let deadline = (instant: ContinuousClock.now.advanced(by: timeout), timeout: timeout)
        do {
            try await admission.enter(host, deadline: deadline)
            Issue.record("entered while the only slot was taken")
        } catch let error as TransportError {
            #expect(error.reason == .timedOut)
        }
        #expect(admission.waiting == 0)
        admission.leave(host)
        try await admission.enter(host, deadline: deadline)  // past, but a free slot needs no wait
    }
}
