import MediaGenCore

/// A BeatAPI workflow id. The two launch workflows are static members; any other id works too,
/// as a string literal, so a workflow BeatAPI adds later still decodes.
///
/// ```swift
/// let workflow: BeatAPIWorkflowID = .musicVideo
/// print(workflow.descriptor?.price ?? "price unknown")   // price unknown (billed by the song's length)
/// if task.workflow == .ecommerceVideo { … }
/// ```
public struct BeatAPIWorkflowID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Music Video: a short music video from reference images, a song, a prompt and a language
    /// (`POST /v1/music-video/tasks`).
    public static let musicVideo = BeatAPIWorkflowID(rawValue: "music-video")
    /// Ecommerce Video: a product ad from product images and a short brief
    /// (`POST /v1/ecommerce-video/tasks`).
    public static let ecommerceVideo = BeatAPIWorkflowID(rawValue: "ecommerce-video")

    /// The catalog entry, when the workflow is documented.
    public var descriptor: ModelDescriptor? { BeatAPICatalog.descriptor(for: self) }

}
