import MediaGenCore

/// A Skytells model id. The nine documented music and video models are static members; any other
/// id works too, as a string literal.
///
/// ```swift
/// let model: SkytellsModelID = .trueFusionVideoPro
/// let preview: SkytellsModelID = "truefusion-video-next"   // not in the catalog: price unknown
/// print(model.descriptor?.price ?? "unknown")              // $1.50 per task
/// ```
public struct SkytellsModelID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// BeatFusion 2.0: high-quality music for production use ($0.75 per prediction).
    public static let beatFusion2 = SkytellsModelID(rawValue: "beatfusion-2.0")
    /// BeatFusion 1.0: standard quality, for prototyping and ambient audio ($0.45 per prediction).
    public static let beatFusion1 = SkytellsModelID(rawValue: "beatfusion-1.0")
    /// TrueFusion Video Pro: the best Skytells quality, about 60 s ($1.50). The default video model.
    public static let trueFusionVideoPro = SkytellsModelID(rawValue: "truefusion-video-pro")
    /// TrueFusion Video: standard and faster, about 45 s ($0.80).
    public static let trueFusionVideo = SkytellsModelID(rawValue: "truefusion-video")
    /// Mera: cinematic quality, 2–5 min ($2.00).
    public static let mera = SkytellsModelID(rawValue: "mera")
    /// Lumo: artistic and stylized, about 60 s ($1.20).
    public static let lumo = SkytellsModelID(rawValue: "lumo")
    /// LipFusion: lip-sync of a face to an audio track, 30–60 s ($0.60).
    public static let lipFusion = SkytellsModelID(rawValue: "lipfusion")
    /// Veo 3.1: Google Veo quality, 2–4 min ($3.00).
    public static let veo31 = SkytellsModelID(rawValue: "veo-3.1")
    /// Sora 2: OpenAI Sora style, 2–3 min ($2.50).
    public static let sora2 = SkytellsModelID(rawValue: "sora-2")

    /// The catalog entry, when the model is documented.
    public var descriptor: ModelDescriptor? { SkytellsCatalog.descriptor(for: self) }

}
