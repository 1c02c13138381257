import Foundation

/// The download session's delegate queue: serial, on a Dispatch queue of its own, and bounded.
///
/// On Linux, URLSession's network queue hands every chunk it reads (16 KiB at most) to the
/// delegate queue with `addOperation` and reads on. Here `addOperation` waits while `limit`
/// callbacks are already waiting to run, so when the disk or a progress handler is slower than the
/// network, URLSession stops reading the socket and TCP slows the server down, instead of chunks
/// piling up in memory. A call made from one of this queue's own callbacks never waits: it would
/// be waiting for itself.
package final class BoundedDelegateQueue: OperationQueue, @unchecked Sendable {
    // Safe: every stored property is set in `init` and never changed; `DispatchSemaphore`,
    // `DispatchQueue` and `DispatchSpecificKey` may be used from any thread.
    private let slots: DispatchSemaphore
    private let dispatchQueue: DispatchQueue
    private let marker = DispatchSpecificKey<Bool>()

    package init(label: String, limit: Int) {
        slots = DispatchSemaphore(value: max(1, limit))
        dispatchQueue = DispatchQueue(label: label)
        super.init()
        dispatchQueue.setSpecific(key: marker, value: true)
        name = label
        maxConcurrentOperationCount = 1
        // Not retained by the operation queue: `dispatchQueue` keeps it alive.
        underlyingQueue = dispatchQueue
    }

    override package func addOperation(_ block: @escaping @Sendable () -> Void) {
        guard DispatchQueue.getSpecific(key: marker) == nil else {
            super.addOperation(block)
            return
        }
        slots.wait()
        let slots = self.slots
        super.addOperation {
            block()
            slots.signal()
        }
    }
}
