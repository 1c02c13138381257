import Foundation
import MediaGenCore

/// Verifies fal webhook deliveries with fal's published keys, fetched once and cached.
///
/// ```swift
/// let fal = FalClient()
/// // On Apple platforms CryptoKit verifies; on Linux pass your own Ed25519 (e.g. swift-crypto's).
/// let webhooks = FalWebhookVerifier(client: fal, verifier: SwiftCryptoVerifier())
///
/// // In each request handler, with the raw body and headers:
/// let delivery = try await webhooks.delivery(body: body, headers: headers)
/// print(delivery.requestID, delivery.status)
/// ```
///
/// Keys come either from you (``init(keys:verifier:tolerance:)``: never fetched) or from
/// `{rest}/.well-known/jwks.json` through the client: fetched on first use, kept for
/// `maxKeyAge` (a day), and fetched again once when a signature matches none of the cached keys —
/// fal may have rotated them — but not more than once per `refetchInterval`, so forged deliveries
/// cannot make the server hammer fal. Concurrent first deliveries share one fetch.
public actor FalWebhookVerifier {
    private let source: (@Sendable () async throws -> FalJSONWebKeySet)?
    private let verifier: (any SignatureVerifier)?
    private let tolerance: Duration
    private let maxKeyAge: TimeInterval
    private let refetchInterval: TimeInterval
    private var cached: (keys: FalJSONWebKeySet, fetchedAt: Date)?
    private var fetching: Task<FalJSONWebKeySet, any Error>?

    /// Verifies against keys you supply; nothing is ever fetched.
    ///
    /// ```swift
    /// let webhooks = FalWebhookVerifier(keys: pinnedKeys, verifier: verifier)
    /// ```
    public init(
        keys: FalJSONWebKeySet,
        verifier: (any SignatureVerifier)? = nil,
        tolerance: Duration = WebhookVerification.defaultTolerance
    ) {
        self.source = nil
        self.verifier = verifier
        self.tolerance = tolerance
        self.maxKeyAge = .infinity
        self.refetchInterval = .infinity
        self.cached = (keys, .distantPast)
    }

    /// Verifies against fal's keys, fetched through `client` (from its REST host) and cached.
    ///
    /// ```swift
    /// let webhooks = FalWebhookVerifier(client: FalClient(), verifier: verifier)
    /// ```
    public init(
        client: FalClient,
        verifier: (any SignatureVerifier)? = nil,
        tolerance: Duration = WebhookVerification.defaultTolerance,
        maxKeyAge: Duration = .seconds(24 * 60 * 60),
        refetchInterval: Duration = .seconds(60)
    ) {
        self.source = { try await client.webhookKeys() }
        self.verifier = verifier
        self.tolerance = tolerance
        self.maxKeyAge = maxKeyAge.seconds
        self.refetchInterval = refetchInterval.seconds
        self.cached = nil
    }

    /// Throws unless the delivery is fresh and signed by one of fal's keys.
    ///
    /// ```swift
    /// try await webhooks.verify(body: body, headers: headers)
    /// ```
    ///
    /// `now` is the time to judge the timestamp and the keys' age by.
    public func verify(body: Data, headers: HTTPHeaders, now: Date = Date()) async throws {
        // Cheap checks first: a stale or unsigned delivery never causes a fetch.
        let signed = try SignedDelivery(body: body, headers: headers, tolerance: tolerance, now: now)
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
    /// let delivery = try await webhooks.delivery(body: body, headers: headers)
    /// ```
    public func delivery(body: Data, headers: HTTPHeaders, now: Date = Date()) async throws -> FalWebhookDelivery {
        try await verify(body: body, headers: headers, now: now)
        return try FalWebhook.decode(body)
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
