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
    /// How fal speaks: `Authorization: Key <key>`; errors as a request error
    /// `{"detail": "…", "error_type": "…"}` or a model error `{"detail": [{"loc", "msg", "type", …}]}`,
    /// the type repeated in `x-fal-error-type`; `X-Fal-Retryable` when fal says whether the same
    /// request may succeed; and `x-fal-request-id` on every answer that came from fal itself.
    /// The CDN speaks the same, with its token's own scheme as `authorization`.
    static func fal(
        baseURL: URL,
        authorization: @escaping @Sendable (String) -> String = { "Key \($0)" }
    ) -> ProviderDialect {
        ProviderDialect(
            provider: .fal,
            defaultBaseURL: baseURL,
            authorizationValue: authorization,
            requestIDHeaders: [FalError.requestIDHeader],
            parseError: FalError.details(in:json:),
            provesNotProcessed: FalError.provesNotProcessed
        )
    }
}

/// Reads fal's error answers.
///
/// The code is the body's typed error when there is one — a request error's `error_type`, else a
/// model error's first `detail[].type` — and `x-fal-error-type` only when the body has none, as
/// fal's Python client decides it (`_raise_for_status`). The retry decision is the status's, as
/// for every provider, except where fal says otherwise: a 504 with
/// `X-Fal-Request-Timeout-Type: user` (the caller's own start timeout ran out) is never retried,
/// as in both official clients, and an `X-Fal-Retryable` (or `X-Fal-Needs-Retry`) header is fal's
/// verdict. A submit is still never sent twice on a verdict alone: that needs proof it never
/// reached the app (``provesNotProcessed(_:)``).
enum FalError {
    static let requestIDHeader = "x-fal-request-id"
    static let errorTypeHeader = "x-fal-error-type"
    static let timeoutTypeHeader = "x-fal-request-timeout-type"
    static let retryableHeader = "x-fal-retryable"
    static let needsRetryHeader = "x-fal-needs-retry"
    /// The `status` values a cancel answers with; on a 400 or 404 they are the outcome, not a failure.
    static let cancelOutcomes: Set<String> = ["OK", "CANCELLATION_REQUESTED", "ALREADY_COMPLETED", "NOT_FOUND"]
    /// Error types that say time ran out (docs.fal.ai, Request Error Types and Model Errors).
    static let timeoutTypes: Set<String> = [
        "request_timeout", "startup_timeout", "runner_connection_timeout", "generation_timeout",
    ]

    static func details(in response: HTTPResponse, json: JSONNode?) -> ProviderErrorDetails? {
        guard !response.isSuccess else { return nil }
        let body = try? json?.jsonValue()
        var details = ProviderErrorDetails()
        let cancelOutcome = body?["status"]?.stringValue.flatMap { cancelOutcomes.contains($0) ? $0 : nil }
        details.code = cancelOutcome ?? typedError(in: body) ?? response.headers[errorTypeHeader]
        switch body?["detail"] {
        case .string(let text)?:
            details.message = text
        case .array(let problems)?:
            // Pydantic's validation list, or fal's typed model errors: every problem in the
            // message, the first one's field.
            details.message = problems.map(describe).joined(separator: "; ")
            details.field = problems.lazy.compactMap(field).first
        case .object(let problem)?:
            details.message = describe(.object(problem))
            details.field = field(of: .object(problem))
        default:
            details.message = body?["error"]?.stringValue ?? body?["message"]?.stringValue
        }
        details.retryable = verdict(in: response)
        if isUserTimeout(response) {
            // The caller's own start timeout ran out: sending the same again would time out the
            // same way (neither official client retries it).
            details.retryable = false
            details.kind = .timeout
        }
        switch details.code {
        case "client_cancelled"?: details.kind = .canceled
        // fal saw the connection to the caller close before it answered: a network failure.
        case "client_disconnected"?: details.kind = .network
        case let code? where timeoutTypes.contains(code): details.kind = .timeout
        default: break
        }
        return details
    }

    /// The body's own error type: a request error's `error_type`, else the first typed problem of
    /// a model error's `detail` list.
    static func typedError(in body: JSONValue?) -> String? {
        if let type = body?["error_type"]?.stringValue, !type.isEmpty { return type }
        guard case .array(let problems)? = body?["detail"] else { return nil }
        return problems.lazy.compactMap { $0["type"]?.stringValue }.first { !$0.isEmpty }
    }

    /// A 504 whose `X-Fal-Request-Timeout-Type` is `user`: the start timeout the caller sent in
    /// `X-Fal-Request-Timeout` ran out (fal-js `ApiError.isUserTimeout`).
    static func isUserTimeout(_ response: HTTPResponse) -> Bool {
        response.status == 504
            && response.headers[timeoutTypeHeader]?.trimmingCharacters(in: .whitespaces).lowercased() == "user"
    }

    /// fal's own word on retrying, when it gives one: `X-Fal-Retryable: true|false`, or
    /// `X-Fal-Needs-Retry: 1|0`; `nil` when neither is there or neither reads as a boolean.
    static func verdict(in response: HTTPResponse) -> Bool? {
        for header in [retryableHeader, needsRetryHeader] {
            switch response.headers[header]?.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true"?, "1"?, "yes"?: return true
            case "false"?, "0"?, "no"?: return false
            default: continue
            }
        }
        return nil
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
