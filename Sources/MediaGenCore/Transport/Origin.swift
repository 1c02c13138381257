import Foundation

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
