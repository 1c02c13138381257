import Foundation

/// Runs an action when a deadline passes unless it was disarmed first: the per-request deadline
/// of ``URLSessionTransport``.
///
/// One background thread serves every deadline of the process from a heap. Arming one takes a
/// lock and a heap insert — no Swift task, no timer source — which matters because nearly every
/// request is disarmed long before its deadline: a task group racing each request against a
/// sleeping child cost two task creations, two thread wake-ups and a timer per call.
package final class Watchdog: @unchecked Sendable {
    // Safe: every stored property below is read and written only while `condition` is locked;
    // actions run after it is unlocked.

    /// An armed deadline. Disarm it with ``Watchdog/disarm(_:)`` once the guarded work is over.
    package final class Deadline: @unchecked Sendable {
        // Safe: `action` is guarded by the owning watchdog's `condition`, as above.
        fileprivate let instant: ContinuousClock.Instant
        fileprivate var action: (@Sendable () -> Void)?

        fileprivate init(instant: ContinuousClock.Instant, action: @escaping @Sendable () -> Void) {
            self.instant = instant
            self.action = action
        }
    }

    package static let shared = Watchdog()

    private let condition = NSCondition()
    private var heap: [Deadline] = []
    private var disarmedInHeap = 0
    private var threadStarted = false

    package init() {}
    private let clock = ContinuousClock()

    /// Calls `action` on the watchdog's thread once `timeout` has passed, unless disarmed before.
    package func arm(after timeout: Duration, _ action: @escaping @Sendable () -> Void) -> Deadline {
        arm(at: clock.now.advanced(by: timeout), action)
    }

    /// Calls `action` on the watchdog's thread once `instant` has passed, unless disarmed before;
    /// deadlines that have all passed run in the order of their instants.
    package func arm(at instant: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> Deadline {
        let deadline = Deadline(instant: instant, action: action)
        condition.lock()
        defer { condition.unlock() }
        if !threadStarted {
            threadStarted = true
            let thread = Thread { [self] in run() }
            thread.name = "MediaGenKit watchdog"
            thread.start()
        }
        push(deadline)
        // Only a new earliest deadline needs the thread awake; with equal timeouts, that is rare.
        if heap.first === deadline { condition.signal() }
        return deadline
    }

    /// Cancels `deadline`'s action; it is dropped from the heap lazily, or all at once when most
    /// of the heap is disarmed deadlines.
    package func disarm(_ deadline: Deadline) {
        condition.lock()
        defer { condition.unlock() }
        guard deadline.action != nil else { return }
        deadline.action = nil
        disarmedInHeap += 1
        if disarmedInHeap > 64, disarmedInHeap * 2 > heap.count {
            let live = heap.filter { $0.action != nil }
            heap.removeAll(keepingCapacity: true)
            for entry in live { push(entry) }
            disarmedInHeap = 0
        }
    }

    private func run() {
        condition.lock()
        while true {
            guard let first = heap.first else {
                condition.wait()
                continue
            }
            guard first.action != nil else {
                popFirst()
                disarmedInHeap -= 1
                continue
            }
            let remaining = clock.now.duration(to: first.instant)
            if remaining > .zero {
                _ = condition.wait(until: Date(timeIntervalSinceNow: remaining.seconds))
                continue
            }
            popFirst()
            let action = first.action
            first.action = nil
            condition.unlock()
            action?()
            condition.lock()
        }
    }

    // MARK: - The heap, ordered by instant

    private func push(_ deadline: Deadline) {
        heap.append(deadline)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].instant < heap[parent].instant else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func popFirst() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].instant < heap[smallest].instant { smallest = left }
            if right < heap.count, heap[right].instant < heap[smallest].instant { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
