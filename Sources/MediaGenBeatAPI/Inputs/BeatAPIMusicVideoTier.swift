import MediaGenCore

/// A music-video tier (`mv_tier`): `standard` (BeatAPI's default, the seed's behaviour) or
/// `premium`, each with its own fields and limits.
///
/// ```swift
/// var input = MusicVideoInput(imageURLs: [cover], audioURL: song)
/// input.tier = .premium
/// input.premiumMode = .sing
/// input.lipReferences = [.url(face)]
/// print(input.tier?.audioSeconds ?? MusicVideoInput.standardAudioSeconds)   // 10...300
/// ```
///
/// Standard takes 1–7 images and songs of 10–180 s, and alone takes `language`, `quality`,
/// `lip_sync` with `lip_ref_url`, `srt_url` and `compose_mode`. Premium takes a ``BeatAPIMusicVideoMode``,
/// songs of 10–300 s with vocals, is fixed to 720p, and uses `lip_ref_urls` for its sing modes.
public struct BeatAPIMusicVideoTier: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The tier a request without `mv_tier` gets.
    public static let standard = BeatAPIMusicVideoTier(rawValue: "standard")
    public static let premium = BeatAPIMusicVideoTier(rawValue: "premium")

    public static let known: [BeatAPIMusicVideoTier] = [.standard, .premium]

    /// How long the song (and the `duration` billing fallback) may be, in seconds.
    public var audioSeconds: ClosedRange<Int> { self == .premium ? 10...300 : 10...180 }
}

/// A premium music video's performance mode (`mv_mode`).
///
/// ```swift
/// input.premiumMode = .dance      // exactly six scene images
/// input.premiumMode = .singPerform  // 0–6 scene images and 1–2 lip references
/// ```
public struct BeatAPIMusicVideoMode: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Lip-synced singing: 0–6 scene images, 1–2 `lip_ref_urls`.
    public static let sing = BeatAPIMusicVideoMode(rawValue: "sing")
    /// Singing and performing: 0–6 scene images, 1–2 `lip_ref_urls`.
    public static let singPerform = BeatAPIMusicVideoMode(rawValue: "sing_perform")
    /// Dancing: exactly 6 scene images.
    public static let dance = BeatAPIMusicVideoMode(rawValue: "dance")
    /// Performing: exactly 6 scene images.
    public static let perform = BeatAPIMusicVideoMode(rawValue: "perform")

    public static let known: [BeatAPIMusicVideoMode] = [.sing, .singPerform, .dance, .perform]

    /// Whether the mode sings, and so needs `lip_ref_urls`.
    var sings: Bool { self == .sing || self == .singPerform }
}

/// A standard music video's generation quality (`quality`); `high` is not offered at 540p.
///
/// ```swift
/// input.quality = .high
/// input.resolution = .p1080
/// ```
public struct BeatAPIMusicVideoQuality: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// BeatAPI's default.
    public static let standard = BeatAPIMusicVideoQuality(rawValue: "standard")
    public static let high = BeatAPIMusicVideoQuality(rawValue: "high")

    public static let known: [BeatAPIMusicVideoQuality] = [.standard, .high]
}

/// How a standard music video is finished (`compose_mode`): `auto` composes the final video;
/// `manual` stops at `requires_action` so that shots can be reviewed or edited first.
///
/// ```swift
/// input.composeMode = .manual
/// ```
public struct BeatAPIComposeMode: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// BeatAPI's default.
    public static let auto = BeatAPIComposeMode(rawValue: "auto")
    public static let manual = BeatAPIComposeMode(rawValue: "manual")

    public static let known: [BeatAPIComposeMode] = [.auto, .manual]
}
