import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// HTTP authentication challenges, which the SDK always refuses: its credentials are headers
/// (`x-api-key`, `Authorization`), never a `URLCredential`.
///
/// A 401 with `WWW-Authenticate: Basic …` — from a gateway in front of a provider, say — becomes a
/// challenge. Answered with the default handling and no stored credential, FoundationNetworking
/// then neither sends again nor completes the task: the call waited for its whole timeout and
/// ended `.timedOut` (an unknown outcome, for a create), where the provider had refused it. So
/// every session delegate of the transport refuses the challenge (which ends the task as
/// cancelled), after noting the 401 here; ``URLSessionTransport/run(_:box:)`` finds it when the
/// task fails and returns the 401 instead, without a body: the executor reads it as
/// `.authentication`.
enum AuthenticationChallenges {
    /// 401s whose challenge was refused, until their task's failure is read. The task itself is
    /// the key (held strongly, so that its identity cannot pass to another task meanwhile). A
    /// task whose caller had stopped waiting is never read: only the last `kept` are kept.
    private static let kept = 64
    private static let refused = Locked<[(task: URLSessionTask, response: HTTPURLResponse)]>([])

    /// Refuses `challenge`, noting its 401 for `task`.
    ///
    /// From another thread: the refusal cancels the task, and `URLSessionTask.cancel()` waits for
    /// FoundationNetworking's work queue, on which a delegate's callbacks may be running
    /// (``InlineDelegateQueue``).
    static func refuse(
        _ challenge: URLAuthenticationChallenge,
        for task: URLSessionTask,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        if let response = challenge.failureResponse as? HTTPURLResponse {
            refused.withLock { refused in
                if refused.count >= kept { refused.removeFirst() }
                refused.append((task, response))
            }
        }
        DispatchQueue.global().async { completionHandler(.cancelAuthenticationChallenge, nil) }
    }

    /// The 401 whose challenge ended `task`, if one did; forgotten once read.
    static func response(thatEnded task: URLSessionTask) -> HTTPResponse? {
        let response: HTTPURLResponse? = refused.withLock { refused in
            guard let index = refused.firstIndex(where: { $0.task === task }) else { return nil }
            return refused.remove(at: index).response
        }
        return response.map {
            HTTPResponse(status: $0.statusCode, headers: URLSessionTransport.headers(of: $0), body: Data())
        }
    }
}
