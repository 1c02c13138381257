import Foundation
import MediaGenCore

/// Checks and reads a fal webhook delivery, synchronously, against keys you already have.
///
/// ```swift
/// // In your server's handler, with the body exactly as received:
/// let keys = try JSONDecoder().decode(FalJSONWebKeySet.self, from: cachedJWKS)
/// let delivery = try FalWebhook.event(body: body, headers: headers, keys: keys)
/// if delivery.status == .succeeded { … }
/// ```
///
/// fal signs `"{request_id}\n{user_id}\n{timestamp}\n{hex SHA-256 of the body}"` with Ed25519 and
/// sends the hex signature in `X-Fal-Webhook-Signature`, beside `X-Fal-Webhook-Request-Id`,
/// `-User-Id` and `-Timestamp` (Unix seconds). A delivery is accepted when the timestamp is within
/// `tolerance` (5 minutes) of now and the signature verifies with one of the keys. Every failure
/// is `.invalidSignature` with the reason. The signature is checked by the `verifier` you pass, or
/// else by `SignatureVerifiers.platformDefault` (CryptoKit on Apple platforms, the built-in
/// `Ed25519Verifier` on Linux). ``FalWebhookVerifier`` does the same with keys it fetches and
/// caches.
///
/// The signature binds the request id and your fal user id. Pass `expectedUserID` (your key's
/// user id) so that a delivery fal signed for another account is refused, and `expectedRequestID`
/// when the handler knows which request it waits for (a URL per request). The timestamp limits a
/// replay to five minutes; within them the same delivery can arrive twice (fal also retries for
/// about two hours), so de-duplicate by ``FalWebhookDelivery/requestID``.
public enum FalWebhook {
    /// The request the delivery is about.
    public static let requestIDHeader = "X-Fal-Webhook-Request-Id"
    /// The fal user (your key's id) the delivery is for.
    public static let userIDHeader = "X-Fal-Webhook-User-Id"
    /// When fal signed the delivery, in Unix seconds.
    public static let timestampHeader = "X-Fal-Webhook-Timestamp"
    /// The hex Ed25519 signature.
    public static let signatureHeader = "X-Fal-Webhook-Signature"

    /// What fal signs: `"{request_id}\n{user_id}\n{timestamp}\n{sha256 hex of body}"`.
    ///
    /// ```swift
    /// let message = FalWebhook.signedMessage(body: body, requestID: id, userID: user, timestamp: "1767225600")
    /// ```
    public static func signedMessage(body: Data, requestID: String, userID: String, timestamp: String) -> Data {
        let digest = SecureHash.sha256(body).map { String(format: "%02x", $0) }.joined()
        return Data("\(requestID)\n\(userID)\n\(timestamp)\n\(digest)".utf8)
    }

    /// Throws unless the delivery is fresh, signed by one of `keys`, and signed for the expected
    /// request and user when you name them.
    ///
    /// ```swift
    /// try FalWebhook.verify(body: body, headers: headers, keys: keys, verifier: verifier,
    ///                       expectedUserID: "my-fal-user-id")
    /// ```
    ///
    /// A delivery signed for another request id or user id than `expectedRequestID` /
    /// `expectedUserID` is `.invalidSignature` naming the mismatch; `nil` accepts any.
    public static func verify(
        body: Data,
        headers: HTTPHeaders,
        keys: FalJSONWebKeySet,
        verifier: (any SignatureVerifier)? = nil,
        expectedRequestID: String? = nil,
        expectedUserID: String? = nil,
        tolerance: Duration = WebhookVerification.defaultTolerance,
        now: Date = Date()
    ) throws(MediaGenError) {
        let signed = try SignedDelivery(
            body: body, headers: headers, expectedRequestID: expectedRequestID, expectedUserID: expectedUserID,
            tolerance: tolerance, now: now)
        let verifier = try WebhookVerification.requireVerifier(verifier, provider: .fal)
        try signed.check(with: keys, verifier: verifier)
    }

