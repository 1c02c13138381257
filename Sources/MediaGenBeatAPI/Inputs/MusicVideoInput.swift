import Foundation
import MediaGenCore

/// The body of `POST /v1/music-video/tasks`: a song and reference media, in BeatAPI's standard or
/// premium tier (`mv_tier`), each with its own fields and limits.
///
/// ```swift
/// var input = MusicVideoInput(
///     imageURLs: [URL(string: "https://cdn.example.com/singer-reference.png")!],
///     audioURL: URL(string: "https://cdn.example.com/song-preview.mp3")!,
///     prompt: "Neon rooftop performance with metro cutaways and cinematic light trails.",
///     language: .english)
/// input.resolution = .p1080
/// input.quality = .high
/// let task = try await beatAPI.createTask(input)
///
/// // Premium: a mode, and lip references for the sing modes; local files are uploaded first.
/// var premium = MusicVideoInput(images: [], audio: .file(URL(fileURLWithPath: "song.mp3")))
/// premium.tier = .premium
/// premium.premiumMode = .sing
/// premium.lipReferences = [.file(URL(fileURLWithPath: "face.png"))]
/// ```
///
/// Checked before anything is sent or uploaded, each failure naming its field, as BeatAPI's
/// published description states the rules:
/// - every URL public HTTPS (not `http:`, not a loopback, private or link-local address — unless the
///   client allows a test host); local files readable and of the right kind;
/// - standard: 1–7 `images`; `language` `en` or `zh`; `quality` `standard` or `high`;
///   `lip_sync` needs `lip_ref_url`; `srt_url` names an `.srt` file; `compose_mode` `auto` or
///   `manual`; 540p takes neither `quality=high` nor `lip_sync`; no `mv_mode` or `lip_ref_urls`;
/// - premium: an `mv_mode`; `sing` and `sing_perform` take 0–6 `images` and 1–2 `lip_ref_urls`,
///   `dance` and `perform` exactly 6 `images`; 720p only; none of the standard-only fields;
/// - `prompt` (optional) at most 3000 characters; `aspect_ratio` one of `1:1`, `16:9`, `9:16`,
///   `4:3`, `3:4`; `subtitle_color` six hex digits; `duration` (the billing fallback, used only when
///   BeatAPI cannot measure the song) whole seconds within the tier's song limits, 10–180 s or 10–300 s.
///
/// The song's own length (the same 10–180 s or 10–300 s) is measured by BeatAPI. For a local song
/// the client reads BeatAPI's measure from the upload and refuses the create before sending it; a
/// song given as a URL is measured, and refused when out of limits, by BeatAPI itself.
public struct MusicVideoInput: Hashable, Sendable {
    /// `nil` sends no `mv_tier`, which BeatAPI reads as ``BeatAPIMusicVideoTier/standard``.
    public var tier: BeatAPIMusicVideoTier?
    /// Premium only (`mv_mode`), and required there.
    public var premiumMode: BeatAPIMusicVideoMode?
    /// Scene images, as public HTTPS URLs or local files to upload; primary subject first.
    public var images: [FileSource]
    /// The song, as a public HTTPS URL or a local file to upload.
    public var audio: FileSource
    /// The creative direction (optional, at most 3000 characters).
    public var prompt: String?
    /// Standard only: the dialogue and lyric language (`en` or `zh`).
    public var language: BeatAPILanguage?
    /// `nil` sends none: BeatAPI uses 720p (premium allows only 720p).
    public var resolution: BeatAPIResolution?
    /// Standard only; `nil` lets BeatAPI use `standard`.
    public var quality: BeatAPIMusicVideoQuality?
    /// A concise visual style (`cinematic`, `anime`).
    public var style: String?
    /// `1:1`, `16:9`, `9:16`, `4:3` or `3:4`.
    public var aspectRatio: String?
    /// Standard only (`lip_sync`); `true` needs ``lipReference``.
    public var lipSync: Bool?
    /// Standard only (`lip_ref_url`): a clear, front-facing close-up of the face to lip-sync.
    public var lipReference: FileSource?
    /// Premium sing modes only (`lip_ref_urls`): one or two front-facing close-ups.
    public var lipReferences: [FileSource]
    /// Burns subtitles into the video (`add_subtitle`).
    public var subtitles: Bool?
    /// The subtitle colour as six hex digits (`"#FFFFFF"`).
    public var subtitleColor: String?
    /// Standard only (`srt_url`): an `.srt` subtitle file.
    public var subtitleFile: FileSource?
    /// Standard only; `.manual` stops at `requires_action` before composing.
    public var composeMode: BeatAPIComposeMode?
    /// The billing fallback (`duration`), used only when BeatAPI cannot measure the song.
    public var billingDuration: Duration?
    /// More body fields, sent as given. They may not repeat a field above.
    public var additionalFields: [String: JSONValue]

