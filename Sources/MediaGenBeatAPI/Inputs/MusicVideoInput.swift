import Foundation
import MediaGenCore

/// The body of `POST /v1/music-video/tasks`: reference images, a song, a prompt and an explicit
/// language (BeatAPI's music-video documentation).
///
/// ```swift
/// var input = MusicVideoInput(
///     imageURLs: [URL(string: "https://cdn.example.com/singer-reference.png")!],
///     audioURL: URL(string: "https://cdn.example.com/song-preview.mp3")!,
///     prompt: "Neon rooftop performance with metro cutaways and cinematic light trails.",
///     language: .english)
/// input.resolution = .p720
/// let task = try await beatAPI.createTask(input)
///
/// // Local files are uploaded first (POST /v1/files) and their URLs sent:
/// let local = MusicVideoInput(images: [.file(URL(fileURLWithPath: "cover.png"))],
///                             audio: .file(URL(fileURLWithPath: "song.mp3")),
///                             prompt: "Rainy city at night", language: "en")
/// ```
///
/// Checked before anything is sent or uploaded, each failure naming its field: at least one image;
/// every URL public HTTPS (not `http:`, not a loopback, private or link-local address — unless the
/// client allows a test host); local files readable and of the right kind (`image/*`,
/// `audio/*`); a prompt; a language code; a resolution from ``BeatAPIResolution/known``.
///
/// Options BeatAPI documents elsewhere (its published description lists `quality`, `lip_sync`
/// and `duration`) go in ``additionalFields`` and are sent as given; limits the API reference does not state
/// (how many images, prompt length) are BeatAPI's to enforce.
public struct MusicVideoInput: Hashable, Sendable {
    /// Reference images, as public HTTPS URLs or local files to upload. At least one.
    public var images: [FileSource]
    /// The song, as a public HTTPS URL or a local file to upload.
    public var audio: FileSource
    /// The visual direction.
    public var prompt: String
    /// The output language; BeatAPI requires it explicitly.
    public var language: BeatAPILanguage
    /// `nil` sends none and lets BeatAPI choose (its description says 720p).
    public var resolution: BeatAPIResolution?
    /// More body fields, sent as given (`["quality": "high", "lip_sync": true]`). They may not
    /// repeat a field above.
    public var additionalFields: [String: JSONValue]

    public init(
        images: [FileSource],
        audio: FileSource,
        prompt: String,
        language: BeatAPILanguage,
        resolution: BeatAPIResolution? = nil,
        additionalFields: [String: JSONValue] = [:]
    ) {
        self.images = images
        self.audio = audio
        self.prompt = prompt
        self.language = language
        self.resolution = resolution
        self.additionalFields = additionalFields
    }

    /// An input whose media are all URLs BeatAPI fetches itself.
    public init(
        imageURLs: [URL],
        audioURL: URL,
        prompt: String,
        language: BeatAPILanguage,
        resolution: BeatAPIResolution? = nil,
        additionalFields: [String: JSONValue] = [:]
    ) {
        self.init(
            images: imageURLs.map(FileSource.url), audio: .url(audioURL), prompt: prompt, language: language,
            resolution: resolution, additionalFields: additionalFields)
    }

    static let imageSlot = InputSourceRule.Slot(field: "images", family: "image")
    static let audioSlot = InputSourceRule.Slot(field: "audio_url", family: "audio")
    static let typedFields: Set<String> = ["images", "audio_url", "prompt", "language", "resolution"]

    /// Checks the input as the client does before sending; `allowedTestHosts` as the client's.
    ///
    /// ```swift
    /// try input.validate()   // throws .invalidRequest(field: "audio_url", …) for an http: song
    /// ```
    public func validate(allowedTestHosts: Set<String> = []) throws(MediaGenError) {
        try validate(InputSourceRule(allowedTestHosts: allowedTestHosts))
    }

    func validate(_ rule: InputSourceRule) throws(MediaGenError) {
        guard !images.isEmpty else {
            throw .invalidInput("images", "give at least one reference image", provider: .beatAPI)
        }
        for image in images { try rule.check(image, for: Self.imageSlot) }
        try rule.check(audio, for: Self.audioSlot)
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidInput("prompt", "describe the video; the prompt is required", provider: .beatAPI)
        }
        try language.validate()
        try resolution?.validate()
        try AdditionalFields.check(additionalFields, against: Self.typedFields)
    }

    /// The JSON body, with every source already a URL string.
    func body(images imageURLs: [String], audio audioURL: String) -> JSONValue {
        var body = additionalFields
        body["images"] = .array(imageURLs.map(JSONValue.string))
        body["audio_url"] = .string(audioURL)
        body["prompt"] = .string(prompt)
        body["language"] = .string(language.rawValue)
        if let resolution { body["resolution"] = .string(resolution.rawValue) }
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