    /// Verifies the delivery (see ``verify(body:headers:keys:verifier:expectedRequestID:expectedUserID:tolerance:now:)``),
    /// then decodes it.
    ///
    /// ```swift
    /// let delivery = try FalWebhook.event(body: body, headers: headers, keys: keys, verifier: verifier)
    /// ```
    public static func event(
        body: Data,
        headers: HTTPHeaders,
        keys: FalJSONWebKeySet,
        verifier: (any SignatureVerifier)? = nil,
        expectedRequestID: String? = nil,
        expectedUserID: String? = nil,
        tolerance: Duration = WebhookVerification.defaultTolerance,
        now: Date = Date()
    ) throws(MediaGenError) -> FalWebhookDelivery {
        try verify(
            body: body, headers: headers, keys: keys, verifier: verifier, expectedRequestID: expectedRequestID,
            expectedUserID: expectedUserID, tolerance: tolerance, now: now)
        return try decode(body)
    }

    /// Verifies the delivery, then decodes it: the name before ``event(body:headers:keys:verifier:expectedRequestID:expectedUserID:tolerance:now:)``.
    @available(
        *, deprecated, renamed: "event(body:headers:keys:verifier:expectedRequestID:expectedUserID:tolerance:now:)"
    )
    public static func delivery(
        body: Data,
        headers: HTTPHeaders,
        keys: FalJSONWebKeySet,
        verifier: (any SignatureVerifier)? = nil,
        expectedRequestID: String? = nil,
        expectedUserID: String? = nil,
        tolerance: Duration = WebhookVerification.defaultTolerance,
        now: Date = Date()
    ) throws(MediaGenError) -> FalWebhookDelivery {
        try event(
            body: body, headers: headers, keys: keys, verifier: verifier, expectedRequestID: expectedRequestID,
            expectedUserID: expectedUserID, tolerance: tolerance, now: now)
    }

    /// Decodes a delivery without verifying it: for tests, or a body already verified.
    ///
    /// ```swift
    /// let delivery = try FalWebhook.decode(body)
    /// ```
    public static func decode(_ body: Data) throws(MediaGenError) -> FalWebhookDelivery {
        try WebhookVerification.decode(FalWebhookDelivery.self, from: body, expecting: "a fal delivery", provider: .fal)
    }
}

/// A delivery's signature headers, read and checked for freshness.
struct SignedDelivery {
    let message: Data
    let signature: Data
    let requestID: String

    /// Reads the headers and checks, cheapest first: every header present, the signed ids the
    /// expected ones, the timestamp fresh, the signature 64 bytes.
    init(
        body: Data,
        headers: HTTPHeaders,
        expectedRequestID: String?,
        expectedUserID: String?,
        tolerance: Duration,
        now: Date
    ) throws(MediaGenError) {
        func header(_ name: String) throws(MediaGenError) -> String {
            guard let value = headers[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw Self.rejected("the \(name) header is missing")
            }
            return value
        }
        let requestID = try header(FalWebhook.requestIDHeader)
        let userID = try header(FalWebhook.userIDHeader)
        let timestamp = try header(FalWebhook.timestampHeader)
        let signatureHex = try header(FalWebhook.signatureHeader)
        try WebhookVerification.checkSignedID(
            requestID, expected: expectedRequestID, name: "request id", provider: .fal)
        try WebhookVerification.checkSignedID(userID, expected: expectedUserID, name: "user id", provider: .fal)
        try WebhookVerification.checkTimestamp(timestamp, tolerance: tolerance, now: now, provider: .fal)
        guard let signature = Data(hexEncoded: signatureHex), signature.count == 64 else {
            throw Self.rejected("the signature is not 64 bytes of hex")
        }
        self.requestID = requestID
        self.signature = signature
        self.message = FalWebhook.signedMessage(body: body, requestID: requestID, userID: userID, timestamp: timestamp)
    }

    /// Accepts when any Ed25519 key of the set verifies the signature.
    func check(with keys: FalJSONWebKeySet, verifier: any SignatureVerifier) throws(MediaGenError) {
        guard matches(keys, verifier: verifier) else {
            let reason =
                keys.ed25519PublicKeys.isEmpty
                ? "the key set has no Ed25519 key" : "the signature matches none of fal's keys"
            throw Self.rejected(reason)
        }
    }

    func matches(_ keys: FalJSONWebKeySet, verifier: any SignatureVerifier) -> Bool {
        // A key the verifier cannot use counts as not matching; another key may still verify.
        keys.ed25519PublicKeys.contains { key in
            (try? verifier.isValidEd25519Signature(signature, for: message, publicKey: key)) == true
        }
    }

    static func rejected(_ reason: String) -> MediaGenError {
        MediaGenError(.invalidSignature, provider: .fal, message: reason)
    }
}
