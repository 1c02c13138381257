import Foundation
import MediaGenCore

extension Provider {
    /// Skytells (`https://api.skytells.ai/v1`); its key is read from `SKYTELLS_API_KEY`.
    public static let skytells = Provider(
        "skytells", displayName: "Skytells", apiKeyEnvironmentVariable: "SKYTELLS_API_KEY")
}

extension ProviderDialect {
    /// How Skytells speaks: `x-api-key`, and errors as `{"error": {"message", "error_id", "details",
    /// "http_status"}}`, as `{"response": "…"}`, or inside a 200 whose `status` is `false` and which
    /// carries no prediction `id` (with an `id`, it is a queued prediction).
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
        guard let body else { return response.isSuccess ? nil : ProviderErrorDetails() }

        var details = ProviderErrorDetails(message: body["response"]?.stringValue)
        if let error = body["error"] {
            if let text = error.stringValue {
                details.message = text
            } else {
                details.message = error["message"]?.stringValue ?? details.message
                details.code = error["error_id"]?.stringValue
                details.requestID = error["request_id"]?.stringValue
                details.field = error["details"]?["field"]?.stringValue ?? error["details"]?["param"]?.stringValue
                if let text = error["details"]?.stringValue, let message = details.message, text != message {
                    details.message = "\(message): \(text)"
                }
            }
        }
        details.requestID = details.requestID ?? body["request_id"]?.stringValue
        details.kind = kind(for: details.code, response: response, message: details.message, field: details.field)
        return details
    }

    /// The error ids Skytells documents, where they say more than the status does.
    private static func kind(for code: String?, response: HTTPResponse, message: String?, field: String?)
        -> MediaGenError.Kind?
    {
        switch code {
        case "UNAUTHORIZED", "FORBIDDEN", "ACCOUNT_SUSPENDED", "SECURITY_VIOLATION":
            return .authentication
        case "INSUFFICIENT_CREDITS", "PAYMENT_REQUIRED":
            return .insufficientCredits
        case "MODEL_NOT_FOUND", "ENDPOINT_NOT_FOUND":
            return .notFound
        case "INVALID_PARAMETER", "INVALID_INPUT", "INVALID_REQUEST", "INVALID_DATE_FORMAT", "INVALID_DATE_RANGE",
            "CONTENT_POLICY_VIOLATION":
            return .invalidRequest(field: field, reason: message ?? code ?? "invalid request")
        case "INTERNAL_ERROR", "INFRASTRUCTURE_ERROR", "INFERENCE_ERROR", "SERVICE_UNAVAILABLE":
            return response.isSuccess ? .server : nil
        default:
            return nil
        }
    }
}
