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
        provesNotProcessed: { response in
            [408, 429].contains(response.status) || BeatAPIError.isIdempotencyConflict(response)
        },
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

    /// The one code BeatAPI gives a keyed create's `409`. Its description documents two causes
    /// under it: the key was used before with a different body, or a request with that key is
    /// still being processed (`createMusicVideoTask`, `createEcommerceVideoTask`,
    /// `editMusicVideoShot`, `composeMusicVideoTask`). The body does not say which.
    static let idempotencyConflict = "idempotency_conflict"

    /// Whether `response` is BeatAPI's `409 idempotency_conflict`: an answer to the key itself,
    /// given before anything of this attempt was processed.
    static func isIdempotencyConflict(_ response: HTTPResponse) -> Bool {
        guard response.status == 409 else { return false }
        return (try? JSONDecoder().decode(Envelope.self, from: response.body))?.error.code == idempotencyConflict
    }

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
        if error.code == idempotencyConflict {
            // The client resends the very same bytes under the same key, so resending can only
            // help: a request still being processed ends, and the resend gets its task back (never
            // a second one). A key used before with another body keeps answering 409, and the
            // call ends `.conflict` once the retry policy runs out.
            details.kind = .conflict
            details.retryable = true
        }
        return details
    }

    /// `error`, ended by `409 idempotency_conflict`, with what to do about it: BeatAPI's body does
    /// not say which of its two causes it was, so both are named.
    static func explainingIdempotencyConflict(_ error: MediaGenError) -> MediaGenError {
        var error = error
        let key = error.idempotencyKey.map { " \($0)" } ?? ""
        if error.kind == .outcomeUnknown {
            error.message +=
                " — BeatAPI still answered idempotency_conflict when the retries ran out: a request under the Idempotency-Key\(key) is likely still being processed (make the same call again later with this key to get its task; BeatAPI makes no second one), unless the key was used before with a different body (then send this request with a new key)"
        } else {
            error.message +=
                " — BeatAPI refused every attempt under the Idempotency-Key\(key), each with the same body: either the key was used before with a different body (send this request with a new key, or the earlier body with this key), or a request under it is still being processed (make the same call again later with this key)"
        }
        return error
    }
}
