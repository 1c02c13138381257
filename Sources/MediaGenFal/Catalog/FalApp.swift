import Foundation
import MediaGenCore

/// A fal app with the Swift types of its input and output.
///
/// ```swift
/// // The documented app, typed and checked before sending:
/// let music = try await fal.run(.beatovenMusicGeneration,
///                                     input: BeatovenInput(prompt: "Jazz for a late-night restaurant"))
/// print(music.data.audio.url)
///
/// // Any other app, with your own Codable types…
/// struct SpeechIn: Encodable, Sendable { var text: String }
/// struct SpeechOut: Decodable, Sendable { var audio: FalFile }
/// let speech = FalApp<SpeechIn, SpeechOut>("fal-ai/some-tts")
///
/// // …or untyped, with JSON values:
/// let raw = try await fal.run(FalJSONApp("fal-ai/some-app"), input: ["prompt": "a fox"])
/// print(raw.data["images"]?[0]?["url"]?.stringValue ?? "")
/// ```
///
/// Inputs are encoded and outputs decoded with plain `JSONEncoder`/`JSONDecoder`: fal's fields
/// are snake_case, so give your types `CodingKeys` that spell them (as ``FalFile`` does). A
/// `validate` closure runs before anything is sent; a `JSONValue` input must be an object, and one
/// sent to a documented app is checked against that app's schema.
public struct FalApp<Input: Encodable & Sendable, Output: Decodable & Sendable>: Sendable {
    /// The app id requests are submitted to.
    public let id: FalAppID
    private let check: @Sendable (Input) throws(MediaGenError) -> Void

    /// An app with its types; `validate` throws `.invalidRequest(field:reason:)` for an input the
    /// app would refuse.
    ///
    /// ```swift
    /// let app = FalApp<SpeechIn, SpeechOut>("fal-ai/some-tts") { input throws(MediaGenError) in
    ///     if input.text.isEmpty { throw .invalidInput("text", "say something", provider: .fal) }
    /// }
    /// ```
    public init(
        _ id: FalAppID,
        validate: @escaping @Sendable (Input) throws(MediaGenError) -> Void = { _ throws(MediaGenError) in }
    ) {
        self.id = id
        self.check = validate
    }

    /// Checks `input` as a submit would, without sending anything.
    ///
    /// ```swift
    /// try FalApp.beatovenMusicGeneration.validate(BeatovenInput(prompt: "jazz", duration: .seconds(200)))
    /// // throws: invalid value for `duration`
    /// ```
    public func validate(_ input: Input) throws(MediaGenError) {
        _ = try id.checkedSegments()
        if let json = input as? JSONValue { try FalJSONInput.validate(json, for: id) }
        try check(input)
    }
}

/// An app whose input and output are plain JSON values.
///
/// ```swift
/// let app = FalJSONApp("fal-ai/some-app")
/// let request = try await fal.createRequest(app, input: ["prompt": "a watercolor fox", "seed": 7])
/// ```
public typealias FalJSONApp = FalApp<JSONValue, JSONValue>

extension FalApp where Input == BeatovenInput, Output == BeatovenOutput {
    /// `beatoven/music-generation`, typed: ``BeatovenInput`` in, ``BeatovenOutput`` out.
    ///
    /// ```swift
    /// let result = try await fal.run(.beatovenMusicGeneration,
    ///                                      input: BeatovenInput(prompt: "Hip-hop, mellow keys, vinyl crackle"))
    /// try await result.data.audio.remoteFile.download(to: URL(fileURLWithPath: "outputs/"))
    /// ```
    public static var beatovenMusicGeneration: FalApp {
        FalApp(.beatovenMusicGeneration) { input throws(MediaGenError) in try input.validate() }
    }
}

/// Checks of untyped inputs.
enum FalJSONInput {
    static func validate(_ input: JSONValue, for app: FalAppID) throws(MediaGenError) {
        guard let object = input.objectValue else {
            throw .invalidInput("input", "a fal input is a JSON object", provider: .fal)
        }
        if app.queueApp == FalAppID.beatovenMusicGeneration.rawValue {
            try BeatovenInput.validate(json: object)
        }
    }
}
