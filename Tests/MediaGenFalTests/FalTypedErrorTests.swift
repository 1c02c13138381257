import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// One documented fal error type: the status fal typically answers it with, the kind it reaches
/// `MediaGenError` as, and whether a read meeting it is sent again.
struct FalTypedError: Sendable, CustomTestStringConvertible {
    let code: String
    let status: Int
    let kind: MediaGenError.Kind
    let readIsRetried: Bool
    /// The fixture whose shape carries it: a request error or a model error.
    let fixture: String

    var testDescription: String { "\(code) (\(status))" }

    /// The fixture's bytes with its type replaced by ``code``.
    func body() throws -> Data { try typedErrorBody(fixture, code: code) }
}

/// A typed-error fixture with its `error_type` (request error) or first `detail[].type` and `url`
/// (model error) set to `code`: the shape stays the fixture's, the type is the table's.
func typedErrorBody(_ fixtureName: String, code: String) throws -> Data {
    guard var object = try JSONSerialization.jsonObject(with: fixture(fixtureName)) as? [String: Any] else {
        throw CocoaError(.fileReadCorruptFile)
    }
    if object["error_type"] != nil {
        object["error_type"] = code
    } else if var problems = object["detail"] as? [[String: Any]], !problems.isEmpty {
        problems[0]["type"] = code
        problems[0]["url"] = "https://docs.fal.ai/errors#\(code)"
        object["detail"] = problems
    }
    return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
}

let falTypedRequestID = "3f1c2a9e-typed-error"

/// fal's typed errors as the official clients and docs.fal.ai decide them (sources in
/// `Fixtures/SOURCES.md`).
@Suite("fal typed errors")
struct FalTypedErrorTests {
    /// docs.fal.ai, "Request Error Types": every `error_type` with its typical status.
    static let requestErrors: [FalTypedError] = [
        .init(
            code: "request_timeout", status: 504, kind: .timeout, readIsRetried: true, fixture: "error-request-typed"),
        .init(
            code: "startup_timeout", status: 504, kind: .timeout, readIsRetried: true, fixture: "error-request-typed"),
        .init(
            code: "runner_scheduling_failure", status: 503, kind: .server, readIsRetried: true,
            fixture: "error-request-typed"),
        .init(
            code: "runner_connection_timeout", status: 503, kind: .timeout, readIsRetried: true,
            fixture: "error-request-typed"),
        .init(
            code: "runner_disconnected", status: 503, kind: .server, readIsRetried: true,
            fixture: "error-request-typed"),
        .init(
            code: "runner_connection_refused", status: 503, kind: .server, readIsRetried: true,
            fixture: "error-request-typed"),
        .init(
            code: "runner_connection_error", status: 503, kind: .server, readIsRetried: true,
            fixture: "error-request-typed"),
        .init(
            code: "runner_incomplete_response", status: 502, kind: .server, readIsRetried: true,
            fixture: "error-request-typed"),
        .init(
            code: "runner_server_error", status: 500, kind: .server, readIsRetried: true,
            fixture: "error-request-typed"),
        .init(
            code: "client_disconnected", status: 499, kind: .network, readIsRetried: false,
            fixture: "error-request-typed"),
        .init(
            code: "client_cancelled", status: 499, kind: .canceled, readIsRetried: false,
            fixture: "error-request-typed"),
        .init(
            code: "bad_request", status: 400, kind: .invalidRequest(field: nil, reason: "Request timed out"),
            readIsRetried: false, fixture: "error-request-typed"),
        .init(code: "internal_error", status: 500, kind: .server, readIsRetried: true, fixture: "error-request-typed"),
    ]

    /// docs.fal.ai, "Model Errors": a `detail` list of typed problems (500 for internal errors,
    /// 504 for timeouts, 422 for input the model refuses).
    static let modelErrors: [FalTypedError] = [
        .init(
            code: "image_too_large", status: 422,
            kind: .invalidRequest(
                field: "image_url", reason: "image_url: Image dimensions exceed the maximum allowed."),
            readIsRetried: false, fixture: "error-model-typed"),
        .init(
            code: "content_policy_violation", status: 422,
            kind: .invalidRequest(
                field: "image_url", reason: "image_url: Image dimensions exceed the maximum allowed."),
            readIsRetried: false, fixture: "error-model-typed"),
        .init(
            code: "internal_server_error", status: 500, kind: .server, readIsRetried: true,
            fixture: "error-model-general"),
        .init(
            code: "generation_timeout", status: 504, kind: .timeout, readIsRetried: true,
            fixture: "error-model-general"),
    ]

    static let allTypedErrors = requestErrors + modelErrors

    static func answering(_ typed: FalTypedError, headers: HTTPHeaders = [:]) -> FalHarness {
        FalHarness { _ in
            var all = headers
            all.merge(defaults: [
                "Content-Type": "application/json", "x-fal-request-id": falTypedRequestID,
                "X-Fal-Error-Type": typed.code,
            ])
            return HTTPResponse(status: typed.status, headers: all, body: try typed.body())
        }
    }

