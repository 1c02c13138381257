import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `URLSession` made the first time it is used, and invalidated with its transport.
///
/// Most transports only ever `send`, and each session holds resources for as long as it lives —
/// on Linux, FoundationNetworking's libcurl multi handle and a socket pair — so the transport's
/// sessions of downloads with progress and of streamed answers are made only when one is asked for.
final class OnDemandSession: Sendable {
    private let make: @Sendable () -> URLSession
    private let made = Locked<URLSession?>(nil)

    init(_ make: @escaping @Sendable () -> URLSession) {
        self.make = make
    }

    /// The session, made now if this is the first time.
    var session: URLSession {
        made.withLock { made in
            if let session = made { return session }
            let session = make()
            made = session
            return session
        }
    }

    /// Lets the session's tasks finish, then invalidates it; nothing if it was never made.
    func finishTasksAndInvalidate() {
        made.withLock { $0 }?.finishTasksAndInvalidate()
    }
}
