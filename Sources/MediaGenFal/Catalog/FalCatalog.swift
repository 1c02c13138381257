import MediaGenCore

/// The fal apps this SDK supports, as fal's app pages document them: what they make, what they
/// accept, what they cost.
///
/// ```swift
/// let beatoven = FalCatalog.models[0]
/// print(beatoven.price ?? "price unknown")       // price unknown
/// print(beatoven.durationRange ?? .seconds(0)...(.seconds(0)))  // 5 s ... 150 s
/// ```
///
/// No document gives a price or a typical generation time for `beatoven/music-generation`: both
/// stay `nil`. Its tasks are therefore polled with `PollingPolicy.default`; a client with a
/// `Budget` asks fal's Platform API for the price (``FalClient/estimateCost(of:input:)``) and,
/// when fal publishes none either, refuses the submit unless the budget allows unknown prices.
public enum FalCatalog {
    /// Beatoven's accepted output lengths: 5 s to 2.5 min.
    public static let beatovenDurations: ClosedRange<Duration> = .seconds(5)...(.seconds(150))

    /// Every documented app, as a model descriptor.
    ///
    /// ```swift
    /// for model in FalCatalog.models { print(model) }
    /// ```
    public static let models: [ModelDescriptor] = [
        ModelDescriptor(
            id: FalAppID.beatovenMusicGeneration.rawValue,
            provider: .fal,
            displayName: "Beatoven Music Generation",
            kind: .music,
            price: nil,
            typicalLatency: nil,
            durationRange: beatovenDurations,
            outputsPerTask: 1,
            summary:
                "Royalty-free instrumental music from a text prompt (44.1 kHz stereo WAV); commercial use allowed"
        )
    ]

    /// The entry for `app` (its sub-path ignored), or `nil` for an app the documents do not list.
    ///
    /// ```swift
    /// FalCatalog.descriptor(for: "beatoven/music-generation")?.kind  // .music
    /// ```
    public static func descriptor(for app: FalAppID) -> ModelDescriptor? {
        models.first { $0.id == app.rawValue } ?? models.first { $0.id == app.queueApp }
    }
}
