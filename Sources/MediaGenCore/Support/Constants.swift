import Foundation

extension URL {
    /// A URL from a literal the SDK itself defines (a provider's documented base URL).
    package static func constant(_ text: StaticString) -> URL {
        guard let url = URL(string: "\(text)") else {
            // Unreachable from input: only string literals written in this package reach here,
            // and each is exercised by the tests of the module that declares it.
            preconditionFailure("invalid URL literal \(text)")
        }
        return url
    }
}

/// Timestamps as providers send them.
package enum Timestamp {
    /// An ISO 8601 date-time, with or without fractional seconds; `nil` when unreadable.
    package static func date(fromISO8601 text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
