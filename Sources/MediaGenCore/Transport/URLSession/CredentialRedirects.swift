import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Redirects keep credentials on their origin. `URLSession` copies every header of a request onto
/// the redirected one, wherever it points (on Linux as on Apple platforms): a provider's answer —
/// or a hijacked host — could send the API key anywhere with a 3xx. Each transport delegate hands
/// its redirects here.
enum CredentialRedirects {
    /// `proposed`, without any credential header when it leaves the origin of `original`.
    static func follow(_ proposed: URLRequest, from original: URLRequest?) -> URLRequest {
        let from = original?.url.flatMap(Origin.init)
        let to = proposed.url.flatMap(Origin.init)
        guard from == nil || from != to else { return proposed }
        var stripped = proposed
        for name in (proposed.allHTTPHeaderFields ?? [:]).keys where HTTPHeaders.isSensitive(name) {
            stripped.setValue(nil, forHTTPHeaderField: name)
        }
        return stripped
    }
}

/// The delegate of the transport's session of completion-handler tasks: it vets redirects and
/// refuses authentication challenges.
final class RedirectGuard: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(CredentialRedirects.follow(request, from: task.originalRequest))
    }

    /// Refused (``AuthenticationChallenges``): the SDK's credentials are headers.
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        AuthenticationChallenges.refuse(challenge, for: task, completionHandler: completionHandler)
    }
}
