import Foundation
import MediaGenCore

extension Provider {
    /// Beatra (`https://api.beatra.ai/v1`, Preview); its key is read from `BEATRA_API_KEY`.
    ///
    /// ```swift
    /// catch let error as MediaGenError where error.provider == .beatra {
    ///     print(error.requestID ?? "no X-Request-Id")
    /// }
    /// ```
    public static let beatra = Provider("beatra", displayName: "Beatra", apiKeyEnvironmentVariable: "BEATRA_API_KEY")
}

extension ProviderDialect {
    /// How Beatra speaks: `Authorization: Bearer <key>`, `Idempotency-Key` on creates, `X-Request-Id`
    /// on every answer, and errors as `{"error": {"code", "message", "retryable", "request_id", "param"?}}`.
    static let beatra = ProviderDialect(
        provider: .beatra,
        defaultBaseURL: BeatraClient.defaultBaseURL,
        authorizationHeader: "Authorization",
        authorizationValue: { "Bearer \($0)" },
        idempotencyHeader: "Idempotency-Key",
        requestIDHeaders: ["X-Request-Id"],
        parseError: BeatraError.details(in:json:)
    )
}

/// Reads Beatra's error bodies.
enum BeatraError {
    /// The code Beatra gives a reused `Idempotency-Key` sent with another body.
    static let idempotencyConflict = "idempotency_conflict"

    static func details(in response: HTTPResponse, json: JSONNode?) -> ProviderErrorDetails? {
        if response.isSuccess { return nil }
        guard let body = try? json?.jsonValue() else {
            // A proxy's HTML page or an empty body: the status decides.
            return ProviderErrorDetails()
        }
        let error = body["error"]
        var details = ProviderErrorDetails(
            message: error?["message"]?.stringValue ?? error?.stringValue ?? body["message"]?.stringValue,
            code: error?["code"]?.stringValue,
            requestID: error?["request_id"]?.stringValue,
            // Beatra's own verdict: retry only when it says so (the executor honours it over the status).
            retryable: error?["retryable"]?.boolValue,
            field: error?["param"]?.stringValue
        )
        switch details.code {
        case "insufficient_credits":
            details.kind = .insufficientCredits
        case Self.idempotencyConflict:
            details.kind = .conflict
        case "unauthorized", "invalid_api_key", "forbidden":
            details.kind = .authentication
        default:
            break
        }
        return details
    }
}