    public init(
        images: [FileSource],
        audio: FileSource,
        prompt: String? = nil,
        language: BeatAPILanguage? = nil,
        resolution: BeatAPIResolution? = nil,
        additionalFields: [String: JSONValue] = [:]
    ) {
        self.images = images
        self.audio = audio
        self.prompt = prompt
        self.language = language
        self.resolution = resolution
        self.lipReferences = []
        self.additionalFields = additionalFields
    }

    /// An input whose media are all URLs BeatAPI fetches itself.
    public init(
        imageURLs: [URL],
        audioURL: URL,
        prompt: String? = nil,
        language: BeatAPILanguage? = nil,
        resolution: BeatAPIResolution? = nil,
        additionalFields: [String: JSONValue] = [:]
    ) {
        self.init(
            images: imageURLs.map(FileSource.url), audio: .url(audioURL), prompt: prompt, language: language,
            resolution: resolution, additionalFields: additionalFields)
    }

    /// The most characters `prompt` may have.
    public static let maxPromptCharacters = 3000
    /// The aspect ratios BeatAPI documents for music videos.
    public static let aspectRatios = ["1:1", "16:9", "9:16", "4:3", "3:4"]

    static let imageSlot = InputSourceRule.Slot(field: "images", family: "image")
    static let audioSlot = InputSourceRule.Slot(field: "audio_url", family: "audio")
    static let lipReferenceSlot = InputSourceRule.Slot(field: "lip_ref_url", family: "image")
    static let lipReferencesSlot = InputSourceRule.Slot(field: "lip_ref_urls", family: "image")
    static let subtitleSlot = InputSourceRule.Slot(field: "srt_url", family: nil)
    static let typedFields: Set<String> = [
        "mv_tier", "mv_mode", "images", "audio_url", "prompt", "language", "resolution", "quality", "style",
        "aspect_ratio", "lip_sync", "lip_ref_url", "lip_ref_urls", "add_subtitle", "subtitle_color", "srt_url",
        "compose_mode", "duration",
    ]

    /// The tier BeatAPI applies: ``tier``, or standard when none is sent.
    public var effectiveTier: BeatAPIMusicVideoTier { tier ?? .standard }

    /// Checks the input as the client does before sending; `allowedTestHosts` as the client's.
    ///
    /// ```swift
    /// var input = MusicVideoInput(imageURLs: [cover], audioURL: song)
    /// input.resolution = .p540
    /// input.quality = .high
    /// try input.validate()   // throws .invalidRequest(field: "resolution", …)
    /// ```
    public func validate(allowedTestHosts: Set<String> = []) throws(MediaGenError) {
        try validate(InputSourceRule(allowedTestHosts: allowedTestHosts))
    }

    func validate(_ rule: InputSourceRule) throws(MediaGenError) {
        if let tier, !BeatAPIMusicVideoTier.known.contains(tier) {
            throw Self.refusal("mv_tier", "BeatAPI offers the tiers standard and premium; got \"\(tier)\"")
        }
        if effectiveTier == .premium { try validatePremium() } else { try validateStandard() }
        for image in images { try Self.checkMedia(image, for: Self.imageSlot, rule) }
        try Self.checkMedia(audio, for: Self.audioSlot, rule)
        if let lipReference { try Self.checkMedia(lipReference, for: Self.lipReferenceSlot, rule) }
        for reference in lipReferences { try Self.checkMedia(reference, for: Self.lipReferencesSlot, rule) }
        if let subtitleFile {
            try rule.check(subtitleFile, for: Self.subtitleSlot)
            guard Self.namesSubtitleFile(subtitleFile) else {
                throw Self.refusal("srt_url", "must point to an .srt subtitle file; got \(subtitleFile.fileName)")
            }
        }
        try validateShared()
        try AdditionalFields.check(additionalFields, against: Self.typedFields)
    }

