import Foundation

/// The checks every signed webhook needs: a fresh timestamp, a matching HMAC, an Ed25519
/// verifier. Provider modules build their `verify…` functions from these.
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
    ///
    /// ```swift
    /// try WebhookVerification.checkHMACSHA256(signatureHex: headers["X-Skytells-Signature"],
    ///                                         secret: secret, message: body, provider: .skytells)
    /// ```
    ///
    /// A blank `secret` is refused first (see ``checkSecret(_:provider:)``): an HMAC keyed with it
    /// is one anyone can compute.
    public static func checkHMACSHA256(
        signatureHex: String?,
        secret: String,
        message: Data,
        provider: Provider
    ) throws(MediaGenError) {
        try checkSecret(secret, provider: provider)
        guard let signatureHex, let signature = Data(hexEncoded: signatureHex.trimmingCharacters(in: .whitespaces))
        else {
            throw rejected("missing or non-hex signature", provider: provider)
        }
        let expected = SecureHash.hmacSHA256(key: Data(secret.utf8), message: message)
        guard SecureHash.constantTimeEquals(expected, signature) else {
            throw rejected("signature does not match the body", provider: provider)
        }
    }

    /// Checks a webhook signing secret is there: not `nil`, not empty, not only whitespace.
    ///
    /// ```swift
    /// let secret = ProcessInfo.processInfo.environment["BEATAPI_WEBHOOK_SECRET"]
    /// try WebhookVerification.checkSecret(secret, provider: .beatAPI)  // throws when unset or blank
    /// ```
    ///
    /// An HMAC keyed with an empty secret is one anyone can compute, so a blank secret (an unset
    /// environment variable read as `""`, a vault entry that is not there) would accept forged
    /// deliveries. It is refused with `.invalidSignature`; the message never repeats the secret.
    public static func checkSecret(_ secret: String?, provider: Provider) throws(MediaGenError) {
        guard let secret, !secret.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw rejected(
                "no webhook secret to verify with: the secret is empty or blank, and a signature keyed with it is one anyone can compute — pass the \(provider.displayName) signing secret (check the environment variable or vault entry it is read from is set)",
                provider: provider)
        }
    }

    /// Checks an id the provider signed (a request id, a user id) is the one the app expects.
    ///
    /// ```swift
    /// // fal signs the request id and the user id it delivers for:
    /// try WebhookVerification.checkSignedID(
    ///     headers["X-Fal-Webhook-User-Id"] ?? "", expected: "my-fal-user", name: "user id", provider: .fal)
    /// ```
    ///
    /// `expected` `nil` accepts any id. A different id throws `.invalidSignature` naming both: the
    /// delivery is authentic but about something else (another account's request, or a delivery
    /// replayed to the wrong handler). A blank `expected` is a mistake and is refused too.
    public static func checkSignedID(
        _ signed: String,
        expected: String?,
        name: String,
        provider: Provider
    ) throws(MediaGenError) {
        guard let expected else { return }
        let wanted = expected.trimmingCharacters(in: .whitespaces)
        guard !wanted.isEmpty else {
            throw rejected(
                "the expected \(name) is blank: pass the \(name) you expect, or nil to accept any", provider: provider)
        }
        guard signed.trimmingCharacters(in: .whitespaces) == wanted else {
            throw rejected(
                "the delivery is signed for \(name) `\(signed.prefix(100))`, not the expected `\(wanted.prefix(100))`: it concerns something else (another account's request, or a delivery replayed to the wrong handler)",
                provider: provider)
        }
    }

    /// `verifier` when one is passed, else ``SignatureVerifiers/platformDefault``: the
    /// caller's verifier always wins.
    ///
    /// ```swift
    /// let verifier = try WebhookVerification.requireVerifier(nil, provider: .fal)  // the platform's
    /// ```
    ///
    /// Every platform has a verifier now (``Ed25519Verifier`` where CryptoKit is missing), so this
    /// no longer throws; it stays throwing so that callers need no change.
    public static func requireVerifier(
        _ verifier: (any SignatureVerifier)?,
        provider: Provider
    ) throws(MediaGenError) -> any SignatureVerifier {
        verifier ?? SignatureVerifiers.platformDefault
    }

    /// Decodes a verified delivery's body as `Event`; a body that is not one is `.decoding` with
    /// the body's first 200 characters, saying what was expected.
    ///
    /// ```swift
    /// struct Ping: Decodable { var id: String }
    /// let ping = try WebhookVerification.decode(
    ///     Ping.self, from: Data(#"{"id": "evt_1"}"#.utf8), expecting: "a ping", provider: .beatAPI)
    /// ```
    public static func decode<Event: Decodable>(
        _ type: Event.Type,
        from body: Data,
        expecting description: String,
        provider: Provider
    ) throws(MediaGenError) -> Event {
        do {
            return try JSONReader().decode(Event.self, from: body)
        } catch {
            throw MediaGenError(
                .decoding(snippet: String(decoding: body.prefix(200), as: UTF8.self)), provider: provider,
                message: "the webhook body is not \(description): \(error)")
        }
    }

    static func rejected(_ reason: String, provider: Provider) -> MediaGenError {
        MediaGenError(.invalidSignature, provider: provider, message: reason)
    }
}
