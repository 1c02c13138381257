import Foundation
import MediaGenCore

/// A music task for Beatra: the shared fields, and `model_options` typed by the model.
///
/// ```swift
/// let request = BeatraMusicRequest(
///     model: .suno55,
///     prompt: "dream pop, warm analog drums, bright chorus",
///     lyrics: "[Verse]\nCity lights are waking",
///     instrumental: false,
///     modelOptions: SunoOptions(customMode: true, styleWeight: 0.6)
/// )
/// let task = try await beatra.createTask(request)
/// let remix = try await beatra.createTask(request, referenceAudio: .artifact(id: "artifact_01J…"))
/// ```
///
/// The shared fields — `model`, `prompt`, `lyrics`, `instrumental`, `title`, `metadata` — travel
/// at the top level; `modelOptions` under `model_options.<namespace>`, and only the model's own
/// options type compiles (``SunoOptions`` with ``Suno55``, ``MinimaxOptions`` with
/// ``MinimaxMusic26``). Checked before sending: a prompt, the options' own rules, and — for a
/// ``BeatraModelID`` with ``CustomModelOptions`` — a documented model's namespace.
public struct BeatraMusicRequest<Model: BeatraModel>: Hashable, Sendable {
    public var model: Model
    /// What the music should sound like: genre, instruments, mood, use.
    public var prompt: String
    /// Lyrics to sing, with section tags such as `[Verse]`.
    public var lyrics: String?
    /// `true` for music without vocals.
    public var instrumental: Bool?
    public var title: String?
    /// Your own values, kept on the task and returned with it.
    public var metadata: [String: JSONValue]?
    /// Sent as `model_options.<namespace>`.
    public var modelOptions: Model.Options?

    public init(
        model: Model,
        prompt: String,
        lyrics: String? = nil,
        instrumental: Bool? = nil,
        title: String? = nil,
        metadata: [String: JSONValue]? = nil,
        modelOptions: Model.Options? = nil
    ) {
        self.model = model
        self.prompt = prompt
        self.lyrics = lyrics
        self.instrumental = instrumental
        self.title = title
        self.metadata = metadata
        self.modelOptions = modelOptions
    }

    /// Throws `.invalidRequest(field:reason:)` naming the field when the request cannot be sent.
    public func validate() throws(MediaGenError) {
        guard !model.id.rawValue.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidInput("model", "name a model, such as suno-5.5", provider: .beatra)
        }
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidInput("prompt", "describe the music; the prompt is required", provider: .beatra)
        }
        guard let modelOptions else { return }
        try modelOptions.validate()
        if let expected = model.id.optionsNamespace, modelOptions.namespace != expected {
            throw .invalidInput(
                "model_options.\(modelOptions.namespace)",
                "\(model.id) takes options under model_options.\(expected) only",
                provider: .beatra
            )
        }
    }

    /// The catalog's price for one task, or `nil` for a model the catalog does not list.
    public var estimatedCost: Money? {
        model.id.descriptor?.estimateCost()
    }

    /// The JSON body, with `reference_audio` when given.
    func body(referenceAudio: ReferenceAudio.Wire? = nil) -> CreateBody {
        CreateBody(
            model: model.id.rawValue,
            prompt: prompt,
            lyrics: lyrics,
            instrumental: instrumental,
            title: title,
            metadata: metadata,
            modelOptions: modelOptions.map { AnyOptions(namespace: $0.namespace, options: $0) },
            referenceAudio: referenceAudio
        )
    }
}

/// What a create sends, whatever the model type.
struct CreateBody: Encodable, Sendable {
    var model: String
    var prompt: String
    var lyrics: String?
    var instrumental: Bool?
    var title: String?
    var metadata: [String: JSONValue]?
    var modelOptions: AnyOptions?
    var referenceAudio: ReferenceAudio.Wire?

    private enum CodingKeys: String, CodingKey {
        case model, prompt, lyrics, instrumental, title, metadata
        case modelOptions = "model_options"
        case referenceAudio = "reference_audio"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(prompt, forKey: .prompt)
        try container.encodeIfPresent(lyrics, forKey: .lyrics)
        try container.encodeIfPresent(instrumental, forKey: .instrumental)
        try container.encodeIfPresent(title, forKey: .title)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encodeIfPresent(modelOptions, forKey: .modelOptions)
        try container.encodeIfPresent(referenceAudio, forKey: .referenceAudio)
    }
}

/// `{"<namespace>": <options>}`.
struct AnyOptions: Encodable, Sendable {
    var namespace: String
    var options: any BeatraModelOptions

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(options, forKey: Key(stringValue: namespace))
    }
}
