import Foundation

/// Where an account stands against a provider's rate limits, as the provider's headers said:
/// requests (and, for providers that count them, tokens) allowed in a window and left in it.
///
/// ```swift
/// let status = RateLimitStatus(limitRequests: 600, remainingRequests: 12, window: .seconds(60))
/// if let left = status.remainingRequests, left < 20 { print("slow down: \(left) requests left") }
/// ```
///
/// A provider's client fills it on the errors it throws (``MediaGenError/rateLimit``) when the
/// answer carried the headers, and offers a reader for a middleware to watch it on every answer
/// (Skytells: `SkytellsRateLimit.status(in:)`). A value the provider left out, or wrote as `-`
/// (not configured), is `nil`. The figures are the provider's estimate, informational only.
public struct RateLimitStatus: Hashable, Sendable {
    /// Requests allowed in the current window.
    public var limitRequests: Int?
    /// Requests left in the current window.
    public var remainingRequests: Int?
    /// The window's length.
    public var window: Duration?
    /// Input tokens allowed in the window.
    public var limitTokensIn: Int?
    /// Input tokens left in the window.
    public var remainingTokensIn: Int?
    /// Output tokens allowed in the window.
    public var limitTokensOut: Int?
    /// Output tokens left in the window.
    public var remainingTokensOut: Int?

    public init(
        limitRequests: Int? = nil,
        remainingRequests: Int? = nil,
        window: Duration? = nil,
        limitTokensIn: Int? = nil,
        remainingTokensIn: Int? = nil,
        limitTokensOut: Int? = nil,
        remainingTokensOut: Int? = nil
    ) {
        self.limitRequests = limitRequests
        self.remainingRequests = remainingRequests
        self.window = window
        self.limitTokensIn = limitTokensIn
        self.remainingTokensIn = remainingTokensIn
        self.limitTokensOut = limitTokensOut
        self.remainingTokensOut = remainingTokensOut
    }

    /// Whether any figure is known.
    public var isEmpty: Bool {
        self == RateLimitStatus()
    }

    /// A header's count: a whole number of at most 18 digits (no sign, no spaces around it inside),
    /// or `nil` for a missing value, `-`, or anything else a server might send.
    package static func count(_ text: String?) -> Int? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.count <= 18,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }
}
