import Foundation

/// A value guarded by a lock, for the few places where state must be read synchronously
/// from several tasks (clocks, recording transports, counters).
///
/// `Synchronization.Mutex` would do, but it needs macOS 15 / iOS 18 and we support older systems.
package final class Locked<Value>: @unchecked Sendable {
    // Safe: `value` is only touched inside `withLock`, which holds `lock` for the whole access,
    // and `Value` is required to be `Sendable` by every initializer below.
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) where Value: Sendable {
        self.value = value
    }

    @discardableResult
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    package var current: Value {
        withLock { $0 }
    }
}
