/// A webhook endpoint's signing secret (`whsec_…`) that never prints: its `description`,
/// `debugDescription` and `dump` all show `<redacted>`. Read ``value`` when you mean to.
///
/// ```swift
/// let created = try await beatAPI.createWebhookEndpoint(url: URL(string: "https://app.example.com/hooks/beatapi")!)
/// print(created.secret as Any)                    // Optional(<redacted>)
/// try vault.store(created.secret?.value ?? "")    // the one time BeatAPI shows it
///
/// // Later, in the webhook handler:
/// let secret = BeatAPIWebhookSecret(try vault.load())
/// let event = try BeatAPIWebhook.event(body: body, headers: headers, secret: secret)
/// ```
///
/// BeatAPI returns the secret once, in the answer to creating the endpoint; later answers mask it.
/// Keep it where you keep other credentials.
public struct BeatAPIWebhookSecret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret itself. Never log it.
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
