import MediaGenCore

/// A Beatra model id. The two documented models are static members; any other id works too, as a
/// string literal.
///
/// ```swift
/// let model: BeatraModelID = .suno55
/// let preview: BeatraModelID = "suno-6"          // not in the catalog: price unknown
/// print(model.descriptor?.price ?? "unknown")    // 80 Beatra credits (≈ $0.08) per task
/// print(model.optionsNamespace ?? "none")        // suno
/// ```
///
/// To send typed `model_options`, use the model types ``Suno55`` and ``MinimaxMusic26`` with a
/// ``BeatraMusicRequest``; a `BeatraModelID` itself takes untyped ``CustomModelOptions``.
public struct BeatraModelID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Suno 5.5: two clips per task, 80 credits (≈ $0.08). The default music model.
    public static let suno55 = BeatraModelID(rawValue: "suno-5.5")
    /// MiniMax Music 2.6: one clip per task, 50 credits (≈ $0.05).
    public static let minimaxMusic26 = BeatraModelID(rawValue: "minimax-music-2.6")

    /// The catalog entry, when the model is documented.
    public var descriptor: ModelDescriptor? { BeatraCatalog.descriptor(for: self) }

    /// The `model_options` namespace the documents give this model (`suno`, `minimax`), or `nil`
    /// for a model they do not list.
    public var optionsNamespace: String? {
        switch self {
        case .suno55: SunoOptions.namespace
        case .minimaxMusic26: MinimaxOptions.namespace
        default: nil
        }
    }

}
