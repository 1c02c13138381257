import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A URL's origin: scheme, host and port, as browsers compare them (RFC 6454). Credentials belong to
/// one origin; a request to another — even the same host over `http`, or on another port — is
/// another party.
package struct Origin: Hashable, Sendable, CustomStringConvertible {
    package let scheme: String
    package let host: String
    package let port: Int

    /// `nil` for a URL without a scheme or host (a file URL, a relative path).
    package init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty else {
            return nil
        }
        guard let port = url.port ?? Self.defaultPorts[scheme] else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    private static let defaultPorts = ["http": 80, "https": 443]

    package var description: String {
        Self.defaultPorts[scheme] == port ? "\(scheme)://\(host)" : "\(scheme)://\(host):\(port)"
    }
}

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

/// The delegate of the transport's session of completion-handler tasks: it only vets redirects.
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
}
