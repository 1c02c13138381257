import Foundation
import MediaGenCore

/// The output language of a video, which BeatAPI requires to be explicit for music videos.
///
/// ```swift
/// let input = MusicVideoInput(imageURLs: [cover], audioURL: song,
///                             prompt: "Neon rooftop performance", language: .english)
/// let chinese: BeatAPILanguage = "zh"
/// ```
///
/// The API reference's example is `"en"`; BeatAPI's published description lists `en` and `zh`. Any value
/// shaped like a language code (`"en"`, `"pt-BR"`) is sent, so a language BeatAPI adds works
/// without an update; an empty or malformed one is refused before sending.
public struct BeatAPILanguage: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `"en"`, the API reference's example.
    public static let english = BeatAPILanguage(rawValue: "en")
    /// `"zh"`.
    public static let chinese = BeatAPILanguage(rawValue: "zh")

    /// Throws `.invalidRequest(field: "language")` unless this looks like a language code.
    func validate() throws(MediaGenError) {
        let pattern = #"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"#
        guard rawValue.range(of: pattern, options: .regularExpression) != nil else {
            throw .invalidInput(
                "language",
                "give the output language explicitly as a language code such as \"en\" or \"zh\"; got \"\(rawValue)\"",
                provider: .beatAPI)
        }
    }
}
