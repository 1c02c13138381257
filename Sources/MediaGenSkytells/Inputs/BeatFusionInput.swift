import Foundation
import MediaGenCore

/// The input of Skytells' BeatFusion music models (Skytells' BeatFusion guide).
///
/// ```swift
/// var input = BeatFusionInput(prompt: "Cinematic orchestral score, strings and brass, 80 BPM",
///                             duration: .seconds(30))
/// input.key = "D minor"
/// input.seed = 42
/// let prediction = try await skytells.createPrediction(.beatFusion2, input: input)
/// ```
///
/// Checked before sending: a prompt; a whole-second duration of 5–120 s; a tempo of 20–300 BPM; a
/// key written as a note and a mode (`"C major"`, `"F# minor"`, `"Bb"`). The tempo and key rules
/// are this SDK's reading of the documents, which give no bounds.
public struct BeatFusionInput: SkytellsInput, Hashable {
    /// What the music should sound like: genre, instruments, mood, tempo, use.
    public var prompt: String
    /// The track's length, 5–120 s.
    public var duration: Duration
    /// For reproducible results.
    public var seed: Int?
    /// Beats per minute.
    public var bpm: Int?
    /// Musical key, such as `"C major"`.
    public var key: String?
    /// Lyrics to sing, as the official client passes them.
    public var lyrics: String?

    public init(
        prompt: String,
        duration: Duration = .seconds(30),
        seed: Int? = nil,
        bpm: Int? = nil,
        key: String? = nil,
        lyrics: String? = nil
    ) {
        self.prompt = prompt
        self.duration = duration
        self.seed = seed
        self.bpm = bpm
        self.key = key
        self.lyrics = lyrics
    }

    public static let tempoRange = 20...300

    public var requestedDuration: Duration? { duration }

    public func validate(for model: SkytellsModelID) throws(MediaGenError) {
        try InputRules.require([.music], for: model, input: "BeatFusionInput")
        try InputRules.requirePrompt(prompt)
        _ = try InputRules.seconds(duration, in: SkytellsCatalog.musicDurations, model: model.rawValue)
        if let bpm, !Self.tempoRange.contains(bpm) {
            throw .invalidInput(
                "bpm", "must be \(Self.tempoRange.lowerBound)–\(Self.tempoRange.upperBound), got \(bpm)",
                provider: .skytells)
        }
        if let key, !Self.isMusicalKey(key) {
            throw .invalidInput(
                "key", "write a note and a mode, such as \"C major\" or \"F# minor\"; got \"\(key)\"",
                provider: .skytells)
        }
    }

    private static func isMusicalKey(_ text: String) -> Bool {
        let pattern = #"^[A-Ga-g](#|b|♯|♭)?(\s*(major|minor|maj|min|m))?$"#
        return text.trimmingCharacters(in: .whitespaces).range(
            of: pattern, options: [.regularExpression, .caseInsensitive]) != nil
    }

    private enum CodingKeys: String, CodingKey {
        case prompt, seed, bpm, key, lyrics
        case duration = "duration_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(duration.components.seconds, forKey: .duration)
        try container.encodeIfPresent(seed, forKey: .seed)
        try container.encodeIfPresent(bpm, forKey: .bpm)
        try container.encodeIfPresent(key, forKey: .key)
        try container.encodeIfPresent(lyrics, forKey: .lyrics)
    }
}
