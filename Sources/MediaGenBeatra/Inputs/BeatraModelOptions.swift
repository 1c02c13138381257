import Foundation
import MediaGenCore

/// Options for one model, sent under `model_options.<namespace>`.
///
/// ```swift
/// let options = SunoOptions(customMode: true, styleWeight: 0.6)
/// print(options.namespace)   // suno  →  "model_options": {"suno": {"custom_mode": true, "style_weight": 0.6}}
/// ```
///
/// Each model type names its options type (``BeatraModel/Options``), so options reach only the
/// model they belong to.
public protocol BeatraModelOptions: Encodable, Hashable, Sendable {
    /// The key under `model_options`.
    var namespace: String { get }
    /// Throws `.invalidRequest(field:reason:)` naming the field when an option cannot be sent.
    func validate() throws(MediaGenError)
}

/// Suno 5.5's knobs, sent as `model_options.suno`.
///
/// ```swift
/// var options = SunoOptions(customMode: true, styleWeight: 0.6)
/// options.additional["negative_tags"] = "heavy metal"   // an option this SDK has no property for
/// let request = BeatraMusicRequest(model: .suno55, prompt: "dream pop", modelOptions: options)
/// ```
///
/// The documents show `custom_mode` and `style_weight` (0.6 in their example); `style_weight` is
/// checked to be within 0–1, this SDK's reading of that example. Other options Beatra may accept
/// go in ``additional``, sent as given.
public struct SunoOptions: BeatraModelOptions {
    /// The namespace Beatra documents for `suno-5.5`.
    public static let namespace = "suno"

    /// Suno's custom mode (lyrics and style given separately).
    public var customMode: Bool?
    /// How strongly the style in the prompt is followed, 0–1.
    public var styleWeight: Double?
    /// Further options, sent as given beside the typed ones.
    public var additional: [String: JSONValue]

    public init(customMode: Bool? = nil, styleWeight: Double? = nil, additional: [String: JSONValue] = [:]) {
        self.customMode = customMode
        self.styleWeight = styleWeight
        self.additional = additional
    }

    public var namespace: String { Self.namespace }

    public func validate() throws(MediaGenError) {
        if let styleWeight, !(0...1).contains(styleWeight) {
            throw .invalidInput(
                "model_options.suno.style_weight", "must be from 0 to 1, got \(styleWeight)", provider: .beatra)
        }
        for key in ["custom_mode", "style_weight"] where additional[key] != nil {
            throw .invalidInput(
                "model_options.suno.\(key)", "set it with the typed property, not in `additional`", provider: .beatra)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = additional
        if let customMode { fields["custom_mode"] = .bool(customMode) }
        // Through the number's shortest text, so 0.6 is sent as 0.6.
        if let styleWeight { fields["style_weight"] = .number(Decimal(string: "\(styleWeight)") ?? 0) }
        try fields.encode(to: encoder)
    }
}

/// MiniMax Music 2.6's options, sent as `model_options.minimax`.
///
/// ```swift
/// let options: MinimaxOptions = ["mood": "calm", "loop": true]
/// let request = BeatraMusicRequest(model: .minimaxMusic26, prompt: "lo-fi piano", modelOptions: options)
/// ```
///
/// The documents name the namespace but none of its options, so they are free-form JSON here.
public struct MinimaxOptions: BeatraModelOptions, ExpressibleByDictionaryLiteral {
    /// The namespace Beatra documents for `minimax-music-2.6`.
    public static let namespace = "minimax"

    /// The options, sent as given.
    public var fields: [String: JSONValue]

    public init(_ fields: [String: JSONValue] = [:]) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.fields = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    public var namespace: String { Self.namespace }

    public func validate() throws(MediaGenError) {}

    public func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
    }
}

/// Options for a model this SDK has no type for, under a namespace you name.
///
/// ```swift
/// let model: BeatraModelID = "suno-6"
/// let request = BeatraMusicRequest(model: model, prompt: "synth pop",
///                                  modelOptions: CustomModelOptions(namespace: "suno", fields: ["custom_mode": true]))
/// ```
///
/// With a documented model id, the namespace must still be that model's (`suno` for `suno-5.5`,
/// `minimax` for `minimax-music-2.6`); a mismatch is refused before sending.
public struct CustomModelOptions: BeatraModelOptions {
    public var namespace: String
    public var fields: [String: JSONValue]

    public init(namespace: String, fields: [String: JSONValue] = [:]) {
        self.namespace = namespace
        self.fields = fields
    }

    public func validate() throws(MediaGenError) {
        guard !namespace.isEmpty else {
            throw .invalidInput("model_options", "name the options' namespace", provider: .beatra)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
    }
}
