import Foundation
import MediaGenCore

/// BeatAPI's `File` schema: an uploaded workflow input (`POST /v1/files`).
///
/// ```swift
/// let song = try await beatAPI.upload(.file(URL(fileURLWithPath: "song.mp3")))
/// print(song.id, song.url)   // file_… https://…
/// let input = MusicVideoInput(imageURLs: [cover], audioURL: song.url, prompt: "…", language: .english)
/// ```
///
/// Only `id` and `url` are required; the other fields are those of BeatAPI's published
/// description (`audio_duration_seconds` for audio it could measure).
public struct BeatAPIFile: Hashable, Sendable, Decodable, Identifiable {
    public let id: String
    /// Where BeatAPI serves the file: pass it as a workflow input.
    public let url: URL
    /// `"file"`.
    public let object: String?
    /// BeatAPI's storage key.
    public let key: String?
    public let mimeType: String?
    public let sizeBytes: Int64?
    /// `"input"`.
    public let purpose: String?
    public let createdAt: Date?
    /// The audio's length, when BeatAPI measured it.
    public let audioDurationSeconds: Decimal?

    private enum CodingKeys: String, CodingKey {
        case id, url, object, key, purpose
        case mimeType = "mime_type"
        case sizeBytes = "size_bytes"
        case createdAt = "created_at"
        case audioDurationSeconds = "audio_duration_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        guard let url = Lenient.url(container.lenientValue(.url)) else {
            throw DecodingError.dataCorruptedError(
                forKey: .url, in: container, debugDescription: "an uploaded file has a URL")
        }
        self.url = url
        object = container.lenientValue(.object)?.stringValue
        key = container.lenientValue(.key)?.stringValue
        mimeType = container.lenientValue(.mimeType)?.stringValue
        sizeBytes = Lenient.int(container.lenientValue(.sizeBytes)).map(Int64.init)
        purpose = container.lenientValue(.purpose)?.stringValue
        createdAt = Lenient.date(container.lenientValue(.createdAt))
        audioDurationSeconds = Lenient.decimal(container.lenientValue(.audioDurationSeconds))
    }
}
