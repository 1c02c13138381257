import Foundation
import MediaGenCore

/// BeatAPI's `WebhookEvent` schema: one delivery, `{"id", "event", "created_at", "data": <task>}`.
///
/// ```swift
/// let event = try BeatAPIWebhook.event(body: body, headers: headers, secret: secret)
/// switch event.type {
/// case .taskSucceeded: try await event.task.outputs.first?.download(to: URL(fileURLWithPath: "outputs/"))
/// case .taskFailed: print(event.task.failure?.message ?? "failed")
/// default: break   // an event BeatAPI added later
/// }
/// ```
///
/// Verify before decoding (``BeatAPIWebhook`` does both). A body that is a bare task, without the
/// event wrapper, is read too: its event is then named after the task's status.
public struct BeatAPIWebhookEvent: Hashable, Sendable, Decodable {
    /// `evt_…`.
    public let id: String?
    /// `task.succeeded` or `task.failed`.
    public let type: BeatAPIWebhookEventType
    public let createdAt: Date?
    /// The task as it was when the event happened.
    public let task: BeatAPITask

    private enum CodingKeys: String, CodingKey {
        case id, event, type, data
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.data) else {
            let task = try BeatAPITask(from: decoder)
            (id, createdAt, self.task) = (nil, nil, task)
            type = BeatAPIWebhookEventType(rawValue: "task.\(task.rawStatus)")
            return
        }
        task = try container.decode(BeatAPITask.self, forKey: .data)
        id = (try? container.decodeIfPresent(String.self, forKey: .id)) ?? nil
        let name =
            ((try? container.decodeIfPresent(String.self, forKey: .event)) ?? nil)
            ?? ((try? container.decodeIfPresent(String.self, forKey: .type)) ?? nil)
        type = BeatAPIWebhookEventType(rawValue: name ?? "task.\(task.rawStatus)")
        createdAt = Lenient.date((try? container.decodeIfPresent(JSONValue.self, forKey: .createdAt)) ?? nil)
    }
}
