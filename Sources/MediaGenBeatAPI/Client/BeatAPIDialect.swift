import Foundation
import MediaGenCore

extension Provider {
    /// BeatAPI (`https://api.beatapi.io/v1`); its key is read from `BEATAPI_API_KEY`.
    ///
    /// ```swift
    /// if error.provider == .beatAPI, error.providerCode == "user_concurrency_exceeded" {
    ///     print("wait for one of your BeatAPI tasks to finish")
    /// }
    /// ```
    public static let beatAPI = Provider(
        "beatapi", displayName: "BeatAPI", apiKeyEnvironmentVariable: "BEATAPI_API_KEY")
}

extension ProviderDialect {
    /// How BeatAPI speaks: `Authorization: Bearer`, `Idempotency-Key` on creates, and errors as
    /// `{"error": {"code", "message", "request_id", "retry_after_seconds"?, "details"?}}`.
    static let beatAPI = ProviderDialect(
        provider: .beatAPI,
        defaultBaseURL: .constant("https://api.beatapi.io/v1"),
        authorizationHeader: "Authorization",
        authorizationValue: { "Bearer \($0)" },
        idempotencyHeader: "Idempotency-Key",
        requestIDHeaders: ["x-request-id", "request-id"],
        parseError: BeatAPIError.details(in:json:),
        makeEncoder: {
            // Sorted keys: the same call always sends the same bytes, whatever a server
            // compares when it matches an `Idempotency-Key` to its body.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return encoder
        }
    )
}

extension BeatAPIError {
    /// Error codes that ask the client not to retry even though their status is transient: an
    /// account's concurrency limit lasts until one of its tasks ends, not a few seconds.
    static let notRetryableCodes: Set<String> = ["user_concurrency_exceeded"]

    /// Reads an error answer in the executor's vocabulary; `nil` for a real success.
    static func details(in response: HTTPResponse, json: JSONNode?) -> ProviderErrorDetails? {
        if response.isSuccess {
            // Every success is `{"data": …}`; an `error` member without `data` is an error anyway.
            // Every poll's answer passes here: look at those two members, not the whole document.
            guard let node = json, case .object? = node["error"],
                node["data"] == nil
            else { return nil }
        }
        let body = try? json?.jsonValue()
        guard let envelope = body?["error"], let error = try? envelope.decode(as: BeatAPIError.self) else {
            let text = body?["error"]?.stringValue ?? body?["message"]?.stringValue
            return response.isSuccess ? nil : ProviderErrorDetails(message: text)
        }
        var details = ProviderErrorDetails(
            message: error.message,
            code: error.code,
            requestID: error.requestID,
            retryAfter: error.retryAfter,
            field: error.field
        )
        if let code = error.code, notRetryableCodes.contains(code) {
            details.retryable = false
        }
        if error.code == "insufficient_credits" {
            details.kind = .insufficientCredits
        }
        return details
    }
}
