import Foundation
import MediaGenCore

/// BeatAPI's `WebhookEndpoint` schema: a URL BeatAPI posts task events to.
///
/// ```swift
/// let created = try await beatAPI.createWebhookEndpoint(
///     url: URL(string: "https://app.example.com/hooks/beatapi")!, events: [.taskSucceeded, .taskFailed])
/// print(created.endpoint.id, created.endpoint.status)    // wh_… active
/// for endpoint in try await beatAPI.listWebhookEndpoints().data {
///     print(endpoint.url, endpoint.events)
/// }
/// ```
///
/// The signing secret is not part of this type: BeatAPI shows it once, in the answer to the
/// create, which the client returns as ``BeatAPICreatedWebhookEndpoint``. Later answers carry a
/// masked form (`whsec_********abcd`), kept in ``maskedSecret``.
public struct BeatAPIWebhookEndpoint: Hashable, Sendable, Decodable, Identifiable {
    public let id: String
    /// `"webhook_endpoint"`.
    public let object: String?
    public let url: URL?
    public let description: String?
    public let events: [BeatAPIWebhookEventType]
    public let status: BeatAPIWebhookEndpointStatus?
    public let createdAt: Date?
    public let updatedAt: Date?
    /// The secret as later answers show it (masked); `nil` when the answer carried the real one.
    public let maskedSecret: String?

    private enum CodingKeys: String, CodingKey {
        case id, object, url, description, events, status, secret
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        object = container.lenientValue(.object)?.stringValue
        url = Lenient.url(container.lenientValue(.url))
        description = container.lenientValue(.description)?.stringValue
        events = (container.lenientValue(.events)?.arrayValue ?? []).compactMap {
            $0.stringValue.map { BeatAPIWebhookEventType(rawValue: $0) }
        }
        status = container.lenientValue(.status)?.stringValue.map { BeatAPIWebhookEndpointStatus(rawValue: $0) }
        createdAt = Lenient.date(container.lenientValue(.createdAt))
        updatedAt = Lenient.date(container.lenientValue(.updatedAt))
        // Only a masked secret is kept here; the real one lives in BeatAPICreatedWebhookEndpoint.
        maskedSecret = container.lenientValue(.secret)?.stringValue.flatMap { $0.contains("*") ? $0 : nil }
    }
}

/// The answer to creating a webhook endpoint: the endpoint, and its signing secret — the only
/// time BeatAPI shows it.
///
/// ```swift
/// let created = try await beatAPI.createWebhookEndpoint(url: hookURL)
/// if let secret = created.secret {
///     try keychain.save(secret.value, for: created.endpoint.id)
/// }
/// print(created)   // BeatAPICreatedWebhookEndpoint(endpoint: …, secret: Optional(<redacted>))
/// ```
public struct BeatAPICreatedWebhookEndpoint: Hashable, Sendable, Decodable {
    public let endpoint: BeatAPIWebhookEndpoint
    /// The `whsec_…` secret that signs deliveries; `nil` only if BeatAPI sent none (or a masked one).
    public let secret: BeatAPIWebhookSecret?

    private enum CodingKeys: String, CodingKey {
        case secret
    }

    public init(from decoder: any Decoder) throws {
        endpoint = try BeatAPIWebhookEndpoint(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = (try? container.decodeIfPresent(String.self, forKey: .secret)) ?? nil
        secret = text.flatMap { $0.isEmpty || $0.contains("*") ? nil : BeatAPIWebhookSecret($0) }
    }
}

/// Whether an endpoint receives deliveries: `active` or `disabled`.
///
/// ```swift
/// _ = try await beatAPI.updateWebhookEndpoint(id: endpoint.id, status: .disabled)
/// ```
public struct BeatAPIWebhookEndpointStatus: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let active = BeatAPIWebhookEndpointStatus(rawValue: "active")
    public static let disabled = BeatAPIWebhookEndpointStatus(rawValue: "disabled")

}
