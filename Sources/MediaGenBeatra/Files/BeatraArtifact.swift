import Foundation
import MediaGenCore

/// A file stored at Beatra, as `POST /v1/uploads` returned it.
///
/// ```swift
/// let artifact = try await beatra.upload(.file(URL(fileURLWithPath: "reference.mp3")))
/// print(artifact.id)            // artifact_01J…
/// let task = try await beatra.createTask(request, referenceAudio: .artifact(id: artifact.id))
/// ```
///
/// Only the id is documented ("→ an artifact id"); it is read from `artifact_id` (or `id`), and
/// the other fields, when present, from the emulator's shape.
public struct BeatraArtifact: Hashable, Sendable, Decodable {
    public let id: String
    public let purpose: String?
    public let fileName: String?
    public let contentType: String?
    public let byteCount: Int64?
    public let url: URL?
    public let createdAtText: String?

    public var createdAt: Date? { Timestamp.date(fromISO8601: createdAtText) }

    /// This artifact as the reference audio of a task.
    public var referenceAudio: ReferenceAudio { .artifact(id: id) }

    private enum CodingKeys: String, CodingKey {
        case id, purpose, filename, bytes, url
        case artifactID = "artifact_id"
        case contentType = "content_type"
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let artifactID = try container.decodeIfPresent(String.self, forKey: .artifactID)
        guard let id = try artifactID ?? container.decodeIfPresent(String.self, forKey: .id) else {
            throw DecodingError.keyNotFound(
                CodingKeys.artifactID,
                DecodingError.Context(codingPath: container.codingPath, debugDescription: "no artifact_id (or id)"))
        }
        self.id = id
        purpose = try? container.decodeIfPresent(String.self, forKey: .purpose)
        fileName = try? container.decodeIfPresent(String.self, forKey: .filename)
        contentType = try? container.decodeIfPresent(String.self, forKey: .contentType)
        byteCount = try? container.decodeIfPresent(Int64.self, forKey: .bytes)
        url = (try? container.decodeIfPresent(String.self, forKey: .url)).flatMap { $0.flatMap(URL.init(string:)) }
        createdAtText = try? container.decodeIfPresent(String.self, forKey: .createdAt)
    }
}