    private func validateStandard() throws(MediaGenError) {
        if premiumMode != nil { throw Self.premiumOnly("mv_mode") }
        if !lipReferences.isEmpty { throw Self.premiumOnly("lip_ref_urls") }
        guard (1...7).contains(images.count) else {
            throw Self.refusal("images", "the standard tier takes 1–7 scene images; got \(images.count)")
        }
        if let language {
            try language.validate()
            guard [BeatAPILanguage.english, .chinese].contains(language) else {
                throw Self.refusal("language", "BeatAPI's music videos speak en or zh; got \"\(language)\"")
            }
        }
        try resolution?.validate()
        if let quality, !BeatAPIMusicVideoQuality.known.contains(quality) {
            throw Self.refusal("quality", "BeatAPI offers the qualities standard and high; got \"\(quality)\"")
        }
        if let composeMode, !BeatAPIComposeMode.known.contains(composeMode) {
            throw Self.refusal("compose_mode", "BeatAPI composes auto or manual; got \"\(composeMode)\"")
        }
        if resolution == .p540, quality == .high {
            throw Self.refusal("resolution", "quality=high is not offered at 540p: choose 720p or 1080p")
        }
        if resolution == .p540, lipSync == true {
            throw Self.refusal("resolution", "lip_sync is not offered at 540p: choose 720p or 1080p")
        }
        if lipSync == true, lipReference == nil {
            throw Self.refusal("lip_ref_url", "lip_sync needs lip_ref_url: a front-facing close-up of the face")
        }
    }

    private func validatePremium() throws(MediaGenError) {
        let standardOnly: [(String, Bool)] = [
            ("language", language != nil), ("quality", quality != nil), ("lip_sync", lipSync != nil),
            ("lip_ref_url", lipReference != nil), ("srt_url", subtitleFile != nil),
            ("compose_mode", composeMode != nil),
        ]
        for (field, isSet) in standardOnly where isSet {
            throw Self.refusal(field, "\(field) is a standard-tier field; the premium tier does not take it")
        }
        if let resolution, resolution != .p720 {
            throw Self.refusal("resolution", "the premium tier is fixed to 720p; got \"\(resolution)\"")
        }
        guard let premiumMode else {
            throw Self.refusal("mv_mode", "the premium tier needs a mode: sing, sing_perform, dance or perform")
        }
        guard BeatAPIMusicVideoMode.known.contains(premiumMode) else {
            throw Self.refusal(
                "mv_mode", "BeatAPI's premium modes are sing, sing_perform, dance and perform; got \"\(premiumMode)\"")
        }
        if premiumMode.sings {
            guard images.count <= 6 else {
                throw Self.refusal("images", "\(premiumMode) takes at most 6 scene images; got \(images.count)")
            }
            guard (1...2).contains(lipReferences.count) else {
                throw Self.refusal(
                    "lip_ref_urls", "\(premiumMode) needs 1–2 lip references; got \(lipReferences.count)")
            }
        } else {
            guard images.count == 6 else {
                throw Self.refusal("images", "\(premiumMode) takes exactly 6 scene images; got \(images.count)")
            }
            guard lipReferences.isEmpty else {
                throw Self.refusal(
                    "lip_ref_urls", "\(premiumMode) takes no lip references; they are for the sing modes")
            }
        }
    }

