import Foundation
import MediaGenCore

/// The input of `beatoven/music-generation` (fal's published schema).
///
/// ```swift
/// var input = BeatovenInput(prompt: "Jazz music for a late-night restaurant setting",
///                           duration: .seconds(45))
/// input.negativePrompt = "noise"
/// input.seed = 7
/// let request = try await fal.createRequest(.beatovenMusicGeneration, input: input)
/// ```
///
/// Checked before sending: a prompt that is not blank, a duration of 5–150 s (fractions allowed:
/// fal takes float seconds), a finite creativity. Unset fields are left out, so fal applies its
/// documented defaults: no negative prompt, 90 s, refinement 100, creativity 16, a random seed.
public struct BeatovenInput: Hashable, Sendable, Encodable {
    /// What the music should be: style, mood, use, instruments.
    public var prompt: String
    /// What to avoid (instruments, styles, moods).
    public var negativePrompt: String?
    /// The track's length, 5–150 s; fal's default is 90 s.
    public var duration: Duration?
    /// Higher may improve quality but takes longer; fal's default is 100.
    public var refinement: Int?
    /// Higher allows a freer reading of the prompt; fal's default is 16.
    public var creativity: Double?
    /// For reproducible results; random when unset.
    public var seed: Int?

    /// fal's default length, when ``duration`` is unset.
    public static let defaultDuration: Duration = .seconds(90)
    /// fal's default refinement, when ``refinement`` is unset.
    public static let defaultRefinement = 100
    /// fal's default creativity, when ``creativity`` is unset.
    public static let defaultCreativity: Double = 16

    /// An input; only the prompt is required.
    ///
    /// ```swift
    /// let input = BeatovenInput(prompt: "Classical piano melody with gentle strings", duration: .seconds(30))
    /// ```
    public init(
        prompt: String,
        negativePrompt: String? = nil,
        duration: Duration? = nil,
        refinement: Int? = nil,
        creativity: Double? = nil,
        seed: Int? = nil
    ) {
        self.prompt = prompt
        self.negativePrompt = negativePrompt
        self.duration = duration
        self.refinement = refinement
        self.creativity = creativity
        self.seed = seed
    }

    /// Throws `.invalidRequest(field:reason:)`, naming the wire field, for an input fal would refuse.
    ///
    /// ```swift
    /// try BeatovenInput(prompt: "  ").validate()  // throws: invalid value for `prompt`
    /// ```
    public func validate() throws(MediaGenError) {
        try Self.requirePrompt(prompt)
        if let duration {
            try Self.checkDuration(seconds: Self.seconds(duration))
        }
        if let creativity, !creativity.isFinite {
            throw .invalidInput("creativity", "must be a finite number, got \(creativity)", provider: .fal)
        }
    }

    /// The duration as fal's float seconds.
    var durationSeconds: Double? { duration.map(Self.seconds) }

    private enum CodingKeys: String, CodingKey {
        case prompt, duration, refinement, creativity, seed
        case negativePrompt = "negative_prompt"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prompt, forKey: .prompt)
        try container.encodeIfPresent(negativePrompt, forKey: .negativePrompt)
        try container.encodeIfPresent(durationSeconds, forKey: .duration)
        try container.encodeIfPresent(refinement, forKey: .refinement)
        try container.encodeIfPresent(creativity, forKey: .creativity)
        try container.encodeIfPresent(seed, forKey: .seed)
    }

    // MARK: - Rules shared with untyped JSON inputs

    /// The same schema, for a `JSONValue` input sent to the app: types as documented.
    static func validate(json object: [String: JSONValue]) throws(MediaGenError) {
        guard let prompt = object["prompt"] else {
            throw .invalidInput("prompt", "describe the music; the prompt is required", provider: .fal)
        }
        guard let text = prompt.stringValue else {
            throw .invalidInput("prompt", "must be a string", provider: .fal)
        }
        try requirePrompt(text)
        if let negative = object["negative_prompt"], negative.stringValue == nil, negative != .null {
            throw .invalidInput("negative_prompt", "must be a string", provider: .fal)
        }
        for field in ["duration", "creativity"] {
            guard let value = object[field], value != .null else { continue }
            guard let number = value.decimalValue else {
                throw .invalidInput(field, "must be a number", provider: .fal)
            }
            if field == "duration" { try checkDuration(seconds: number.nearestDouble) }
        }
        for field in ["refinement", "seed"] {
            guard let value = object[field], value != .null else { continue }
            guard value.intValue != nil else {
                throw .invalidInput(field, "must be an integer", provider: .fal)
            }
        }
    }

    private static func requirePrompt(_ prompt: String) throws(MediaGenError) {
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidInput("prompt", "describe the music; the prompt is required", provider: .fal)
        }
    }

    private static func checkDuration(seconds: Double) throws(MediaGenError) {
        let range = FalCatalog.beatovenDurations
        guard seconds.isFinite, seconds >= Self.seconds(range.lowerBound), seconds <= Self.seconds(range.upperBound)
        else {
            throw .invalidInput(
                "duration", "Beatoven makes 5–150 s of music, got \(Self.text(seconds: seconds)) s", provider: .fal)
        }
    }

    /// `30` rather than `30.0`; `12.5` as is.
    static func text(seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int64(seconds)) : String(seconds)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
