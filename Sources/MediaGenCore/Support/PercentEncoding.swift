import Foundation

/// Percent-encoding for URL parts. Foundation's `URLComponents.queryItems` leaves `+` as is, which
/// servers read as a space, so a webhook URL such as `https://app/hook?a=1+2` would arrive broken:
/// everything outside RFC 3986's unreserved set is encoded here.
package enum PercentEncoding {
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    /// Encodes one path segment or query name/value.
    package static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `a=1&b=x%2By`, in the given order.
    package static func query(_ items: [(name: String, value: String)]) -> String {
        items.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }
}
