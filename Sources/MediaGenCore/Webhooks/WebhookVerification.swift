import Foundation

/// The checks every signed webhook needs: a fresh timestamp, a matching HMAC, an Ed25519 verifier
/// that really exists. Provider modules build their `verify…` functions from these.
///
/// ```swift
/// // BeatAPI signs "{timestamp}.{raw body}" with the endpoint's secret:
/// try WebhookVerification.checkTimestamp(headers["x-beatapi-timestamp"], provider: .beatAPI)
/// let signed = Data("\(timestamp).".utf8) + body
/// try WebhookVerification.checkHMACSHA256(signatureHex: headers["x-beatapi-signature"],
///                                         secret: secret, message: signed, provider: .beatAPI)
/// ```
///
/// Every failure is `.invalidSignature` with the reason, so a handler can answer 400 and log why.
/// Comparisons are constant-time.
public enum WebhookVerification {
    /// How far a delivery's timestamp may be from now: fal documents five minutes.
    public static let defaultTolerance: Duration = .seconds(300)

    /// Checks a Unix-seconds timestamp header is within `tolerance` of `now`, either way.
    public static func checkTimestamp(
        _ timestamp: String?,
        tolerance: Duration = defaultTolerance,
        now: Date = Date(),
        provider: Provider
    ) throws(MediaGenError) {
        // Unix seconds: digits, optionally with a fraction; not exponents or hex, which `Double` also reads.
        let text = timestamp?.trimmingCharacters(in: .whitespaces) ?? ""
        guard text.range(of: #"^[0-9]{1,12}(\.[0-9]+)?$"#, options: .regularExpression) != nil,
            let seconds = Double(text)
        else {
            throw rejected("missing or unreadable timestamp", provider: provider)
        }
        let skew = abs(now.timeIntervalSince1970 - seconds)
        guard skew <= tolerance.seconds else {
            throw rejected(
                "timestamp is \(Int(skew)) s from now, beyond the \(MediaGenError.format(tolerance)) tolerance (replayed or clock skew)",
                provider: provider
            )
        }
    }

    /// Checks a hex HMAC-SHA256 signature of `message` keyed with `secret`.
    public static func checkHMACSHA256(
        signatureHex: String?,
        secret: String,
        message: Data,
        provider: Provider
    ) throws(MediaGenError) {
        guard let signatureHex, let signature = Data(hexEncoded: signatureHex.trimmingCharacters(in: .whitespaces))
        else {
            throw rejected("missing or non-hex signature", provider: provider)
        }
        let expected = SecureHash.hmacSHA256(key: Data(secret.utf8), message: message)
        guard SecureHash.constantTimeEquals(expected, signature) else {
            throw rejected("signature does not match the body", provider: provider)
        }
    }

    /// `verifier`, or the platform's; an `.unsupported` error saying how to plug one in when neither exists.
    public static func requireVerifier(
        _ verifier: (any SignatureVerifier)?,
        provider: Provider
    ) throws(MediaGenError) -> any SignatureVerifier {
        if let verifier = verifier ?? SignatureVerifiers.platformDefault { return verifier }
        throw MediaGenError(
            .unsupported,
            provider: provider,
            message:
                "no Ed25519 verifier on this platform: pass a `SignatureVerifier` (for example one backed by swift-crypto's Curve25519) — deliveries are never accepted unverified"
        )
    }

    static func rejected(_ reason: String, provider: Provider) -> MediaGenError {
        MediaGenError(.invalidSignature, provider: provider, message: reason)
    }
}
