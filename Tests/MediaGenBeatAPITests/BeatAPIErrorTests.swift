import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("BeatAPI errors and retries")
struct BeatAPIErrorTests {
    @Test(arguments: [
        (
            "error-400", 400,
            MediaGenError.Kind.invalidRequest(field: "language", reason: "language must be one of en, zh."),
            "bad_request", "req_e400"
        ),
        ("error-401", 401, .authentication, "unauthorized", "req_e401"),
        ("error-402", 402, .insufficientCredits, "insufficient_credits", "req_e402"),
        ("error-404", 404, .notFound, "not_found", "req_e404"),
        // error-409 (idempotency_conflict) is resent under its key first: BeatAPIIdempotencyConflictTests.
    ])
    func documentedErrorsMapToTheirKindWithTheRequestID(
        fixtureName: String, status: Int, kind: MediaGenError.Kind, code: String, requestID: String
    ) async {
        let harness = BeatAPIHarness(fixtures: [(fixtureName, status)])
        let error = await mediaError { try await harness.client.createTask(Sample.seedInput) }
        #expect(error?.kind == kind)
        #expect(error?.providerCode == code)
        #expect(error?.requestID == requestID)
        #expect(error?.httpStatus == status)
        #expect(error?.provider == .beatAPI)
        #expect(harness.requests.count == 1)
    }

    @Test func insufficientCreditsIsRecognisedByItsCodeWhateverTheStatus() async {
        let harness = BeatAPIHarness(fixtures: [("error-402", 403)])
        let error = await mediaError { try await harness.client.usage() }
        #expect(error?.kind == .insufficientCredits)
    }

    @Test func aRateLimitedCreateWaitsRetryAfterSecondsAndResendsTheSameKey() async throws {
        let harness = BeatAPIHarness(sequence: [
            .success(try fixtureResponse("error-429-rate-limit", status: 429, headers: ["Retry-After": "2"])),
            .success(try fixtureResponse("task-queued", status: 201)),
        ])
        let task = try await harness.client.createTask(Sample.seedInput)
        #expect(task.id == "task_8K2qA")
        // The body's retry_after_seconds (7) wins over the header (2).
        #expect(harness.clock.sleeps == [.seconds(7)])
        let keys = harness.requests.map { $0.headers["Idempotency-Key"] }
        #expect(keys.count == 2)
        #expect(keys[0] != nil && keys[0] == keys[1])
        #expect(harness.requests[0].body == harness.requests[1].body)
    }

    @Test func theConcurrencyLimitIsNeverRetried() async throws {
        let harness = BeatAPIHarness(sequence: [
            .success(try fixtureResponse("error-429-concurrency", status: 429, headers: ["Retry-After": "1"])),
            .success(try fixtureResponse("task-queued", status: 201)),
        ])
        let error = await mediaError { try await harness.client.createTask(Sample.seedInput) }
        #expect(error?.providerCode == "user_concurrency_exceeded")
        #expect(error?.httpStatus == 429)
        #expect(error?.requestID == "req_e429c")
        #expect(error?.message.contains("active processing task limit") == true)
        #expect(harness.requests.count == 1)
        #expect(harness.clock.sleeps.isEmpty)
    }

    @Test func theConcurrencyLimitOnAReadIsNotRetriedEither() async throws {
        let harness = BeatAPIHarness(sequence: [
            .success(try fixtureResponse("error-429-concurrency", status: 429)),
            .success(try fixtureResponse("usage")),
        ])
        let error = await mediaError { try await harness.client.usage() }
        guard case .rateLimited = error?.kind else {
            Issue.record("expected rateLimited, got \(String(describing: error))")
            return
        }
        #expect(harness.requests.count == 1)
    }

    @Test(arguments: [500, 502, 503, 504])
    func aCreateThatFailedAfterSendingIsRetriedUnderTheSameKey(status: Int) async throws {
        let harness = BeatAPIHarness(sequence: [
            .success(try fixtureResponse("error-500", status: status)),
            .success(try fixtureResponse("task-queued", status: 201)),
        ])
        _ = try await harness.client.createTask(Sample.seedInput)
        let keys = Set(harness.requests.compactMap { $0.headers["Idempotency-Key"] })
        #expect(harness.requests.count == 2)
        #expect(keys.count == 1)
    }

