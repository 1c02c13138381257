import Foundation
import MediaGenCore

/// BeatAPI's `Storyboard` schema: a music video's shots, in order, on ``BeatAPITask/storyboard``.
///
/// ```swift
/// let task = try await beatAPI.run(input)               // stops at storyboard_ready with compose_mode manual
/// for shot in task.storyboard?.shots ?? [] {
///     print(shot.index, shot.id, shot.lyricText ?? "", shot.durationSeconds ?? 0)
/// }
/// ```
///
/// The list may be empty before BeatAPI has generated the storyboard. A shot's ``BeatAPIStoryboardShot/media``
/// is present only once it was materialized (``BeatAPIClient/shotMedia(taskID:shotID:)``) or edited.
public struct BeatAPIStoryboard: Hashable, Sendable, Decodable {
    public let shots: [BeatAPIStoryboardShot]

    public init(shots: [BeatAPIStoryboardShot]) { self.shots = shots }

    private enum CodingKeys: String, CodingKey { case shots }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let items = (try? container.decodeIfPresent([JSONValue].self, forKey: .shots)) ?? []
        // A shot without an id cannot be edited or composed: it is skipped, not a decoding failure.
        shots = items.compactMap { try? $0.decode(as: BeatAPIStoryboardShot.self) }
    }
}

/// BeatAPI's `StoryboardShot` schema: one shot of a music video's storyboard.
///
/// ```swift
/// if let shot = task.storyboard?.shots.first, shot.media == nil {
///     let stored = try await beatAPI.shotMedia(taskID: task.id, shotID: shot.id)
///     print(shot.index ?? 0, shot.lyricText ?? "", stored.media?.url.absoluteString ?? "")
/// }
/// ```
public struct BeatAPIStoryboardShot: Hashable, Sendable, Decodable, Identifiable {
    /// The shot id to edit, materialize or compose (`shot_…`).
    public let id: String
    /// Zero-based order in the storyboard.
    public let index: Int?
    /// The shot's own lifecycle state.
    public let status: BeatAPITaskStatus?
    /// Planned or generated length in seconds.
    public let durationSeconds: Decimal?
    /// The instruction the shot was generated from.
    public let prompt: String?
    /// The lyric segment aligned with the shot, when there is one.
    public let lyricText: String?
    /// The stored shot video, once materialized or edited.
    public let media: RemoteFile?
    public let createdAt: Date?
    public let updatedAt: Date?

    private enum CodingKeys: String, CodingKey {
        case id, index, status, prompt, media
        case durationSeconds = "duration_seconds"
        case lyricText = "lyric_text"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.lenientID(.id, expectation: "a shot has an id")
        index = Lenient.int(container.lenientValue(.index))
        status = container.lenientValue(.status)?.stringValue.map(BeatAPITaskStatus.init(rawValue:))
        durationSeconds = Lenient.decimal(container.lenientValue(.durationSeconds))
        prompt = container.lenientValue(.prompt)?.stringValue
        lyricText = container.lenientValue(.lyricText)?.stringValue
        media = container.lenientValue(.media).flatMap(BeatAPIShotMedia.file(in:))
        createdAt = Lenient.date(container.lenientValue(.createdAt))
        updatedAt = Lenient.date(container.lenientValue(.updatedAt))
    }
}

/// BeatAPI's `ShotMedia` schema: the stored video of one storyboard shot
/// (`POST /v1/music-video/tasks/{task_id}/shots/{shot_id}/media`).
///
/// ```swift
/// let shot = try await beatAPI.shotMedia(taskID: "task_8K2qA", shotID: "shot_xxx")
/// if let video = shot.media { try await video.download(to: URL(fileURLWithPath: "shots/")) }
/// ```
public struct BeatAPIShotMedia: Hashable, Sendable, Decodable {
    /// `"shot_media"`.
    public let object: String?
    public let taskID: String?
    public let shotID: String
    public let index: Int?
    public let status: BeatAPITaskStatus?
    /// The stored shot video.
    public let media: RemoteFile?
    public let createdAt: Date?
    public let updatedAt: Date?
    /// For BeatAPI's support.
    public let requestID: String?

    private enum CodingKeys: String, CodingKey {
        case object, index, status, media
        case taskID = "task_id"
        case shotID = "shot_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case requestID = "request_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shotID = try container.lenientID(.shotID, expectation: "shot media names its shot")
        object = container.lenientValue(.object)?.stringValue
        taskID = Lenient.string(container.lenientValue(.taskID))
        index = Lenient.int(container.lenientValue(.index))
        status = container.lenientValue(.status)?.stringValue.map(BeatAPITaskStatus.init(rawValue:))
        media = container.lenientValue(.media).flatMap(Self.file(in:))
        createdAt = Lenient.date(container.lenientValue(.createdAt))
        updatedAt = Lenient.date(container.lenientValue(.updatedAt))
        requestID = container.lenientValue(.requestID)?.stringValue
    }

    /// `{"type", "url", "mime_type"}` as a file; `nil` without a usable URL.
    static func file(in media: JSONValue) -> RemoteFile? {
        guard let url = Lenient.url(media["url"]) else { return nil }
        let type = media["mime_type"]?.stringValue
        return RemoteFile(url: url, contentType: type)
    }
}
