import Foundation
import MediaGenCore

/// The Skytells music and video models, as Skytells' BeatFusion and video guides give them: price per prediction,
/// typical generation time, accepted inputs.
///
/// ```swift
/// for model in SkytellsCatalog.models where model.kind == .video {
///     print(model.displayName, model.price!, model.typicalLatency!)
/// }
/// ```
///
/// BeatFusion's typical generation time is not published, so its tasks use the default polling
/// pace. Video durations are documented as "3–30 s depending on model" without the per-model
/// figures, so every video model accepts 3–30 s here and the API has the last word.
public enum SkytellsCatalog {
    /// Aspect ratios the video models accept.
    public static let aspectRatios = ["16:9", "9:16", "1:1", "4:3"]
    /// Frame rates the video models accept: 24 (cinematic) or 30 (smooth).
    public static let frameRates = [24, 30]
    /// BeatFusion's output length range.
    public static let musicDurations: ClosedRange<Duration> = .seconds(5)...(.seconds(120))
    /// The video models' output length range.
    public static let videoDurations: ClosedRange<Duration> = .seconds(3)...(.seconds(30))

    public static let models: [ModelDescriptor] = [
        music(.beatFusion2, "BeatFusion 2.0", cents: 75, summary: "High quality; production use, music"),
        music(.beatFusion1, "BeatFusion 1.0", cents: 45, summary: "Standard quality; prototyping, ambient audio"),
        video(
            .trueFusionVideoPro, "TrueFusion Video Pro", cents: 150, seconds: 60...60, summary: "Best Skytells quality"),
        video(.trueFusionVideo, "TrueFusion Video", cents: 80, seconds: 45...45, summary: "Standard, faster"),
        video(.mera, "Mera", cents: 200, seconds: 120...300, summary: "Cinematic quality"),
        video(.lumo, "Lumo", cents: 120, seconds: 60...60, summary: "Artistic, stylized"),
        video(.lipFusion, "LipFusion", cents: 60, seconds: 30...60, kind: .lipSync, summary: "Lip-sync (face + audio)"),
        video(.veo31, "Veo 3.1", cents: 300, seconds: 120...240, summary: "Google Veo quality"),
        video(.sora2, "Sora 2", cents: 250, seconds: 120...180, summary: "OpenAI Sora style"),
    ]

    /// The entry for `id`, or `nil` for a model the documents do not list.
    public static func descriptor(for id: SkytellsModelID) -> ModelDescriptor? {
        models.first { $0.id == id.rawValue }
    }

    private static func music(_ id: SkytellsModelID, _ name: String, cents: Int, summary: String) -> ModelDescriptor {
        ModelDescriptor(
            id: id.rawValue,
            provider: .skytells,
            displayName: name,
            kind: .music,
            price: Price(.usd(cents: cents), per: .task),
            typicalLatency: nil,
            durationRange: musicDurations,
            summary: summary
        )
    }

    private static func video(
        _ id: SkytellsModelID,
        _ name: String,
        cents: Int,
        seconds: ClosedRange<Int64>,
        kind: ModelKind = .video,
        summary: String
    ) -> ModelDescriptor {
        ModelDescriptor(
            id: id.rawValue,
            provider: .skytells,
            displayName: name,
            kind: kind,
            price: Price(.usd(cents: cents), per: .task),
            typicalLatency: .seconds(seconds.lowerBound)...(.seconds(seconds.upperBound)),
            durationRange: videoDurations,
            aspectRatios: aspectRatios,
            frameRates: frameRates,
            summary: summary
        )
    }
}
