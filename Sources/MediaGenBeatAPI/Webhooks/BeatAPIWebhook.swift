import Foundation
import MediaGenCore

/// Checks and reads a BeatAPI webhook delivery: a POST signed in `x-beatapi-signature` with the
/// hex HMAC-SHA256 of `"{timestamp}.{raw body}"`, keyed with the endpoint's `whsec_…` secret, the
/// timestamp (Unix seconds) in `x-beatapi-timestamp`.
///
/// ```swift
/// // In your server's handler, with the body exactly as received:
/// let secret = BeatAPIWebhookSecret(ProcessInfo.processInfo.environment["BEATAPI_WEBHOOK_SECRET"] ?? "")
/// let event = try BeatAPIWebhook.event(body: requestBody, headers: requestHeaders, secret: secret)
/// if event.type == .taskSucceeded {
///     try await event.task.outputs.first?.download(to: URL(fileURLWithPath: "outputs/"))
/// }
/// ```
///
/// A delivery is accepted only when the signature matches and the timestamp is within `tolerance`
/// of now (five minutes by default), so a captured delivery cannot be replayed later. Every
/// failure throws `.invalidSignature` with the reason; answer such a request with 400.
public enum BeatAPIWebhook {
    public static let eventHeader = "x-beatapi-event"
    public static let timestampHeader = "x-beatapi-timestamp"
    public static let signatureHeader = "x-beatapi-signature"

    /// Throws `.invalidSignature` unless the delivery's headers sign it with `secret` within
    /// `tolerance` of `now`.
    ///
    /// ```swift
    /// let secret = BeatAPIWebhookSecret(ProcessInfo.processInfo.environment["BEATAPI_WEBHOOK_SECRET"] ?? "")
    /// try BeatAPIWebhook.verify(body: requestBody, headers: requestHeaders, secret: secret)
    /// ```
    public static func verify(
        body: Data,
        headers: HTTPHeaders,
        secret: BeatAPIWebhookSecret,
        tolerance: Duration = WebhookVerification.defaultTolerance,
        now: Date = Date()
    ) throws(MediaGenError) {
        try verify(
            body: body, timestamp: headers[timestampHeader], signature: headers[signatureHeader], secret: secret,
            tolerance: tolerance, now: now)
    }

    /// Throws `.invalidSignature` unless `signature` signs `timestamp` and `body` with `secret`
    /// and `timestamp` is within `tolerance` of `now`.
    public static func verify(
        body: Data,
        timestamp: String?,
        signature: String?,
        secret: BeatAPIWebhookSecret,
        tolerance: Duration = WebhookVerification.defaultTolerance,
        now: Date = Date()
    ) throws(MediaGenError) {
        // First, so that a blank secret is named even when the timestamp is stale too.
        try WebhookVerification.checkSecret(secret.value, provider: .beatAPI)
        let stamp = timestamp?.trimmingCharacters(in: .whitespaces) ?? ""
        try WebhookVerification.checkTimestamp(stamp, tolerance: tolerance, now: now, provider: .beatAPI)
        var hex = signature?.trimmingCharacters(in: .whitespaces)
        if let text = hex, text.lowercased().hasPrefix("sha256=") { hex = String(text.dropFirst("sha256=".count)) }
        try WebhookVerification.checkHMACSHA256(
            signatureHex: hex, secret: secret.value, message: Data("\(stamp).".utf8) + body, provider: .beatAPI)
    }

    /// Verifies the delivery from its headers, then decodes the event and the task it carries.
    public static func event(
        body: Data,
        headers: HTTPHeaders,
        secret: BeatAPIWebhookSecret,
        tolerance: Duration = WebhookVerification.defaultTolerance,
        now: Date = Date()
    ) throws(MediaGenError) -> BeatAPIWebhookEvent {
        try event(
            body: body, timestamp: headers[timestampHeader], signature: headers[signatureHeader], secret: secret,
            tolerance: tolerance, now: now)
    }

    /// Verifies the delivery, then decodes the event and the task it carries.
    public static func event(
        body: Data,
        timestamp: String?,
        signature: String?,
        secret: BeatAPIWebhookSecret,
        tolerance: Duration = WebhookVerification.defaultTolerance,
        now: Date = Date()
    ) throws(MediaGenError) -> BeatAPIWebhookEvent {
        try verify(
            body: body, timestamp: timestamp, signature: signature, secret: secret, tolerance: tolerance, now: now)
        return try WebhookVerification.decode(
            BeatAPIWebhookEvent.self, from: body, expecting: "a BeatAPI event", provider: .beatAPI)
    }
}
