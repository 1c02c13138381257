import Foundation
import MediaGenCore

/// Checks and reads a Skytells webhook delivery: a POST signed in `X-Skytells-Signature` with the
/// lowercase hex HMAC-SHA256 of the raw body.
///
/// ```swift
/// // In your server's handler, with the body and headers exactly as received:
/// let event = try SkytellsWebhook.event(
///     body: requestBody,
///     headers: requestHeaders,
///     secret: ProcessInfo.processInfo.environment["SKYTELLS_API_KEY"] ?? "")
/// if event.prediction.status == .succeeded {
///     print(event.type, event.prediction.outputs.map(\.url))   // download them before they expire
/// }
/// ```
///
/// The key is your API key, or the dashboard's webhook secret when your account has one. Verify
/// before trusting anything in the body; a mismatch throws `.invalidSignature`. Skytells documents
/// two bodies, and both decode into ``SkytellsWebhookEvent``: the prediction itself, and an
/// envelope `{"type": "prediction.succeeded", "created_at": …, "data": {…prediction…}}`.
public enum SkytellsWebhook {
    public static let signatureHeader = "X-Skytells-Signature"

    /// Throws `.invalidSignature` unless the delivery's `X-Skytells-Signature` is the HMAC of
    /// `body` keyed with `secret`.
    ///
    /// ```swift
    /// try SkytellsWebhook.verify(body: requestBody, headers: requestHeaders, secret: webhookSecret)
    /// ```
    public static func verify(body: Data, headers: HTTPHeaders, secret: String) throws(MediaGenError) {
        try verify(body: body, signature: headers[signatureHeader], secret: secret)
    }

    /// Throws `.invalidSignature` unless `signature` is the HMAC of `body` keyed with `secret`.
    ///
    /// ```swift
    /// try SkytellsWebhook.verify(body: requestBody, signature: signatureHeaderValue, secret: webhookSecret)
    /// ```
    public static func verify(body: Data, signature: String?, secret: String) throws(MediaGenError) {
        try WebhookVerification.checkHMACSHA256(
            signatureHex: signature, secret: secret, message: body, provider: .skytells)
    }

    /// Verifies the delivery from its headers, then decodes the event and its prediction.
    ///
    /// ```swift
    /// let event = try SkytellsWebhook.event(body: requestBody, headers: requestHeaders, secret: webhookSecret)
    /// ```
    public static func event(body: Data, headers: HTTPHeaders, secret: String) throws(MediaGenError)
        -> SkytellsWebhookEvent
    {
        try event(body: body, signature: headers[signatureHeader], secret: secret)
    }

    /// Verifies the delivery, then decodes the event and its prediction.
    ///
    /// ```swift
    /// let event = try SkytellsWebhook.event(body: requestBody, signature: signatureHeaderValue, secret: webhookSecret)
    /// ```
    public static func event(body: Data, signature: String?, secret: String) throws(MediaGenError)
        -> SkytellsWebhookEvent
    {
        try verify(body: body, signature: signature, secret: secret)
        return try WebhookVerification.decode(
            SkytellsWebhookEvent.self, from: body, expecting: "a Skytells prediction event", provider: .skytells)
    }

    /// Verifies the delivery, then decodes the prediction it carries.
    @available(*, deprecated, message: "use event(body:signature:secret:) and read its prediction")
    public static func prediction(body: Data, signature: String?, secret: String) throws(MediaGenError) -> Prediction {
        try event(body: body, signature: signature, secret: secret).prediction
    }
}
