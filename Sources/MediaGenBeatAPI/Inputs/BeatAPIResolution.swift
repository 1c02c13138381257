import MediaGenCore

/// An output resolution. BeatAPI documents `540p`, `720p` and `1080p`; any other value is refused
/// before sending.
///
/// ```swift
/// var input = MusicVideoInput(imageURLs: [cover], audioURL: song, prompt: "Neon rooftop", language: .english)
/// input.resolution = .p1080
/// input.resolution = "720p"          // the API reference's value, as a literal
/// let parsed = try BeatAPIResolution.parse("1080p")   // from a command line
/// ```
public struct BeatAPIResolution: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let p540 = BeatAPIResolution(rawValue: "540p")
    /// The API reference's example resolution.
    public static let p720 = BeatAPIResolution(rawValue: "720p")
    public static let p1080 = BeatAPIResolution(rawValue: "1080p")

    /// The documented set.
    public static let known: [BeatAPIResolution] = [.p540, .p720, .p1080]

    /// The resolution named `text` (`"720p"`, also `"720P"`), or `.invalidRequest(field: "resolution")`.
    public static func parse(_ text: String) throws(MediaGenError) -> BeatAPIResolution {
        let resolution = BeatAPIResolution(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
        try resolution.validate()
        return resolution
    }

    /// Throws `.invalidRequest(field: "resolution")` unless this is one of the documented values.
    func validate() throws(MediaGenError) {
        guard Self.known.contains(self) else {
            throw .invalidInput(
                "resolution",
                "BeatAPI accepts \(Self.known.map(\.rawValue).joined(separator: ", ")); got \"\(rawValue)\"",
                provider: .beatAPI)
        }
    }
}
