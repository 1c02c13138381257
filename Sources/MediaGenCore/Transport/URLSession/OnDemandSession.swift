import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `URLSession` made the first time it is used (on Linux), and invalidated with its transport.
///
/// Most transports only ever `send`, and on Linux each session holds FoundationNetworking's
/// libcurl multi handle and a socket pair for as long as it lives, so the transport's other
/// sessions are made only when one is asked for. On Apple platforms they are made at once
/// (``init(made:)``).
final class OnDemandSession: Sendable {
    private enum State {
        case pending(@Sendable () -> URLSession)
        case made(URLSession)
    }

    private let state: Locked<State>

    /// A session `make` makes when it is first used.
    init(_ make: @escaping @Sendable () -> URLSession) {
        state = Locked(.pending(make))
    }

    /// A session made already.
    init(made session: URLSession) {
        state = Locked(.made(session))
    }

    /// The session, made now if this is the first time.
    var session: URLSession {
        state.withLock { state in
            switch state {
            case .made(let session):
                return session
            case .pending(let make):
                let session = make()
                state = .made(session)
                return session
            }
        }
    }

    /// Lets the session's tasks finish, then invalidates it; nothing if it was never made.
    func finishTasksAndInvalidate() {
        let made: URLSession? = state.withLock { state in
            if case .made(let session) = state { session } else { nil }
        }
        made?.finishTasksAndInvalidate()
    }
}
