import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// BeatAPI's `Error` schema as its published description documents it: the example of each
/// status on an operation the SDK calls, its `code` enum, and the wait a 429 names
/// (`retry_after_seconds` in the body, `Retry-After` in the header).
@Suite("BeatAPI errors as the spec documents them")
struct BeatAPIErrorSpecTests {
    /// An operation the SDK calls, chosen because the spec documents the status on it.
    enum Call: String, Sendable {
        case getTask, createEcommerceVideoTask, getWebhookEndpoint, getMusicVideoShotMedia

        func send(_ client: BeatAPIClient) async throws {
            switch self {
            case .getTask: _ = try await client.task(id: "task_8K2qA")
            case .createEcommerceVideoTask: _ = try await client.createTask(Sample.ecommerce)
            case .getWebhookEndpoint: _ = try await client.webhookEndpoint(id: "wh_9aBcD")
            case .getMusicVideoShotMedia: _ = try await client.shotMedia(taskID: "task_8K2qA", shotID: "shot_xxx")
            }
        }
    }

    /// One documented error answer and what the SDK makes of it.
    struct Answer: Sendable, CustomTestStringConvertible {
        let fixture: String
        let status: Int
        let call: Call
        let kind: MediaGenError.Kind
        let code: String
        let message: String
        /// How many times the call is sent: transient answers are retried (`RetryPolicy.default`).
        let attempts: Int

        var testDescription: String { "\(status) \(code) on \(call.rawValue)" }
    }

    static let retried = RetryPolicy.default.maxAttempts

    static let answers = [
        Answer(
            fixture: "error-400-spec", status: 400, call: .createEcommerceVideoTask,
            kind: .invalidRequest(field: nil, reason: "images must contain 1-7 public HTTPS URLs."),
            code: "bad_request",
            message: "images must contain 1-7 public HTTPS URLs.", attempts: 1),
        Answer(
            fixture: "error-401-spec", status: 401, call: .getTask, kind: .authentication, code: "unauthorized",
            message: "Missing or invalid API key.", attempts: 1),
        Answer(
            fixture: "error-402-spec", status: 402, call: .createEcommerceVideoTask, kind: .insufficientCredits,
            code: "insufficient_credits", message: "Account balance is not sufficient for this task.", attempts: 1),
        Answer(
            fixture: "error-404-spec", status: 404, call: .getTask, kind: .notFound, code: "not_found",
            message: "The requested resource was not found.", attempts: 1),
        Answer(
            fixture: "error-429-rate-limit-spec", status: 429, call: .getTask,
            kind: .rateLimited(retryAfter: .seconds(12)), code: "rate_limit_exceeded",
            message: "Too many polling requests. Poll every 5-10 seconds.", attempts: retried),
        Answer(
            fixture: "error-429-concurrency-spec", status: 429, call: .createEcommerceVideoTask,
            kind: .rateLimited(retryAfter: nil), code: "user_concurrency_exceeded",
            message:
                "You have reached the active processing task limit of 5. Wait for a processing task to finish before creating another one.",
            attempts: 1),
        Answer(
            fixture: "error-500-spec", status: 500, call: .getWebhookEndpoint, kind: .server, code: "internal_error",
            message: "Internal error. Contact support with the request_id if the problem continues.",
            attempts: retried),
        Answer(
            fixture: "error-502-processing-unavailable-spec", status: 502, call: .getMusicVideoShotMedia,
            kind: .server, code: "processing_unavailable", message: "Task processing is temporarily unavailable.",
            attempts: retried),
    ]

    @Test(arguments: answers)
    func eachDocumentedErrorMapsToItsKindWithCodeMessageAndRequestID(answer: Answer) async throws {
        let body = try fixture(answer.fixture)
        let harness = BeatAPIHarness { _ in
            HTTPResponse(status: answer.status, headers: ["Content-Type": "application/json"], body: body)
        }
        let error = try #require(await mediaError { try await answer.call.send(harness.client) })

        #expect(error.kind == answer.kind)
        #expect(error.providerCode == answer.code)
        #expect(error.message == answer.message)
        #expect(error.requestID == "req_xxx")
        #expect(error.httpStatus == answer.status)
        #expect(error.provider == .beatAPI)
        #expect(harness.requests.count == answer.attempts)

        let decoded = try JSONReader().decode(BeatAPIError.Envelope.self, from: body).error
        #expect(decoded.code == answer.code)
        #expect(decoded.message == answer.message)
        #expect(decoded.requestID == "req_xxx")
        #expect(decoded.retryAfterSeconds == (answer.code == "rate_limit_exceeded" ? 12 : nil))
        #expect(decoded.details == nil)
    }

    /// (`retry_after_seconds` in the body, `Retry-After` header, the wait): the spec's `RateLimited`
    /// answer documents both; the body's wins, as in the official client.
    static let rateLimitWaits: [(Int?, String?, Int)] = [(12, nil, 12), (nil, "12", 12), (12, "2", 12), (nil, "3", 3)]

    @Test(arguments: rateLimitWaits)
    func aRateLimitedReadWaitsWhatTheAnswerSays(body seconds: Int?, header: String?, wait: Int) async throws {
        var error: [String: JSONValue] = [
            "code": "rate_limit_exceeded", "message": "Too many polling requests. Poll every 5-10 seconds.",
            "request_id": "req_xxx",
        ]
        if let seconds { error["retry_after_seconds"] = .number(Decimal(seconds)) }
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let header { headers["Retry-After"] = header }
        let limited = HTTPResponse(
            status: 429, headers: headers, body: try JSONEncoder().encode(JSONValue.object(["error": .object(error)])))
        let harness = BeatAPIHarness(sequence: [.success(limited), .success(try fixtureResponse("task-processing"))])

        let task = try await harness.client.task(id: "task_8K2qA")

        #expect(task.rawStatus == "processing")
        #expect(harness.clock.sleeps == [.seconds(wait)])
        #expect(harness.routes == ["GET /v1/tasks/task_8K2qA", "GET /v1/tasks/task_8K2qA"])
    }

    /// Every value of the `Error` schema's `code` enum.
    static let codes = [
        "bad_request", "unauthorized", "forbidden", "not_found", "insufficient_credits", "idempotency_conflict",
        "user_concurrency_exceeded", "rate_limit_exceeded", "content_policy_violation", "processing_unavailable",
        "processing_failed", "processing_timeout", "result_transfer_failed", "invalid_signature", "realtime_disabled",
        "realtime_capacity_unavailable", "realtime_session_expired", "origin_not_allowed", "invalid_client_secret",
        "transport_not_allowed", "internal_error",
    ]

    @Test(arguments: codes)
    func everyDocumentedCodeReachesTheCaller(code: String) async throws {
        let body = Data(#"{"error": {"code": "\#(code)", "message": "m", "request_id": "req_xxx"}}"#.utf8)
        let harness = BeatAPIHarness { _ in
            HTTPResponse(status: 400, headers: ["Content-Type": "application/json"], body: body)
        }
        let error = try #require(await mediaError { try await harness.client.usage() })
        #expect(error.providerCode == code)
        #expect(error.requestID == "req_xxx")
        #expect(error.httpStatus == 400)
    }
}
