import Dispatch
import Foundation
import MediaGenCore
import Testing

/// The download session's delegate queue: the callback queue that makes URLSession wait (and so
/// stop reading) while a download's chunks are not yet written.
@Suite("BoundedDelegateQueue")
struct BoundedDelegateQueueTests {
    /// With `limit` callbacks waiting, the next `addOperation` returns only after one has run.
    @Test func addingWaitsWhileTheLimitIsReached() {
        let queue = BoundedDelegateQueue(label: "test.bounded", limit: 2)
        let gate = DispatchSemaphore(value: 0)
        let events = Locked<[String]>([])
        queue.addOperation {
            gate.wait()
            events.withLock { $0.append("first ran") }
        }
        queue.addOperation { events.withLock { $0.append("second ran") } }

        let thirdAdded = DispatchSemaphore(value: 0)
        Thread {
            queue.addOperation { events.withLock { $0.append("third ran") } }
            events.withLock { $0.append("third added") }
            thirdAdded.signal()
        }.start()
        // Both places are taken and the first callback is held: the third add must wait.
        #expect(thirdAdded.wait(timeout: .now() + .milliseconds(5)) == .timedOut)
        gate.signal()
        #expect(thirdAdded.wait(timeout: .now() + .seconds(10)) == .success)
        queue.waitUntilAllOperationsAreFinished()

        let log = events.current
        #expect(log.filter { $0.hasSuffix("ran") } == ["first ran", "second ran", "third ran"])
        let firstRan = log.firstIndex(of: "first ran") ?? .max
        let thirdAddedAt = log.firstIndex(of: "third added") ?? -1
        #expect(firstRan < thirdAddedAt, "\(log)")
    }

    /// A callback that adds another to its own queue must not wait for itself.
    @Test func aCallbackMayAddToItsOwnQueueWhenItIsFull() {
        let queue = BoundedDelegateQueue(label: "test.bounded.reentrant", limit: 1)
        let done = DispatchSemaphore(value: 0)
        queue.addOperation {
            queue.addOperation { done.signal() }
        }
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
    }

    @Test func callbacksRunOneAtATimeInOrder() {
        let queue = BoundedDelegateQueue(label: "test.bounded.order", limit: 4)
        let events = Locked<[Int]>([])
        let running = Locked(0)
        let overlaps = Locked(0)
        for index in 0..<200 {
            queue.addOperation {
                if running.withLock({ count -> Int in
                    count += 1
                    return count
                }) > 1 {
                    overlaps.withLock { $0 += 1 }
                }
                events.withLock { $0.append(index) }
                running.withLock { $0 -= 1 }
            }
        }
        queue.waitUntilAllOperationsAreFinished()
        #expect(events.current == Array(0..<200))
        #expect(overlaps.current == 0)
    }
}
