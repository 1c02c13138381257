/// The version of MediaGenKit, sent in every request's `User-Agent`.
///
/// ```swift
/// print(MediaGenKitVersion.current)  // "0.1.0"
/// ```
public enum MediaGenKitVersion {
    /// The semantic version of this build of the SDK.
    public static let current = "0.1.0"

    /// The `User-Agent` value for requests made on behalf of `provider`.
    package static func userAgent(for provider: Provider) -> String {
        "MediaGenKit/\(current) (\(provider.rawValue))"
    }
}
