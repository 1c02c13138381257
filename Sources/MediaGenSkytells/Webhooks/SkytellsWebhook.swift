import Foundation
import MediaGenCore

/// Checks and reads a Skytells webhook delivery: a POST whose body is the prediction, signed in
/// `X-Skytells-Signature` with the lowercase hex HMAC-SHA256 of the raw body.
///
/// ```swift
/// // In your server's handler, with the body exactly as received:
/// let prediction = try SkytellsWebhook.prediction(
///     body: requestBody,
///     signature: request.headers["X-Skytells-Signature"],
///     secret: ProcessInfo.processInfo.environment["SKYTELLS_API_KEY"] ?? "")
/// if prediction.status == .succeeded { … download prediction.outputs before they expire … }
/// ```
///
/// The key is your API key, or the dashboard's webhook secret when your account has one. Verify
/// before trusting anything in the body; a mismatch throws `.invalidSignature`.
public enum SkytellsWebhook {
    public static let signatureHeader = "X-Skytells-Signature"

    /// Throws `.invalidSignature` unless `signature` is the HMAC of `body` keyed with `secret`.
    public static func verify(body: Data, signature: String?, secret: String) throws(MediaGenError) {
        try WebhookVerification.checkHMACSHA256(
            signatureHex: signature, secret: secret, message: body, provider: .skytells)
    }

    /// Verifies the delivery, then decodes the prediction it carries.
    public static func prediction(body: Data, signature: String?, secret: String) throws(MediaGenError) -> Prediction {
        try verify(body: body, signature: signature, secret: secret)
        do {
            return try JSONReader().decode(Prediction.self, from: body)
        } catch {
            let snippet = String(decoding: body.prefix(200), as: UTF8.self)
            throw MediaGenError(
                .decoding(snippet: snippet), provider: .skytells,
                message: "the webhook body is not a prediction: \(error)")
        }
    }
}
