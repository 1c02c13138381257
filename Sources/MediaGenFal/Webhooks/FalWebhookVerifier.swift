import Foundation
import MediaGenCore

/// Verifies fal webhook deliveries with fal's published keys, fetched once and cached.
///
/// ```swift
/// let fal = FalClient()
/// // CryptoKit verifies on Apple platforms, MediaGenKit's own Ed25519Verifier on Linux.
/// let webhooks = FalWebhookVerifier(client: fal)
///
/// // In each request handler, with the raw body and headers:
/// let delivery = try await webhooks.event(body: body, headers: headers)
/// print(delivery.requestID, delivery.status)
/// ```
///
/// Keys come either from you (``init(keys:verifier:expectedUserID:tolerance:)``: never fetched) or from
/// the client's ``FalClient/webhookKeySetURL`` (or a `keySetURL` you give): fetched on first use, kept for
/// `maxKeyAge` (a day), and fetched again once when a signature matches none of the cached keys —
/// fal may have rotated them — but not more than once per `refetchInterval`, so forged deliveries
/// cannot make the server hammer fal. Concurrent first deliveries share one fetch.
///
/// fal signs the request id and the user id a delivery is for. Give `expectedUserID` (your fal
/// user id) so that deliveries fal signed for another account are refused, and
/// `expectedRequestID` per call when the handler knows the request.
public actor FalWebhookVerifier {
    private let source: (@Sendable () async throws -> FalJSONWebKeySet)?
    private let verifier: (any SignatureVerifier)?
    private let expectedUserID: String?
    private let tolerance: Duration
    private let maxKeyAge: TimeInterval
    private let refetchInterval: TimeInterval
    private var cached: (keys: FalJSONWebKeySet, fetchedAt: Date)?
    private var fetching: Task<FalJSONWebKeySet, any Error>?

    /// Verifies against keys you supply; nothing is ever fetched.
    ///
    /// ```swift
    /// let webhooks = FalWebhookVerifier(keys: pinnedKeys, expectedUserID: "my-fal-user-id")
    /// ```
    ///
    /// With `expectedUserID`, a delivery fal signed for another user id is `.invalidSignature`. A
    /// `verifier` you pass replaces `SignatureVerifiers.platformDefault`.
    public init(
        keys: FalJSONWebKeySet,
        verifier: (any SignatureVerifier)? = nil,
        expectedUserID: String? = nil,
        tolerance: Duration = WebhookVerification.defaultTolerance
    ) {
        self.source = nil
        self.verifier = verifier
        self.expectedUserID = expectedUserID
        self.tolerance = tolerance
        self.maxKeyAge = .infinity
        self.refetchInterval = .infinity
        self.cached = (keys, .distantPast)
    }

    /// Verifies against fal's keys, fetched through `client` and cached.
    ///
    /// ```swift
    /// let webhooks = FalWebhookVerifier(client: FalClient(), expectedUserID: "my-fal-user-id")
    /// ```
    ///
    /// The keys come from `keySetURL`, by default the client's ``FalClient/webhookKeySetURL`` (the
    /// address fal documents, `https://rest.alpha.fal.ai/.well-known/jwks.json`, unless the client
    /// has another REST host). With `expectedUserID`, a delivery fal signed for another user id is
    /// `.invalidSignature`. A `verifier` you pass replaces `SignatureVerifiers.platformDefault`.
    public init(
        client: FalClient,
        keySetURL: URL? = nil,
        verifier: (any SignatureVerifier)? = nil,
        expectedUserID: String? = nil,
        tolerance: Duration = WebhookVerification.defaultTolerance,
        maxKeyAge: Duration = .seconds(24 * 60 * 60),
        refetchInterval: Duration = .seconds(60)
    ) {
        self.source = { try await client.webhookKeys(from: keySetURL) }
        self.verifier = verifier
        self.expectedUserID = expectedUserID
        self.tolerance = tolerance
        self.maxKeyAge = maxKeyAge.seconds
        self.refetchInterval = refetchInterval.seconds
        self.cached = nil
    }

    /// Throws unless the delivery is fresh, signed by one of fal's keys, and signed for the
    /// expected user (and request, when you name it).
    ///
    /// ```swift
    /// try await webhooks.verify(body: body, headers: headers, expectedRequestID: submitted.requestID)
    /// ```
    ///
    /// `now` is the time to judge the timestamp and the keys' age by. A delivery signed for another
    /// request id than `expectedRequestID` is `.invalidSignature` naming both ids.
    public func verify(
        body: Data,
        headers: HTTPHeaders,
        expectedRequestID: String? = nil,
        now: Date = Date()
    ) async throws {
        // Cheap checks first: a stale, unsigned or misaddressed delivery never causes a fetch.
        let signed = try SignedDelivery(
            body: body, headers: headers, expectedRequestID: expectedRequestID, expectedUserID: expectedUserID,
            tolerance: tolerance, now: now)
        let verifier = try WebhookVerification.requireVerifier(verifier, provider: .fal)
        let (keys, fresh) = try await currentKeys(now: now)
        if signed.matches(keys, verifier: verifier) { return }
        if !fresh, let fetchedAt = cached?.fetchedAt, now.timeIntervalSince(fetchedAt) >= refetchInterval {
            let rotated = try await fetch(now: now)
            if signed.matches(rotated, verifier: verifier) { return }
            try signed.check(with: rotated, verifier: verifier)
        }
        try signed.check(with: keys, verifier: verifier)
    }

    /// Verifies the delivery, then decodes it.
    ///
    /// ```swift
    /// let delivery = try await webhooks.event(body: body, headers: headers)
    /// ```
    public func event(
        body: Data,
        headers: HTTPHeaders,
        expectedRequestID: String? = nil,
        now: Date = Date()
    ) async throws -> FalWebhookDelivery {
        try await verify(body: body, headers: headers, expectedRequestID: expectedRequestID, now: now)
        return try FalWebhook.decode(body)
    }

    /// Verifies the delivery, then decodes it: the name before ``event(body:headers:expectedRequestID:now:)``.
    @available(*, deprecated, renamed: "event(body:headers:expectedRequestID:now:)")
    public func delivery(
        body: Data,
        headers: HTTPHeaders,
        expectedRequestID: String? = nil,
        now: Date = Date()
    ) async throws -> FalWebhookDelivery {
        try await event(body: body, headers: headers, expectedRequestID: expectedRequestID, now: now)
    }

    /// The keys to use, and whether they were fetched for this very call.
    private func currentKeys(now: Date) async throws -> (FalJSONWebKeySet, fresh: Bool) {
        if let cached, now.timeIntervalSince(cached.fetchedAt) < maxKeyAge || source == nil {
            return (cached.keys, false)
        }
        return (try await fetch(now: now), true)
    }

    private func fetch(now: Date) async throws -> FalJSONWebKeySet {
        guard let source else { return cached?.keys ?? FalJSONWebKeySet(keys: []) }
        if let fetching { return try await fetching.value }
        let task = Task { try await source() }
        fetching = task
        defer { fetching = nil }
        let keys = try await task.value
        cached = (keys, now)
        return keys
    }
}
