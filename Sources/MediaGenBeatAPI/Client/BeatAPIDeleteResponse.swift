/// BeatAPI's `DeleteResponse` schema: `{"id", "object", "deleted": true}`.
///
/// ```swift
/// let answer = try await beatAPI.deleteWebhookEndpoint(id: "wh_abc123")
/// print(answer.deleted)   // true
/// ```
public struct BeatAPIDeleteResponse: Hashable, Sendable, Decodable {
    public let id: String?
    public let object: String?
    /// `true` when BeatAPI deleted the object (a 2xx answer without the field counts as deleted).
    public let deleted: Bool

    private enum CodingKeys: String, CodingKey {
        case id, object, deleted
    }

    init(id: String?, object: String?, deleted: Bool) {
        self.id = id
        self.object = object
        self.deleted = deleted
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = (try? container.decodeIfPresent(String.self, forKey: .id)) ?? nil
        object = (try? container.decodeIfPresent(String.self, forKey: .object)) ?? nil
        deleted = ((try? container.decodeIfPresent(Bool.self, forKey: .deleted)) ?? nil) ?? true
    }
}
