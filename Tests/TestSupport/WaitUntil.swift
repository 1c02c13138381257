import Foundation
import MediaGenCore

/// Waits until `condition` holds, checking every 2 ms, for tests that must act at a moment another
/// task reaches (a request handed to the transport, a task created at the emulator). Fails with
/// an error after `timeout`: a hang guard, generous because a busy machine running the whole suite
/// on two cores can starve the waiting task for tens of seconds.
public func waitUntil(
    timeout: Duration = .seconds(120),
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            throw TransportError(.timedOut, "waitUntil: the condition did not hold within \(timeout)")
        }
        try await Task.sleep(for: .milliseconds(2))
    }
}
