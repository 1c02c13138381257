import Foundation

/// Reads a `Retry-After` header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
package enum RetryAfter {
    /// The wait the value asks for, measured from `now`; `nil` when the value is not understood.
    /// A date in the past means "retry now".
    package static func parse(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) {
            return duration(seconds: seconds)
        }
        guard let date = httpDate(text) else { return nil }
        return duration(seconds: max(0, date.timeIntervalSince(now)))
    }

    /// The longest wait a provider can ask for: about 31 years, as good as forever. A longer one is
    /// cut to it, since `Int64` milliseconds (and `Duration.components`) trap beyond ~10¹⁵ seconds.
    package static let longest: Double = 1e9

    /// A wait of `seconds` (finite and not negative, else `nil`), capped at ``longest``.
    package static func duration(seconds: Double) -> Duration? {
        guard seconds.isFinite, seconds >= 0 else { return nil }
        return .milliseconds(Int64((min(seconds, longest) * 1000).rounded()))
    }

    // IMF-fixdate first (the only one servers should send), then the two obsolete forms that
    // recipients must still accept.
    private static let formats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy",
    ]

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        let collapsed = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        for format in formats {
            formatter.dateFormat = format
            if let date = formatter.date(from: collapsed) { return date }
        }
        return nil
    }
}
