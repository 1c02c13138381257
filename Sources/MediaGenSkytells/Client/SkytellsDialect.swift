import Foundation
import MediaGenCore

extension Provider {
    /// Skytells (`https://api.skytells.ai/v1`); its key is read from `SKYTELLS_API_KEY`.
    public static let skytells = Provider(
        "skytells", displayName: "Skytells", apiKeyEnvironmentVariable: "SKYTELLS_API_KEY")
}

extension ProviderDialect {
    /// How Skytells speaks: `x-api-key`, and errors as the envelope `{"status": false, "response",
    /// "error": {"message", "error_id", "details", "http_status"}}`, as `{"response": "…"}`, as
    /// `{"error_id", "message"}` (the rate-limit page), or inside a 200 whose `status` is `false`
    /// and which carries no prediction `id` (with an `id`, it is a queued prediction).
    static let skytells = ProviderDialect(
        provider: .skytells,
        defaultBaseURL: .constant("https://api.skytells.ai/v1"),
        authorizationHeader: "x-api-key",
        authorizationValue: { $0 },
        requestIDHeaders: ["x-request-id", "x-skytells-request-id"],
        parseError: SkytellsError.details(in:json:)
    )
}

/// Reads Skytells' error bodies.
enum SkytellsError {
    static func details(in response: HTTPResponse, json: JSONNode?) -> ProviderErrorDetails? {
        // A prediction's `status` is a string; only an envelope carries `"status": false`. Every
        // poll's answer passes here: read those members, not the whole document.
        if response.isSuccess {
            guard case .bool(false)? = json?["status"] else { return nil }
            // A `false` status beside a prediction `id` is a prediction still queued (Skytells'
            // TypeScript SDK, `src/http.ts`): an error here would make the app create — and pay — again.
            if case .string(let id)? = json?["id"], !id.isEmpty { return nil }
        }
        let body = try? json?.jsonValue()
        guard let body else {
            return response.isSuccess
                ? nil : ProviderErrorDetails(rateLimit: SkytellsRateLimit.status(in: response.headers))
        }

        // The unified envelope `{"status": false, "response", "error": {…}}`, a bare
        // `{"response": "…"}`, or the rate-limit page's top-level `{"error_id", "message"}`.
        var details = ProviderErrorDetails(
            message: body["message"]?.stringValue ?? body["response"]?.stringValue,
            code: body["error_id"]?.stringValue)
        var bodyStatus: Int?
        if let error = body["error"] {
            if let text = error.stringValue {
                details.message = text
            } else {
                details.message = error["message"]?.stringValue ?? details.message
                details.code = error["error_id"]?.stringValue ?? error["code"]?.stringValue ?? details.code
                details.requestID = error["request_id"]?.stringValue
                details.field = error["details"]?["field"]?.stringValue ?? error["details"]?["param"]?.stringValue
                if let text = error["details"]?.stringValue, !text.isEmpty, let message = details.message,
                    text != message
                {
                    details.message = "\(message): \(text)"
                }
                bodyStatus = (error["status"] ?? error["http_status"])?.intValue
            }
        }
        details.requestID = details.requestID ?? body["request_id"]?.stringValue
        details.rateLimit = SkytellsRateLimit.status(in: response.headers)
        details.kind = kind(
            for: details.code, response: response, bodyStatus: bodyStatus, message: details.message,
            field: details.field)
        return details
    }

    /// The error ids Skytells documents (its API reference and its TypeScript SDK's
    /// `docs/Errors.md`), where they say more than the status does; for an error inside a 2xx,
    /// the status the body gives (`error.status`, else `error.http_status`), as the SDK reads it.
    private static func kind(
        for code: String?,
        response: HTTPResponse,
        bodyStatus: Int?,
        message: String?,
        field: String?
    ) -> MediaGenError.Kind? {
        switch code {
        case "UNAUTHORIZED", "FORBIDDEN", "ACCOUNT_SUSPENDED", "SECURITY_VIOLATION":
            return .authentication
        case "INSUFFICIENT_CREDITS", "PAYMENT_REQUIRED":
            return .insufficientCredits
        case "MODEL_NOT_FOUND", "ENDPOINT_NOT_FOUND":
            return .notFound
        case "INVALID_PARAMETER", "INVALID_INPUT", "INVALID_REQUEST", "INVALID_DATE_FORMAT", "INVALID_DATE_RANGE",
            "INVALID_PARAMETER_COMBINATION", "VALIDATION_ERROR", "MODEL_NOT_SUPPORTED", "CONTENT_POLICY_VIOLATION":
            return .invalidRequest(field: field, reason: message ?? code ?? "invalid request")
        case "RATE_LIMIT_EXCEEDED", "RATE_LIMITED", "INFERENCE_RATE_LIMITED":
            // A 429 keeps the status's reading, which carries its `Retry-After`.
            return response.status == 429 ? nil : .rateLimited(retryAfter: nil)
        case "INFERENCE_TIMEOUT":
            return .timeout
        case "INTERNAL_ERROR", "INFRASTRUCTURE_ERROR", "INFERENCE_ERROR", "SERVICE_UNAVAILABLE":
            return response.isSuccess ? .server : nil
        default:
            guard response.isSuccess, let bodyStatus else { return nil }
            return kind(forStatus: bodyStatus)
        }
    }

    /// What an error status inside a 2xx envelope means, as the same status would on the wire.
    private static func kind(forStatus status: Int) -> MediaGenError.Kind? {
        switch status {
        case 401, 403: .authentication
        case 402: .insufficientCredits
        case 404, 410: .notFound
        case 408: .timeout
        case 409: .conflict
        case 429: .rateLimited(retryAfter: nil)
        case 500...: .server
        default: nil
        }
    }
}
