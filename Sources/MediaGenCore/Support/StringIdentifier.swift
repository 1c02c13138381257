/// A name from a provider's open set — a model id, an app id, a status, an event type — written as
/// a string literal, with the documented names as static members.
///
/// ```swift
/// struct Voice: StringIdentifier {
///     let rawValue: String
///     init(rawValue: String) { self.rawValue = rawValue }
///
///     static let narrator = Voice(rawValue: "narrator-1")
/// }
/// let voice: Voice = "narrator-2"   // a name the provider added later works too
/// print(voice, Voice.narrator)      // narrator-2 narrator-1
/// ```
///
/// A conforming type writes only its `rawValue` and `init(rawValue:)`: the literal, the
/// description (the raw value) and `Codable` (a bare JSON string) come from here, so every
/// provider's identifiers behave alike.
public protocol StringIdentifier: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
where RawValue == String, StringLiteralType == String {
    init(rawValue: String)
}

extension StringIdentifier {
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public var description: String { rawValue }
}