    @Test(arguments: allTypedErrors)
    func aReadKeepsTheTypedCodeTheRequestIDAndTheRetryDecision(typed: FalTypedError) async {
        let harness = Self.answering(typed)
        let error = await mediaError { try await harness.client.request(seedHandle) }
        #expect(error?.kind == typed.kind)
        #expect(error?.providerCode == typed.code)
        #expect(error?.httpStatus == typed.status)
        #expect(error?.requestID == falTypedRequestID)
        #expect(harness.requests.count == (typed.readIsRetried ? RetryPolicy.default.maxAttempts : 1))
    }

    @Test(arguments: allTypedErrors)
    func aSubmitMetByATypedErrorIsNeverSentTwice(typed: FalTypedError) async {
        let harness = Self.answering(typed)
        let error = await mediaError {
            try await harness.client.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        }
        // An answer fal's application gave (it names a request id) may follow processing: a
        // retryable one leaves the submit's outcome unknown, a final one is the typed error.
        #expect(error?.kind == (typed.readIsRetried ? .outcomeUnknown : typed.kind))
        #expect(error?.providerCode == typed.code)
        #expect(error?.requestID == falTypedRequestID)
        #expect(harness.requests.count == 1)
    }

    @Test(arguments: [
        ("error-request-typed", "runner_disconnected", 503),
        ("error-model-typed", "image_too_large", 422),
        ("error-model-general", "generation_timeout", 504),
    ])
    func theBodysTypedErrorWinsOverTheErrorTypeHeader(fixtureName: String, code: String, status: Int) async throws {
        let body = try typedErrorBody(fixtureName, code: code)
        let harness = FalHarness { _ in
            HTTPResponse(
                status: status,
                headers: [
                    "Content-Type": "application/json", "x-fal-error-type": "internal_error",
                    "x-fal-request-id": falTypedRequestID,
                ],
                body: body)
        }
        let error = await mediaError { try await harness.client.result(of: seedHandle) }
        #expect(error?.providerCode == code)
    }

    @Test(arguments: [
        ("X-Fal-Retryable", "false", 500, false),
        ("X-Fal-Retryable", "False", 503, false),
        ("X-Fal-Retryable", "true", 400, true),
        ("X-Fal-Needs-Retry", "1", 400, true),
        ("X-Fal-Needs-Retry", "0", 502, false),
        ("X-Fal-Retryable", "maybe", 400, false),
        ("X-Fal-Retryable", "maybe", 500, true),
    ])
    func falsRetryHeaderDecidesWhetherAReadIsSentAgain(header: String, value: String, status: Int, retried: Bool)
        async
    {
        let harness = FalHarness { _ in
            .json(
                #"{"detail": "Runner failed.", "error_type": "runner_server_error"}"#, status: status,
                headers: [header: value, "x-fal-request-id": falTypedRequestID])
        }
        let error = await mediaError { try await harness.client.request(seedHandle) }
        #expect(error?.providerCode == "runner_server_error")
        #expect(harness.requests.count == (retried ? RetryPolicy.default.maxAttempts : 1))
    }

    @Test func aRetryableVerdictNeverResendsASubmitThatReachedFal() async {
        let harness = FalHarness { _ in
            .json(
                #"{"detail": "Runner failed.", "error_type": "runner_server_error"}"#, status: 500,
                headers: ["X-Fal-Retryable": "true", "x-fal-request-id": falTypedRequestID])
        }
        let error = await mediaError {
            try await harness.client.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.requestID == falTypedRequestID)
        #expect(harness.requests.count == 1)
    }

    /// fal-js: only a 504 whose `X-Fal-Request-Timeout-Type` is `user` is the caller's own
    /// timeout; any other type is fal's, and a read retries it.
    @Test(arguments: [("user", false), ("USER", false), (" user ", false), ("infrastructure", true)])
    func onlyAUserTimeoutStopsTheRetries(timeoutType: String, retried: Bool) async {
        let harness = FalHarness { _ in
            .json(
                #"{"detail": "Request timed out", "error_type": "request_timeout"}"#, status: 504,
                headers: ["X-Fal-Request-Timeout-Type": timeoutType, "x-fal-request-id": falTypedRequestID])
        }
        let error = await mediaError { try await harness.client.request(seedHandle) }
        #expect(error?.kind == .timeout)
        #expect(error?.providerCode == "request_timeout")
        #expect(harness.requests.count == (retried ? RetryPolicy.default.maxAttempts : 1))
    }

    @Test(arguments: [Duration.seconds(1), .milliseconds(999), .zero, .seconds(-5)])
    func aStartTimeoutOfOneSecondOrLessIsRefusedBeforeSending(startTimeout: Duration) async {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let error = await mediaError {
            try await harness.client.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), startTimeout: startTimeout)
        }
        #expect(error?.kind.field == "startTimeout")
        #expect(harness.requests.isEmpty)
    }

    @Test func aStartTimeoutJustOverOneSecondIsSent() async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        _ = try await harness.client.createRequest(
            .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"),
            startTimeout: FalClient.minimumStartTimeout + .milliseconds(500))
        #expect(harness.requests.first?.headers["X-Fal-Request-Timeout"] == "1.5")
    }
}
