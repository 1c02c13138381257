import Dispatch
import Foundation
import MediaGenCore
import Testing

/// The per-request deadline of `URLSessionTransport`. Deadlines here are a few milliseconds; the
/// waits for them are generous, since a loaded machine can delay the watchdog's thread.
struct WatchdogTests {
    /// Waits (polling every millisecond, up to `limit`) until `condition` holds.
    private func eventually(within limit: Duration = .seconds(30), _ condition: () -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: limit)
        while !condition() {
            guard clock.now < end else { return false }
            try await Task.sleep(for: .milliseconds(1))
        }
        return true
    }

    /// Instants rather than timeouts: a test thread preempted between two `arm(after:)` calls
    /// would shift the later deadlines and so the order.
    @Test func firesEachArmedDeadlineOnceInOrder() async throws {
        let watchdog = Watchdog()
        let fired = Locked<[Int]>([])
        let start = ContinuousClock.now
        for (order, milliseconds) in [(2, 30), (0, 5), (1, 15)] {
            _ = watchdog.arm(at: start.advanced(by: .milliseconds(milliseconds))) {
                fired.withLock { $0.append(order) }
            }
        }
        #expect(try await eventually { fired.current.count == 3 })
        try await Task.sleep(for: .milliseconds(20))
        #expect(fired.current == [0, 1, 2])
    }

    /// The watchdog's thread is held in an earlier deadline's action while the other is disarmed,
    /// so however late the test thread runs, the disarm comes before that deadline is looked at.
    @Test func aDisarmedDeadlineNeverFires() async throws {
        let watchdog = Watchdog()
        let fired = Locked<[String]>([])
        let hold = DispatchSemaphore(value: 0)
        let start = ContinuousClock.now
        _ = watchdog.arm(at: start) {
            hold.wait()
            fired.withLock { $0.append("held") }
        }
        let disarmed = watchdog.arm(at: start.advanced(by: .milliseconds(1))) {
            fired.withLock { $0.append("disarmed") }
        }
        watchdog.disarm(disarmed)
        watchdog.disarm(disarmed)  // twice is harmless
        _ = watchdog.arm(at: start.advanced(by: .milliseconds(2))) { fired.withLock { $0.append("armed") } }
        hold.signal()
        #expect(try await eventually { fired.current.count == 2 })
        try await Task.sleep(for: .milliseconds(5))
        #expect(fired.current == ["held", "armed"])
    }

    /// Thousands of requests finish long before their deadline: the disarmed ones are dropped in
    /// bulk, and a later, earlier deadline still fires on time.
    @Test func manyDisarmedDeadlinesDoNotDelayALiveOne() async throws {
        let watchdog = Watchdog()
        for _ in 0..<5_000 {
            watchdog.disarm(watchdog.arm(after: .seconds(3_600)) {})
        }
        let fired = Locked(false)
        _ = watchdog.arm(after: .milliseconds(10)) { fired.withLock { $0 = true } }
        #expect(try await eventually { fired.current })
    }
}
