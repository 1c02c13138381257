import Foundation

/// What a provider's error answer said, in the shared vocabulary.
package struct ProviderErrorDetails: Sendable {
    package var message: String?
    package var code: String?
    package var requestID: String?
    /// A wait the body asked for (BeatAPI's `retry_after_seconds`); the header is read separately.
    package var retryAfter: Duration?
    /// The provider's own verdict on retrying, when it gives one (Beatra's `retryable`). It wins
    /// over the status-based rule.
    package var retryable: Bool?
    /// The input field at fault.
    package var field: String?
    /// Overrides the kind derived from the status (e.g. `INSUFFICIENT_CREDITS` sent with a 403).
    package var kind: MediaGenError.Kind?
    /// The account's standing against the rate limits, when the answer's headers gave it.
    package var rateLimit: RateLimitStatus?

    package init(
        message: String? = nil,
        code: String? = nil,
        requestID: String? = nil,
        retryAfter: Duration? = nil,
        retryable: Bool? = nil,
        field: String? = nil,
        kind: MediaGenError.Kind? = nil,
        rateLimit: RateLimitStatus? = nil
    ) {
        self.rateLimit = rateLimit
        self.message = message
        self.code = code
        self.requestID = requestID
        self.retryAfter = retryAfter
        self.retryable = retryable
        self.field = field
        self.kind = kind
    }
}

/// How one provider speaks: its auth header, how it spells errors, which answers prove a request
/// was never processed. Each provider module builds one; the executor does the rest.
package struct ProviderDialect: Sendable {
    package var provider: Provider
    /// The documented base URL, used unless the configuration overrides it.
    package var defaultBaseURL: URL
    /// The header that carries the credential, and how its value is formed from the key.
    package var authorizationHeader: String
    package var authorizationValue: @Sendable (String) -> String
    package var idempotencyHeader: String
    /// Response headers that carry the provider's request id, in order of preference.
    package var requestIDHeaders: [String]
    /// Reads an error from a response: called for every non-2xx answer, and for 2xx answers too
    /// (return `nil` for a real success) since some providers report errors inside a 200. The
    /// second argument is the body read as JSON (`nil` when it is not JSON): the executor parses
    /// each answer once, for this and for decoding.
    package var parseError: @Sendable (HTTPResponse, JSONNode?) -> ProviderErrorDetails?
    /// `true` when this answer proves the request never reached the application, so even a create
    /// without an idempotency key may be sent again (a 429 rejected at the door; fal's ingress errors).
    package var provesNotProcessed: @Sendable (HTTPResponse) -> Bool
    package var makeEncoder: @Sendable () -> JSONEncoder

    package init(
        provider: Provider,
        defaultBaseURL: URL,
        authorizationHeader: String = "Authorization",
        authorizationValue: @escaping @Sendable (String) -> String = { "Bearer \($0)" },
        idempotencyHeader: String = "Idempotency-Key",
        requestIDHeaders: [String] = ["x-request-id", "request-id"],
        parseError: @escaping @Sendable (HTTPResponse, JSONNode?) -> ProviderErrorDetails? = { _, _ in nil },
        provesNotProcessed: @escaping @Sendable (HTTPResponse) -> Bool = { [408, 429].contains($0.status) },
        makeEncoder: @escaping @Sendable () -> JSONEncoder = { JSONEncoder() }
    ) {
        self.provider = provider
        self.defaultBaseURL = defaultBaseURL
        self.authorizationHeader = authorizationHeader
        self.authorizationValue = authorizationValue
        self.idempotencyHeader = idempotencyHeader
        self.requestIDHeaders = requestIDHeaders
        self.parseError = parseError
        self.provesNotProcessed = provesNotProcessed
        self.makeEncoder = makeEncoder
    }
}
