import Foundation
import MediaGenCore

extension Provider {
    /// fal (`https://queue.fal.run`, `https://rest.fal.ai`); its key is read from `FAL_KEY`, or from
    /// `FAL_KEY_ID` and `FAL_KEY_SECRET`.
    ///
    /// ```swift
    /// if error.provider == .fal { print("fal request", error.requestID ?? "?") }
    /// ```
    public static let fal = Provider("fal", displayName: "fal", apiKeyEnvironmentVariable: "FAL_KEY")
}

extension ProviderDialect {
    /// How fal speaks: `Authorization: Key <key>`, errors as `{"detail": "…"}` or, for invalid
    /// input, `{"detail": [{"loc", "msg", "type"}]}`, the error type in `x-fal-error-type`, and
    /// `x-fal-request-id` on every answer that came from fal itself.
    static func fal(baseURL: URL) -> ProviderDialect {
        ProviderDialect(
            provider: .fal,
            defaultBaseURL: baseURL,
            authorizationValue: { "Key \($0)" },
            requestIDHeaders: [FalError.requestIDHeader],
            parseError: FalError.details(in:json:),
            provesNotProcessed: FalError.provesNotProcessed
        )
    }
}

/// Reads fal's error answers.
enum FalError {
    static let requestIDHeader = "x-fal-request-id"
    static let errorTypeHeader = "x-fal-error-type"
    static let timeoutTypeHeader = "x-fal-request-timeout-type"
    /// The `status` values a cancel answers with; on a 400 or 404 they are the outcome, not a failure.
    static let cancelOutcomes: Set<String> = ["OK", "CANCELLATION_REQUESTED", "ALREADY_COMPLETED", "NOT_FOUND"]

    static func details(in response: HTTPResponse, json: JSONNode?) -> ProviderErrorDetails? {
        guard !response.isSuccess else { return nil }
        let body = try? json?.jsonValue()
        var details = ProviderErrorDetails()
        let cancelOutcome = body?["status"]?.stringValue.flatMap { cancelOutcomes.contains($0) ? $0 : nil }
        details.code =
            cancelOutcome ?? response.headers[errorTypeHeader] ?? body?["error_type"]?.stringValue
        switch body?["detail"] {
        case .string(let text)?:
            details.message = text
        case .array(let problems)?:
            // Pydantic's validation list: every problem in the message, the first one's field.
            details.message = problems.map(describe).joined(separator: "; ")
            details.field = problems.lazy.compactMap(field).first
        case .object(let problem)?:
            details.message = describe(.object(problem))
            details.field = field(of: .object(problem))
        default:
            details.message = body?["error"]?.stringValue ?? body?["message"]?.stringValue
        }
        if response.status == 504, response.headers[timeoutTypeHeader] != nil {
            // The caller's own `X-Fal-Request-Timeout` ran out: sending the same again would time
            // out the same way (fal's clients never retry it).
            details.retryable = false
            details.kind = .timeout
        }
        if details.code == "client_cancelled" { details.kind = .canceled }
        return details
    }

    /// A 502, 503 or 504 without `x-fal-request-id` came from fal's ingress: the request never
    /// reached the app, so even a submit may be sent again. 408 and 429 prove the same, as for
    /// every provider.
    static func provesNotProcessed(_ response: HTTPResponse) -> Bool {
        switch response.status {
        case 408, 429: true
        case 502, 503, 504: response.headers[requestIDHeader] == nil
        default: false
        }
    }

    /// `"duration: Input should be less than or equal to 150"`.
    private static func describe(_ problem: JSONValue) -> String {
        let message = problem["msg"]?.stringValue ?? problem.stringValue ?? "invalid value"
        return field(of: problem).map { "\($0): \(message)" } ?? message
    }

    /// The input field a problem's `loc` points at, without the leading `body`:
    /// `["body", "audio", "url"]` → `audio.url`, `["body", "files", 0]` → `files[0]`.
    static func field(of problem: JSONValue) -> String? {
        guard var location = problem["loc"]?.arrayValue else { return nil }
        if location.first?.stringValue == "body" { location.removeFirst() }
        var path = ""
        for part in location {
            if let index = part.intValue {
                path += "[\(index)]"
            } else if let name = part.stringValue {
                path += path.isEmpty ? name : ".\(name)"
            }
        }
        return path.isEmpty ? nil : path
    }
}
