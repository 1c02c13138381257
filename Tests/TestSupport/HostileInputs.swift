import MediaGenCore

/// Ids that must never reach a URL path: empty or blank (a list endpoint), `.` and `..` with or
/// without surrounding whitespace (a relative step to the parent resource), and control characters.
public let hostileIDs: [String] = [
    "", " ", "\t", ".", "..", " .. ", " . ", "\u{3000}..", "a\r\nX-Injected: 1", "a\u{0}b", "a\nb", "\u{7F}",
    "a\u{85}b",
]

/// Header values that could end their header line and inject another, or cut it short.
public let hostileHeaderValues: [String] = [
    "a\r\nX-Injected: 1", "a\nX-Injected: 1", "a\rb", "a\u{0}b", "a\u{1B}[31m", "a\u{7F}", "\r\n", "\u{0B}",
]

/// Header names that are not RFC 9110 tokens.
public let hostileHeaderNames: [String] = [
    "", " ", "X Bad", "X-Bad:", "X-A\r\nX-Injected", "X-\u{0}", "Ünïcode", "(x)",
]

extension MediaGenError {
    /// The field an `.invalidRequest` error names; `nil` for every other kind.
    public var refusedField: String? { kind.field }
}
