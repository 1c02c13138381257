/// Names a hosted media API. Each provider module adds its own static member.
///
/// ```swift
/// import MediaGenSkytells
///
/// let error: MediaGenError = …
/// if error.provider == .skytells { … }
/// ```
///
/// Core knows no provider by name: `MediaGenSkytells` declares `Provider.skytells`, and so on,
/// so a new provider needs no change here.
public struct Provider: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// A stable lowercase identifier, such as `"skytells"`.
    public let rawValue: String
    /// The name people know the provider by, such as `"Skytells"`.
    public let displayName: String
    /// The environment variable that holds this provider's API key, if it has one.
    public let apiKeyEnvironmentVariable: String?

    public init(rawValue: String) {
        self.init(rawValue, displayName: rawValue, apiKeyEnvironmentVariable: nil)
    }

    /// Creates a provider name.
    public init(_ rawValue: String, displayName: String, apiKeyEnvironmentVariable: String?) {
        self.rawValue = rawValue
        self.displayName = displayName
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
    }

    public var description: String { displayName }

    // Identity is the raw value alone: two values naming the same provider are equal even if one
    // was decoded from a persisted handle and carries no display name.
    public static func == (lhs: Provider, rhs: Provider) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
