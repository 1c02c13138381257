import Foundation
import MediaGenCore

/// Beatra's music models as its music-generation documentation gives them: a flat price per task
/// in credits, and how many clips a task returns.
///
/// ```swift
/// for model in BeatraCatalog.models {
///     print(model.displayName, model.price!, model.outputsPerTask)
/// }
/// // Suno 5.5 80 Beatra credits (≈ $0.08) per task 2
/// // MiniMax Music 2.6 50 Beatra credits (≈ $0.05) per task 1
/// print(BeatraCatalog.credits.unitsPerUSD!)  // 1000
/// ```
///
/// Prices are in Beatra credits, at the documented default rate of 1000 credits per US dollar, so a
/// dollar `Budget` counts a Suno task as $0.08. Beatra publishes no typical generation time: the
/// models' latency is `nil` and tasks are polled with ``pollingPolicy``.
public enum BeatraCatalog {
    /// Beatra credits, at the documented default rate of 1000 per US dollar.
    public static let credits = Currency.credits("Beatra credits", perUSD: creditsPerUSD)

    /// The documented default rate (the USD references in task billing are display-only).
    public static let creditsPerUSD: Decimal = 1000

    /// How Beatra tasks are followed when no policy is given.
    ///
    /// Beatra publishes no generation time, so this is Core's policy for unknown latency, chosen on
    /// purpose: a first look after 2 s (a bad reference URL or a refused prompt fails fast), then
    /// waits growing 1.5× up to 30 s, for at most an hour. A task of one to three minutes — what
    /// hosted music models usually take — costs about 8 to 12 polls.
    public static let pollingPolicy = PollingPolicy.default

    public static let models: [ModelDescriptor] = [
        music(.suno55, "Suno 5.5", credits: 80, clips: 2),
        music(.minimaxMusic26, "MiniMax Music 2.6", credits: 50, clips: 1),
    ]

    /// The entry for `id`, or `nil` for a model the documents do not list.
    public static func descriptor(for id: BeatraModelID) -> ModelDescriptor? {
        models.first { $0.id == id.rawValue }
    }

    private static func music(_ id: BeatraModelID, _ name: String, credits amount: Int, clips: Int) -> ModelDescriptor {
        ModelDescriptor(
            id: id.rawValue,
            provider: .beatra,
            displayName: name,
            kind: .music,
            // A flat price per task, whatever the number of clips.
            price: Price(Money(Decimal(amount), credits), per: .task),
            typicalLatency: nil,
            outputsPerTask: clips,
            summary: "Music from a prompt, lyrics or reference audio; \(clips) clip\(clips == 1 ? "" : "s") per task"
        )
    }
}
