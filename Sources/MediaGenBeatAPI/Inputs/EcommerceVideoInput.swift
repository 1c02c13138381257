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
/// BeatAPI's API reference lists this endpoint without its body, so it is modelled like the music video's with
/// its own fields (BeatAPI's published description names `duration` and `aspect_ratio`) and kept
/// open with ``additionalFields``. Checked before sending: at least one image; every URL public
/// HTTPS (local files are uploaded first); a non-empty prompt when given; a language code and a
/// documented resolution when given; a whole, positive number of seconds; an aspect ratio written
/// `W:H`. Which of these BeatAPI requires (its description requires `duration`) is BeatAPI's to
/// say.
public struct EcommerceVideoInput: Hashable, Sendable {
    /// Product images, as public HTTPS URLs or local files to upload. At least one.
    public var images: [FileSource]
    /// The creative brief.
    public var prompt: String?
    public var language: BeatAPILanguage?
    public var resolution: BeatAPIResolution?
    /// The video's length, in whole seconds.
    public var duration: Duration?
    /// Such as `"16:9"`, `"9:16"`, `"1:1"`.
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

    static let typedFields: Set<String> = ["images", "prompt", "language", "resolution", "duration", "aspect_ratio"]

    /// Checks the input as the client does before sending; `allowedTestHosts` as the client's.
    ///
    /// ```swift
    /// try EcommerceVideoInput(imageURLs: []).validate()   // throws: images
    /// ```
    public func validate(allowedTestHosts: Set<String> = []) throws(MediaGenError) {
        try validate(InputSourceRule(allowedTestHosts: allowedTestHosts))
    }

    func validate(_ rule: InputSourceRule) throws(MediaGenError) {
        guard !images.isEmpty else {
            throw .invalidInput("images", "give at least one product image", provider: .beatAPI)
        }
        for image in images { try rule.check(image, for: MusicVideoInput.imageSlot) }
        if let prompt, prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalidInput("prompt", "the prompt is empty; leave it nil to send none", provider: .beatAPI)
        }
        try language?.validate()
        try resolution?.validate()
        if let duration {
            guard duration.components.attoseconds == 0, duration > .zero else {
                throw .invalidInput(
                    "duration", "must be a positive whole number of seconds, got \(duration)", provider: .beatAPI)
            }
        }
        if let aspectRatio, aspectRatio.range(of: #"^[1-9][0-9]*:[1-9][0-9]*$"#, options: .regularExpression) == nil {
            throw .invalidInput(
                "aspect_ratio", "write it as width:height, such as \"9:16\"; got \"\(aspectRatio)\"",
                provider: .beatAPI)
        }
        try AdditionalFields.check(additionalFields, against: Self.typedFields)
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
