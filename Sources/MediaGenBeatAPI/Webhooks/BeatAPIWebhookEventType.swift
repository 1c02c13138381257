import MediaGenCore

/// A webhook event name. BeatAPI publishes `task.succeeded` and `task.failed`; others decode too.
///
/// ```swift
/// let created = try await beatAPI.createWebhookEndpoint(url: hookURL, events: [.taskSucceeded])
/// if event.type == .taskFailed { print(event.task.failure?.message ?? "") }
/// ```
public struct BeatAPIWebhookEventType: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let taskSucceeded = BeatAPIWebhookEventType(rawValue: "task.succeeded")
    public static let taskFailed = BeatAPIWebhookEventType(rawValue: "task.failed")

}