    private func validateShared() throws(MediaGenError) {
        if let prompt {
            guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Self.refusal("prompt", "the prompt is empty; leave it nil to send none")
            }
            // JSON Schema's maxLength counts code points.
            guard prompt.unicodeScalars.count <= Self.maxPromptCharacters else {
                throw Self.refusal(
                    "prompt",
                    "at most \(Self.maxPromptCharacters) characters; got \(prompt.unicodeScalars.count)")
            }
        }
        if let aspectRatio, !Self.aspectRatios.contains(aspectRatio) {
            throw Self.refusal(
                "aspect_ratio", "BeatAPI takes \(Self.aspectRatios.joined(separator: ", ")); got \"\(aspectRatio)\"")
        }
        if let subtitleColor, subtitleColor.range(of: #"^#?[0-9A-Fa-f]{6}$"#, options: .regularExpression) == nil {
            throw Self.refusal("subtitle_color", "six hexadecimal digits such as \"#FFFFFF\"; got \"\(subtitleColor)\"")
        }
        if let billingDuration {
            let limits = effectiveTier.audioSeconds
            let seconds = billingDuration.components.seconds
            guard billingDuration.components.attoseconds == 0, seconds >= limits.lowerBound,
                seconds <= limits.upperBound
            else {
                throw Self.refusal(
                    "duration",
                    "the \(effectiveTier) tier bills \(limits.lowerBound)–\(limits.upperBound) whole seconds; got \(billingDuration)"
                )
            }
        }
    }

    /// Refuses a song BeatAPI measured (an upload's `audio_duration_seconds`) outside the tier's limits.
    func checkSongLength(_ seconds: Decimal) throws(MediaGenError) {
        let limits = effectiveTier.audioSeconds
        guard seconds >= Decimal(limits.lowerBound), seconds <= Decimal(limits.upperBound) else {
            throw Self.refusal(
                "audio_url",
                "BeatAPI measured the song at \(seconds) s; the \(effectiveTier) tier takes \(limits.lowerBound)–\(limits.upperBound) s"
            )
        }
    }

    /// The media types BeatAPI's description accepts for a music video's images and song.
    static let acceptedTypes: [String: Set<String>] = [
        "image": ["image/png", "image/jpeg", "image/webp"],
        "audio": ["audio/mpeg", "audio/wav", "audio/x-wav", "audio/aac", "audio/mp4"],
    ]
    /// "each image should be 50 MB or smaller"; "the audio file should be 50 MB or smaller".
    static let maxFileBytes: Int64 = 50 * 1024 * 1024

    /// A source checked by `rule`; a local one also of a type BeatAPI accepts and at most 50 MB
    /// (a URL's file is BeatAPI's to check when it fetches it).
    static func checkMedia(
        _ source: FileSource, for slot: InputSourceRule.Slot, _ rule: InputSourceRule
    ) throws(MediaGenError) {
        try rule.check(source, for: slot)
        if case .url = source { return }
        let type = source.contentType.lowercased()
        if let family = slot.family, let accepted = acceptedTypes[family], !accepted.contains(type) {
            throw refusal(
                slot.field,
                "BeatAPI takes \(accepted.sorted().joined(separator: ", ")) here; \(source.fileName) is \(type)")
        }
        let bytes: Int64? =
            switch source {
            case .data(let data, _, _): Int64(data.count)
            case .file(let url, _):
                (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
            case .url: nil
            }
        if let bytes, bytes > maxFileBytes {
            throw refusal(slot.field, "\(source.fileName) is \(bytes) bytes; BeatAPI takes files of at most 50 MB")
        }
    }

    private static func namesSubtitleFile(_ source: FileSource) -> Bool {
        switch source {
        case .url(let url): url.pathExtension.lowercased() == "srt"
        case .file, .data: source.fileName.lowercased().hasSuffix(".srt")
        }
    }

    private static func refusal(_ field: String, _ reason: String) -> MediaGenError {
        .invalidInput(field, reason, provider: .beatAPI)
    }

    private static func premiumOnly(_ field: String) -> MediaGenError {
        refusal(field, "\(field) is a premium-tier field: set tier = .premium, or leave it out")
    }

    /// Every media source in the order ``body(urls:)`` reads their URLs.
    var sources: [FileSource] {
        images + [audio] + lipReferences + [lipReference, subtitleFile].compactMap { $0 }
    }

    /// The JSON body, given ``sources`` as URL strings, in order.
    func body(urls: [String]) -> JSONValue {
        var remaining = urls[...]
        func take(_ count: Int) -> [JSONValue] {
            let taken = remaining.prefix(count).map(JSONValue.string)
            remaining = remaining.dropFirst(count)
            return taken
        }
        var body = additionalFields
        body["images"] = .array(take(images.count))
        body["audio_url"] = take(1).first ?? .string("")
        if !lipReferences.isEmpty { body["lip_ref_urls"] = .array(take(lipReferences.count)) }
        if lipReference != nil { body["lip_ref_url"] = take(1).first }
        if subtitleFile != nil { body["srt_url"] = take(1).first }
        if let tier { body["mv_tier"] = .string(tier.rawValue) }
        if let premiumMode { body["mv_mode"] = .string(premiumMode.rawValue) }
        if let prompt { body["prompt"] = .string(prompt) }
        if let language { body["language"] = .string(language.rawValue) }
        if let resolution { body["resolution"] = .string(resolution.rawValue) }
        if let quality { body["quality"] = .string(quality.rawValue) }
        if let style { body["style"] = .string(style) }
        if let aspectRatio { body["aspect_ratio"] = .string(aspectRatio) }
        if let lipSync { body["lip_sync"] = .bool(lipSync) }
        if let subtitles { body["add_subtitle"] = .bool(subtitles) }
        if let subtitleColor { body["subtitle_color"] = .string(subtitleColor) }
        if let composeMode { body["compose_mode"] = .string(composeMode.rawValue) }
        if let billingDuration { body["duration"] = .number(Decimal(billingDuration.components.seconds)) }
        return .object(body)
    }
}

/// Extra body fields must not shadow the typed ones (which would send two different values for
/// one field, depending on encoding order).
enum AdditionalFields {
    static func check(_ fields: [String: JSONValue], against typed: Set<String>) throws(MediaGenError) {
        for name in fields.keys.sorted() {
            guard !name.isEmpty else {
                throw .invalidInput("additionalFields", "a field name is empty", provider: .beatAPI)
            }
            guard !typed.contains(name) else {
                throw .invalidInput(
                    name, "set `\(name)` through its own property, not additionalFields", provider: .beatAPI)
            }
        }
    }
}
