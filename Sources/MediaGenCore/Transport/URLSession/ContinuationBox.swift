import Foundation

/// Hands a completion handler's result to the continuation registered just before the task starts,
/// or keeps a result that arrives first (a task cancelled before it started completes at once).
final class ContinuationBox: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<HTTPResponse, any Error>)
        case finished(Result<HTTPResponse, any Error>)
        case done
    }

    private let state = Locked<State>(.empty)

    func set(_ continuation: CheckedContinuation<HTTPResponse, any Error>) {
        let early: Result<HTTPResponse, any Error>? = state.withLock { state in
            if case .finished(let result) = state {
                state = .done
                return result
            }
            state = .waiting(continuation)
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Whether a result has been given (the caller has it, or will as soon as it waits).
    var isSettled: Bool {
        state.withLock { state in
            switch state {
            case .empty, .waiting: false
            case .finished, .done: true
            }
        }
    }

    /// Runs `body` unless a result has been given, holding off any result until it returns: for
    /// work whose effect the caller must not find after it has stopped waiting (a file put in
    /// place after a cancelled download was cleaned up). `nil` when it did not run.
    func whileWaiting<T>(_ body: () -> T) -> T? {
        state.withLock { state in
            switch state {
            case .empty, .waiting: body()
            case .finished, .done: nil
            }
        }
    }

    func resume(with result: Result<HTTPResponse, any Error>) {
        let waiting: CheckedContinuation<HTTPResponse, any Error>? = state.withLock { state in
            switch state {
            case .empty:
                state = .finished(result)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .finished, .done:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}
