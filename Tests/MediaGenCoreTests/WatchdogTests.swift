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

    @Test func firesEachArmedDeadlineOnceInOrder() async throws {
        let watchdog = Watchdog()
        let fired = Locked<[Int]>([])
        for (order, milliseconds) in [(2, 30), (0, 5), (1, 15)] {
            _ = watchdog.arm(after: .milliseconds(milliseconds)) { fired.withLock { $0.append(order) } }
        }
        #expect(try await eventually { fired.current.count == 3 })
        try await Task.sleep(for: .milliseconds(20))
        #expect(fired.current == [0, 1, 2])
    }

    @Test func aDisarmedDeadlineNeverFires() async throws {
        let watchdog = Watchdog()
        let fired = Locked<[String]>([])
        let disarmed = watchdog.arm(after: .milliseconds(5)) { fired.withLock { $0.append("disarmed") } }
        watchdog.disarm(disarmed)
        watchdog.disarm(disarmed)  // twice is harmless
        _ = watchdog.arm(after: .milliseconds(20)) { fired.withLock { $0.append("armed") } }
        #expect(try await eventually { fired.current == ["armed"] })
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
