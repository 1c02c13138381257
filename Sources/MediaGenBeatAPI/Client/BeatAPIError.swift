import Foundation
import MediaGenCore

/// BeatAPI's `Error` schema: the body of every answer that is not a success.
///
/// ```swift
/// // {"error": {"code": "bad_request", "message": "language is required.",
/// //            "request_id": "req_abc123", "details": {"field": "language"}}}
/// do {
///     _ = try await beatAPI.createTask(input)
/// } catch let error as MediaGenError {
///     print(error.providerCode ?? "", error.requestID ?? "")   // bad_request req_abc123
/// }
/// ```
///
/// The client maps it to `MediaGenError` for you: `code` becomes `providerCode`, `request_id`
/// `requestID`, `retry_after_seconds` the wait of a retried 429, `details.field` the field of
/// `.invalidRequest`; a 402 is `.insufficientCredits`. The code `user_concurrency_exceeded` (the
/// account's active-task limit) is never retried. Decode it yourself from a raw body with
/// `JSONDecoder().decode(BeatAPIError.Envelope.self, from: body).error`.
public struct BeatAPIError: Hashable, Sendable, Decodable {
    /// The `{"error": …}` wrapper.
    public struct Envelope: Hashable, Sendable, Decodable {
        public let error: BeatAPIError
    }

    /// Such as `bad_request`, `unauthorized`, `insufficient_credits`, `rate_limit_exceeded`,
    /// `user_concurrency_exceeded`.
    public let code: String?
    public let message: String?
    public let requestID: String?
    /// How long to wait before retrying, when BeatAPI says (429).
    public let retryAfterSeconds: Decimal?
    /// More about the failure; `{"field": …}` for a bad input.
    public let details: JSONValue?

    /// ``retryAfterSeconds`` as a duration.
    public var retryAfter: Duration? {
        retryAfterSeconds.map(\.nearestDouble).flatMap(RetryAfter.duration(seconds:))
    }

    /// The input at fault: `details.field` (or `details.param`), when given.
    public var field: String? {
        details?["field"]?.stringValue ?? details?["param"]?.stringValue
    }

    private enum CodingKeys: String, CodingKey {
        case code, message, details
        case requestID = "request_id"
        case retryAfterSeconds = "retry_after_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try? container.decodeIfPresent(String.self, forKey: .code)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        requestID = try? container.decodeIfPresent(String.self, forKey: .requestID)
        retryAfterSeconds = Lenient.decimal(try? container.decodeIfPresent(JSONValue.self, forKey: .retryAfterSeconds))
        details = try? container.decodeIfPresent(JSONValue.self, forKey: .details)
    }
}
