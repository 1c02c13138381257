import Foundation
import MediaGenCore

/// The body of `POST /v1/ecommerce-video/tasks`: product images and a short brief.
///
/// ```swift
/// var input = EcommerceVideoInput(imageURLs: [URL(string: "https://cdn.example.com/bottle.png")!])
/// input.prompt = "Launch ad for a reusable water bottle, bright and upbeat"
/// input.duration = .seconds(15)
/// input.aspectRatio = "9:16"
/// let task = try await beatAPI.createTask(input)
/// ```
///
/// Checked before anything is sent or uploaded, each failure naming its field, as BeatAPI's
/// published description (`createEcommerceVideoTask`) states the rules:
/// - `images`: the primary product or scene image first, then up to six more (1–7), each a public
///   HTTPS URL or a local PNG, JPEG or WebP file of at most 50 MB (uploaded first);
/// - `duration`: required, whole seconds from 10 to 60 — what BeatAPI bills;
/// - `prompt` (optional): not blank, at most 2000 characters;
/// - `aspect_ratio` (optional): `16:9`, `9:16` or `1:1`;
/// - `language` (optional): `en` or `zh`.
///
/// The description lists no `resolution` for this workflow; one given is checked against the
/// documented resolutions and sent, for BeatAPI to judge. Other fields go in ``additionalFields``.
public struct EcommerceVideoInput: Hashable, Sendable {
    /// Product images, as public HTTPS URLs or local files to upload: 1–7, the primary one first.
    public var images: [FileSource]
    /// The creative brief: at most 2000 characters.
    public var prompt: String?
    /// The dialogue and narration language: `en` or `zh`.
    public var language: BeatAPILanguage?
    public var resolution: BeatAPIResolution?
    /// The video's length, in whole seconds from 10 to 60. Required: the create is refused without it.
    public var duration: Duration?
    /// `"16:9"`, `"9:16"` or `"1:1"`.
    public var aspectRatio: String?
    /// More body fields, sent as given. They may not repeat a field above.
    public var additionalFields: [String: JSONValue]

    public init(
        images: [FileSource],
        prompt: String? = nil,
        language: BeatAPILanguage? = nil,
        resolution: BeatAPIResolution? = nil,
        duration: Duration? = nil,
        aspectRatio: String? = nil,
        additionalFields: [String: JSONValue] = [:]
    ) {
        self.images = images
        self.prompt = prompt
        self.language = language
        self.resolution = resolution
        self.duration = duration
        self.aspectRatio = aspectRatio
        self.additionalFields = additionalFields
    }

    /// An input whose images are URLs BeatAPI fetches itself.
    public init(
        imageURLs: [URL],
        prompt: String? = nil,
        language: BeatAPILanguage? = nil,
        resolution: BeatAPIResolution? = nil,
        duration: Duration? = nil,
        aspectRatio: String? = nil,
        additionalFields: [String: JSONValue] = [:]
    ) {
        self.init(
            images: imageURLs.map(FileSource.url), prompt: prompt, language: language, resolution: resolution,
            duration: duration, aspectRatio: aspectRatio, additionalFields: additionalFields)
    }

    /// How many product images BeatAPI takes: the primary one and up to six more.
    public static let imageCount = 1...7
    /// How long an ecommerce video may be, in whole seconds.
    public static let durationSeconds = 10...60
    /// The most characters `prompt` may have.
    public static let maxPromptCharacters = 2000
    /// The placements BeatAPI documents for ecommerce videos.
    public static let aspectRatios = ["16:9", "9:16", "1:1"]
    /// The languages BeatAPI documents for ecommerce videos.
    public static let languages: [BeatAPILanguage] = [.english, .chinese]

    static let typedFields: Set<String> = ["images", "prompt", "language", "resolution", "duration", "aspect_ratio"]

    /// Checks the input as the client does before sending; `allowedTestHosts` as the client's.
    ///
    /// ```swift
    /// var input = EcommerceVideoInput(imageURLs: [URL(string: "https://cdn.example.com/bottle.png")!])
    /// input.duration = .seconds(15)
    /// try input.validate()   // passes
    /// input.duration = .seconds(90)
    /// try input.validate()   // throws .invalidRequest(field: "duration", …)
    /// ```
    public func validate(allowedTestHosts: Set<String> = []) throws(MediaGenError) {
        try validate(InputSourceRule(allowedTestHosts: allowedTestHosts))
    }

    func validate(_ rule: InputSourceRule) throws(MediaGenError) {
        guard Self.imageCount.contains(images.count) else {
            throw Self.refusal(
                "images",
                images.isEmpty
                    ? "give at least one product image"
                    : "BeatAPI takes the primary image and up to six more (1–7); got \(images.count)")
        }
        for image in images { try MusicVideoInput.checkMedia(image, for: MusicVideoInput.imageSlot, rule) }
        if let prompt {
            guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Self.refusal("prompt", "the prompt is empty; leave it nil to send none")
            }
            guard prompt.unicodeScalars.count <= Self.maxPromptCharacters else {
                throw Self.refusal(
                    "prompt", "at most \(Self.maxPromptCharacters) characters; got \(prompt.unicodeScalars.count)")
            }
        }
        if let language {
            try language.validate()
            guard Self.languages.contains(language) else {
                throw Self.refusal("language", "BeatAPI's ecommerce videos speak en or zh; got \"\(language)\"")
            }
        }
        try resolution?.validate()
        if let aspectRatio, !Self.aspectRatios.contains(aspectRatio) {
            throw Self.refusal(
                "aspect_ratio",
                "BeatAPI places ecommerce videos at \(Self.aspectRatios.joined(separator: ", ")); got \"\(aspectRatio)\""
            )
        }
        try checkDuration()
        try AdditionalFields.check(additionalFields, against: Self.typedFields)
    }

    private func checkDuration() throws(MediaGenError) {
        let limits = Self.durationSeconds
        guard let duration else {
            throw Self.refusal(
                "duration",
                "BeatAPI requires the video's length: \(limits.lowerBound)–\(limits.upperBound) whole seconds")
        }
        let seconds = duration.components.seconds
        guard duration.components.attoseconds == 0, seconds >= limits.lowerBound, seconds <= limits.upperBound else {
            throw Self.refusal(
                "duration", "must be \(limits.lowerBound)–\(limits.upperBound) whole seconds, got \(duration)")
        }
    }

    private static func refusal(_ field: String, _ reason: String) -> MediaGenError {
        .invalidInput(field, reason, provider: .beatAPI)
    }

    func body(images imageURLs: [String]) -> JSONValue {
        var body = additionalFields
        body["images"] = .array(imageURLs.map(JSONValue.string))
        if let prompt { body["prompt"] = .string(prompt) }
        if let language { body["language"] = .string(language.rawValue) }
        if let resolution { body["resolution"] = .string(resolution.rawValue) }
        if let duration { body["duration"] = .number(Decimal(duration.components.seconds)) }
        if let aspectRatio { body["aspect_ratio"] = .string(aspectRatio) }
        return .object(body)
    }
}
