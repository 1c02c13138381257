import MediaGenCore

/// A fal app id, `{owner}/{alias}` with an optional sub-path (`fal-ai/whisper/stems`). The
/// documented app is a static member; any other id works too, as a string literal.
///
/// ```swift
/// let music: FalAppID = .beatovenMusicGeneration
/// let other: FalAppID = "fal-ai/stable-audio/turbo"
/// print(other.queueApp)                      // fal-ai/stable-audio
/// print(music.descriptor?.kind ?? .music)    // music
/// ```
///
/// A request is submitted to the whole id, but fal files it under `{owner}/{alias}` alone: status,
/// result and cancel URLs drop the sub-path, and so does ``queueApp``.
public struct FalAppID: StringIdentifier {
    public let rawValue: String

    /// An app id such as `"beatoven/music-generation"`.
    ///
    /// ```swift
    /// let app = FalAppID(rawValue: "beatoven/music-generation")
    /// ```
    public init(rawValue: String) { self.rawValue = rawValue }

    /// An app id from text.
    ///
    /// ```swift
    /// let app = FalAppID(arguments.first ?? "beatoven/music-generation")
    /// ```
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// An app id written as a literal.
    ///
    /// ```swift
    /// let app: FalAppID = "fal-ai/stable-audio"
    /// ```

    /// Beatoven's music generation: royalty-free instrumental music from a text prompt, 5–150 s,
    /// 44.1 kHz stereo WAV. Its price is not published.
    ///
    /// ```swift
    /// let request = try await fal.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
    /// ```
    public static let beatovenMusicGeneration = FalAppID(rawValue: "beatoven/music-generation")

    /// The id's path segments: owner, alias, then any sub-path.
    ///
    /// ```swift
    /// FalAppID("fal-ai/whisper/stems").segments  // ["fal-ai", "whisper", "stems"]
    /// ```
    public var segments: [String] {
        rawValue.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// `{owner}/{alias}`: the part of the id that fal's request URLs use.
    ///
    /// ```swift
    /// FalAppID("fal-ai/whisper/stems").queueApp  // "fal-ai/whisper"
    /// ```
    public var queueApp: String {
        segments.prefix(2).joined(separator: "/")
    }

    /// The catalog entry, when the app is documented.
    ///
    /// ```swift
    /// FalAppID.beatovenMusicGeneration.descriptor?.price  // nil: not published
    /// ```
    public var descriptor: ModelDescriptor? { FalCatalog.descriptor(for: self) }

    /// The segments, checked: an owner and an alias at least, with nothing that could climb out
    /// of the app's path.
    func checkedSegments() throws(MediaGenError) -> [String] {
        let parts = segments
        guard parts.count >= 2 else {
            throw .invalidInput(
                "app",
                "a fal app id is {owner}/{alias}[/{path}], such as beatoven/music-generation; got \"\(rawValue)\"",
                provider: .fal)
        }
        for part in parts {
            try RequestValidation.checkPathSegment(part, field: "app", provider: .fal)
            // fal's own rule: the id is a path, never a query or a fragment.
            if part.contains("?") || part.contains("#") {
                throw .invalidInput("app", "\"\(part)\" cannot be part of an app id (\(rawValue))", provider: .fal)
            }
        }
        return parts
    }
}
