/// Music to generate, described once for any provider that makes music.
///
/// ```swift
/// var request = MusicRequest(prompt: "Lo-fi hip hop, vinyl crackle, 85 BPM", duration: .seconds(30))
/// request.seed = 7
/// let task = try await musicClient.generateMusic(request)   // Skytells, fal or Beatra
/// let track = try await musicClient.wait(for: task).outputs.first
/// ```
///
/// Each provider maps the fields it supports. A field set here that the chosen provider or model
/// cannot honour is refused with `.invalidRequest(field:reason:)` before anything is sent, never
/// silently dropped.
public struct MusicRequest: Hashable, Sendable {
    public var prompt: String
    public var duration: Duration?
    /// The provider's model id; `nil` picks the provider's default music model.
    public var model: String?
    public var negativePrompt: String?
    public var seed: Int?
    public var bpm: Int?
    /// A musical key such as `"C major"`.
    public var key: String?
    public var lyrics: String?
    public var instrumental: Bool?
    public var title: String?

    public init(
        prompt: String,
        duration: Duration? = nil,
        model: String? = nil,
        negativePrompt: String? = nil,
        seed: Int? = nil,
        bpm: Int? = nil,
        key: String? = nil,
        lyrics: String? = nil,
        instrumental: Bool? = nil,
        title: String? = nil
    ) {
        self.prompt = prompt
        self.duration = duration
        self.model = model
        self.negativePrompt = negativePrompt
        self.seed = seed
        self.bpm = bpm
        self.key = key
        self.lyrics = lyrics
        self.instrumental = instrumental
        self.title = title
    }
}

/// A video to generate, described once for any provider that makes video.
///
/// ```swift
/// let request = VideoRequest(prompt: "A drone flyover of a mountain range at golden hour, cinematic",
///                            duration: .seconds(10), aspectRatio: "16:9", fps: 24)
/// let task = try await videoClient.generateVideo(request)
/// ```
public struct VideoRequest: Hashable, Sendable {
    public var prompt: String
    public var duration: Duration?
    /// The provider's model id; `nil` picks the provider's default video model.
    public var model: String?
    /// Such as `"16:9"`, `"9:16"`, `"1:1"`, `"4:3"`.
    public var aspectRatio: String?
    public var fps: Int?
    public var negativePrompt: String?

    public init(
        prompt: String,
        duration: Duration? = nil,
        model: String? = nil,
        aspectRatio: String? = nil,
        fps: Int? = nil,
        negativePrompt: String? = nil
    ) {
        self.prompt = prompt
        self.duration = duration
        self.model = model
        self.aspectRatio = aspectRatio
        self.fps = fps
        self.negativePrompt = negativePrompt
    }
}

/// A client that can make music from a ``MusicRequest``.
public protocol MusicGenerating: MediaClient {
    /// Creates a music task and returns it at once; follow it with `updates(of:)` or `wait(for:)`.
    func generateMusic(_ request: MusicRequest) async throws -> RemoteTask
    /// What `generateMusic(_:)` would cost, or `nil` when the price is unknown. Throws when the
    /// request is invalid for this provider.
    func estimateCost(of request: MusicRequest) throws -> Money?
}

/// A client that can make video from a ``VideoRequest``.
public protocol VideoGenerating: MediaClient {
    /// Creates a video task and returns it at once; follow it with `updates(of:)` or `wait(for:)`.
    func generateVideo(_ request: VideoRequest) async throws -> RemoteTask
    /// What `generateVideo(_:)` would cost, or `nil` when the price is unknown. Throws when the
    /// request is invalid for this provider.
    func estimateCost(of request: VideoRequest) throws -> Money?
}