    @Test func aDroppedConnectionOnCreateIsRetriedUnderTheSameKey() async throws {
        let harness = BeatAPIHarness(sequence: [
            .failure(TransportError(.connectionLost, "reset by peer")),
            .success(try fixtureResponse("task-queued", status: 201)),
        ])
        _ = try await harness.client.createTask(Sample.seedInput, idempotencyKey: "mv-7")
        #expect(harness.requests.map { $0.headers["Idempotency-Key"] } == ["mv-7", "mv-7"])
    }

    @Test func whenRetriesRunOutTheErrorCarriesTheKeyToResendWith() async {
        let harness = BeatAPIHarness { _ in throw TransportError(.connectionLost, "reset by peer") }
        let error = await mediaError {
            try await harness.client.createTask(Sample.seedInput, idempotencyKey: "mv-8")
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.idempotencyKey == "mv-8")
        #expect(harness.requests.count == RetryPolicy.default.maxAttempts)
    }

    @Test func readsRetryServerErrors() async throws {
        let harness = BeatAPIHarness(sequence: [
            .success(try fixtureResponse("error-500", status: 503)),
            .failure(TransportError(.connectionLost, "reset")),
            .success(try fixtureResponse("task-processing")),
        ])
        _ = try await harness.client.task(id: "task_8K2qA")
        #expect(harness.requests.count == 3)
    }

    @Test func anErrorBodyThatIsNotBeatAPIsShapeStillFails() async {
        let harness = BeatAPIHarness { _ in HTTPResponse(status: 400, body: Data("<html>bad gateway</html>".utf8)) }
        let error = await mediaError { try await harness.client.usage() }
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains("bad gateway") == true)
    }

    @Test func anErrorInsideA200IsAnError() async {
        let harness = BeatAPIHarness { _ in
            .json(#"{"error": {"code": "internal_error", "message": "late failure", "request_id": "req_x"}}"#)
        }
        let error = await mediaError { try await harness.client.usage() }
        #expect(error?.providerCode == "internal_error")
        #expect(error?.requestID == "req_x")
    }

    /// Only an `error` object without `data` makes a 200 an error: a success's other members,
    /// whatever they hold, are never read as one.
    @Test(arguments: [
        #"{"data": {"status": "processing", "created_at": 1782210000}, "error": {"code": "internal_error"}}"#,
        #"{"data": {"status": "processing", "created_at": 1782210000}, "error": null}"#,
        #"{"data": {"status": "processing", "created_at": 1782210000}, "error": "text", "status": false}"#,
    ])
    func a200WithDataIsReadAsTheTaskNotAsAnError(body: String) async throws {
        let harness = BeatAPIHarness { _ in .json(body) }
        let error = await mediaError { try await harness.client.task(id: "task_1") }
        // The task is incomplete on purpose: reaching the decoder proves no error was seen first.
        guard case .decoding? = error?.kind else {
            Issue.record("expected the task to be decoded, got \(String(describing: error))")
            return
        }
        #expect(error?.providerCode == nil)
    }

    @Test func aBodyThatIsNotTheDocumentedShapeIsADecodingError() async {
        let harness = BeatAPIHarness { _ in .json(#"{"data": {"status": "queued"}}"#) }
        let error = await mediaError { try await harness.client.task(id: "task_1") }
        guard case .decoding = error?.kind else {
            Issue.record("expected a decoding error, got \(String(describing: error))")
            return
        }
        #expect(error?.taskID == "task_1")
    }

    @Test func theKeyNeverAppearsInErrors() async {
        let harness = BeatAPIHarness { _ in
            .json(#"{"error": {"code": "unauthorized", "message": "key \#(testKey) is revoked"}}"#, status: 401)
        }
        let error = await mediaError { try await harness.client.usage() }
        #expect(error.map(String.init(describing:))?.contains(testKey) == false)
    }
}
