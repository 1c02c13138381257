import MediaGenCore

/// A Beatra model as a type, tying it to the only `model_options` it accepts.
///
/// ```swift
/// let suno = BeatraMusicRequest(
///     model: .suno55, prompt: "dream pop, warm analog drums, bright chorus",
///     modelOptions: SunoOptions(customMode: true, styleWeight: 0.6))
/// let minimax = BeatraMusicRequest(
///     model: .minimaxMusic26, prompt: "lo-fi piano", modelOptions: MinimaxOptions(["mood": "calm"]))
/// // BeatraMusicRequest(model: .minimaxMusic26, prompt: "x", modelOptions: SunoOptions())
/// //   does not compile: minimax-music-2.6 takes MinimaxOptions.
/// ```
///
/// Beatra rejects an unknown or foreign `model_options` namespace; with a model type the mistake
/// is caught by the compiler instead. ``BeatraModelID`` is the open door for models this SDK does
/// not list: it takes ``CustomModelOptions`` with a namespace of your choosing.
public protocol BeatraModel: Hashable, Sendable {
    /// The options this model accepts under `model_options`.
    associatedtype Options: BeatraModelOptions
    /// The id sent as `model`.
    var id: BeatraModelID { get }
}

/// Suno 5.5 (`suno-5.5`): two clips per task, 80 credits; options under `model_options.suno`.
///
/// ```swift
/// let request = BeatraMusicRequest(model: .suno55, prompt: "synth pop",
///                                  modelOptions: SunoOptions(customMode: true, styleWeight: 0.6))
/// ```
public struct Suno55: BeatraModel {
    public typealias Options = SunoOptions
    public init() {}
    public var id: BeatraModelID { .suno55 }
}

/// MiniMax Music 2.6 (`minimax-music-2.6`): one clip per task, 50 credits; options under
/// `model_options.minimax`.
///
/// ```swift
/// let request = BeatraMusicRequest(model: .minimaxMusic26, prompt: "lo-fi piano")
/// ```
public struct MinimaxMusic26: BeatraModel {
    public typealias Options = MinimaxOptions
    public init() {}
    public var id: BeatraModelID { .minimaxMusic26 }
}

extension BeatraModelID: BeatraModel {
    /// Any model by id, with untyped options: the namespace is checked at run time against the
    /// documented one when the model is listed.
    public typealias Options = CustomModelOptions
    public var id: BeatraModelID { self }
}

extension BeatraModel where Self == Suno55 {
    /// Suno 5.5, typed: its options are ``SunoOptions``.
    ///
    /// ```swift
    /// BeatraMusicRequest(model: .suno55, prompt: "dream pop")
    /// ```
    public static var suno55: Suno55 { Suno55() }
}

extension BeatraModel where Self == MinimaxMusic26 {
    /// MiniMax Music 2.6, typed: its options are ``MinimaxOptions``.
    ///
    /// ```swift
    /// BeatraMusicRequest(model: .minimaxMusic26, prompt: "lo-fi piano")
    /// ```
    public static var minimaxMusic26: MinimaxMusic26 { MinimaxMusic26() }
}
