import Foundation
import MediaGenCore

/// The input of Skytells' video models (Skytells' video guide), LipFusion's face and audio included.
///
/// ```swift
/// let input = SkytellsVideoInput(
///     prompt: "A golden retriever running through autumn leaves, slow motion, cinematic, 4K",
///     duration: .seconds(5), aspectRatio: .landscape, fps: 24)
/// let prediction = try await skytells.createPrediction(.trueFusionVideoPro, input: input)
///
/// let lipSync = SkytellsVideoInput.lipSync(face: faceURL, audio: voiceURL, prompt: "natural, subtle head motion")
/// ```
///
/// Checked before sending: a prompt; a whole-second duration within the model's range (3–30 s); a
/// frame rate of 24 or 30; LipFusion needs a face and an audio URL, and only LipFusion takes them.
/// The face and audio travel as `face` and `audio` URL fields: the documents name the inputs
/// ("face + audio") but not their keys.
public struct SkytellsVideoInput: SkytellsInput, Hashable {
    /// The documented aspect ratios.
    public enum AspectRatio: String, Hashable, Sendable, CaseIterable, Codable {
        case landscape = "16:9"
        case portrait = "9:16"
        case square = "1:1"
        case standard = "4:3"
    }

    /// Describe the video, with motion and camera cues.
    public var prompt: String
    public var duration: Duration?
    public var aspectRatio: AspectRatio?
    /// 24 (cinematic) or 30 (smooth).
    public var fps: Int?
    /// What to avoid in the video.
    public var negativePrompt: String?
    /// LipFusion: the face to animate (a public URL).
    public var face: URL?
    /// LipFusion: the audio to lip-sync to (a public URL).
    public var audio: URL?

    public init(
        prompt: String,
        duration: Duration? = nil,
        aspectRatio: AspectRatio? = nil,
        fps: Int? = nil,
        negativePrompt: String? = nil,
        face: URL? = nil,
        audio: URL? = nil
    ) {
        self.prompt = prompt
        self.duration = duration
        self.aspectRatio = aspectRatio
        self.fps = fps
        self.negativePrompt = negativePrompt
        self.face = face
        self.audio = audio
    }

    /// An input for LipFusion.
    public static func lipSync(face: URL, audio: URL, prompt: String, duration: Duration? = nil) -> SkytellsVideoInput {
        SkytellsVideoInput(prompt: prompt, duration: duration, face: face, audio: audio)
    }

    public var requestedDuration: Duration? { duration }

    public func validate(for model: SkytellsModelID) throws(MediaGenError) {
        try InputRules.require([.video, .lipSync], for: model, input: "SkytellsVideoInput")
        try InputRules.requirePrompt(prompt)
        if let duration {
            let range = model.descriptor?.durationRange ?? SkytellsCatalog.videoDurations
            _ = try InputRules.seconds(duration, in: range, model: model.rawValue)
        }
        if let fps, !SkytellsCatalog.frameRates.contains(fps) {
            throw .invalidInput("fps", "must be 24 (cinematic) or 30 (smooth), got \(fps)", provider: .skytells)
        }
        if model == .lipFusion {
            try Self.requirePublicURL(face, field: "face")
            try Self.requirePublicURL(audio, field: "audio")
        } else if model.descriptor != nil, face != nil || audio != nil {
            let field = face != nil ? "face" : "audio"
            throw .invalidInput(
                field, "only lipfusion takes a face and an audio track, not \(model)", provider: .skytells)
        }
    }

    private static func requirePublicURL(_ url: URL?, field: String) throws(MediaGenError) {
        guard let url else {
            throw .invalidInput(field, "lipfusion needs a \(field) URL", provider: .skytells)
        }
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else {
            throw .invalidInput(
                field, "must be a public http(s) URL the provider can fetch, got \(url.absoluteString)",
                provider: .skytells)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case prompt, fps, face, audio
        case duration = "duration_seconds"
        case aspectRatio = "aspect_ratio"
        case negativePrompt = "negative_prompt"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prompt, forKey: .prompt)
        try container.encodeIfPresent(duration?.components.seconds, forKey: .duration)
        try container.encodeIfPresent(aspectRatio, forKey: .aspectRatio)
        try container.encodeIfPresent(fps, forKey: .fps)
        try container.encodeIfPresent(negativePrompt, forKey: .negativePrompt)
        try container.encodeIfPresent(face, forKey: .face)
        try container.encodeIfPresent(audio, forKey: .audio)
    }
}
