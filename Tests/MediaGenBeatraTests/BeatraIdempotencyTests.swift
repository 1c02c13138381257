import Foundation
import MediaGenBeatra
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("Beatra idempotency and retries")
struct BeatraIdempotencyTests {
    /// Answers `failures` in order, then `final`.
    static func harness(failing failures: [@Sendable () throws -> HTTPResponse], then final: String) -> BeatraHarness {
        let queue = Locked(0)
        return BeatraHarness { _ in
            let index = queue.withLock { count in
                defer { count += 1 }
                return count
            }
            if index < failures.count { return try failures[index]() }
            return try fixtureResponse(final, status: 202)
        }
    }

    @Test func aCreateWhoseAnswerWasLostIsRetriedWithTheSameKey() async throws {
        let harness = Self.harness(
            failing: [
                { throw TransportError(.connectionLost, "reset by peer") },
                { throw TransportError(.timedOut, "no answer") },
            ],
            then: "create-accepted"
        )
        let task = try await harness.client.createTask(seedRequest)

        #expect(task.id == "task_01JBEATRA0000000000000001")
        #expect(harness.requests.count == 3)
        let keys = harness.requests.map { $0.headers["Idempotency-Key"] }
        #expect(Set(keys).count == 1)
        #expect(keys.first??.isUUID == true)
        // The same request each time: Beatra de-duplicates on key and body.
        #expect(Set(harness.sentBodies).count == 1)
    }

    @Test func aCallersKeyIsSentAsGivenOnEveryAttempt() async throws {
        let harness = Self.harness(
            failing: [{ try fixtureResponse("error-server-retryable", status: 503) }], then: "create-accepted")
        _ = try await harness.client.createTask(seedRequest, idempotencyKey: "order-42-track")
        #expect(harness.requests.map { $0.headers["Idempotency-Key"] } == ["order-42-track", "order-42-track"])
    }

    @Test func eachLogicalCallHasItsOwnKey() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202), ("create-accepted", 202)])
        _ = try await harness.client.createTask(seedRequest)
        _ = try await harness.client.createTask(seedRequest)
        let keys = harness.requests.compactMap { $0.headers["Idempotency-Key"] }
        #expect(keys.count == 2)
        #expect(keys[0] != keys[1])
    }

    @Test func aKeyReusedWithAnotherBodyIsAClearConflict() async throws {
        let harness = BeatraHarness(fixtures: [("error-idempotency-conflict", 409)])
        let error = try #require(
            await mediaError { try await harness.client.createTask(seedRequest, idempotencyKey: "order-42-track") })

        #expect(error.kind == .conflict)
        #expect(error.providerCode == "idempotency_conflict")
        #expect(error.httpStatus == 409)
        #expect(error.idempotencyKey == "order-42-track")
        #expect(error.requestID == "req_conflict_1")
        #expect(error.message.contains("the Idempotency-Key order-42-track was already used"))
        #expect(error.message.contains("24-hour"))
        #expect(error.description.contains("Use a new idempotency key for a different request."))
        #expect(harness.requests.count == 1)
    }

    @Test(arguments: ["", String(repeating: "k", count: 256), "two words", "ключ"])
    func aMalformedKeyIsRefusedBeforeSending(key: String) async {
        let harness = BeatraHarness(fixtures: [])
        let error = await mediaError { try await harness.client.createTask(seedRequest, idempotencyKey: key) }
        #expect(error?.kind.field == "idempotencyKey")
        #expect(harness.requests.isEmpty)
    }

    @Test func aRetryableServerErrorOnACreateIsRetriedWithTheKey() async throws {
        let harness = Self.harness(
            failing: [{ try fixtureResponse("error-server-retryable", status: 503) }], then: "create-accepted")
        _ = try await harness.client.createTask(seedRequest)
        #expect(harness.requests.count == 2)
    }

    @Test func anErrorBeatraMarksNotRetryableIsNotRetriedEvenWithAKey() async {
        let harness = Self.harness(
            failing: [{ try fixtureResponse("error-server-not-retryable", status: 500) }], then: "create-accepted")
        let error = await mediaError { try await harness.client.createTask(seedRequest, idempotencyKey: "k-1") }
        #expect(error?.kind == .server)
        #expect(error?.providerCode == "internal_error")
        #expect(error?.idempotencyKey == "k-1")
        #expect(harness.requests.count == 1)
    }

    @Test func aReadBeatraMarksNotRetryableIsNotRetried() async {
        let harness = Self.harness(
            failing: [{ try fixtureResponse("error-server-not-retryable", status: 503) }], then: "task-running")
        let error = await mediaError { try await harness.client.task(id: "t1") }
        #expect(error?.kind == .server)
        #expect(harness.requests.count == 1)
    }

    @Test func aRetryableReadIsRetried() async throws {
        let harness = BeatraHarness(fixtures: [("error-server-retryable", 503), ("task-running", 200)])
        let task = try await harness.client.task(id: "task_01JBEATRA0000000000000001")
        #expect(task.status == .running(progress: 0.5))
        #expect(harness.requests.count == 2)
    }

    @Test func aRateLimitIsWaitedOutAsRetryAfterAsks() async throws {
        let harness = Self.harness(
            failing: [{ try fixtureResponse("error-rate-limited", status: 429, headers: ["Retry-After": "3"]) }],
            then: "create-accepted"
        )
        _ = try await harness.client.createTask(seedRequest)
        #expect(harness.clock.sleeps == [.seconds(3)])
        #expect(Set(harness.requests.map { $0.headers["Idempotency-Key"] }).count == 1)
    }

    @Test func whenRetriesRunOutTheErrorCarriesTheKeyToResendWith() async throws {
        let harness = BeatraHarness { _ in throw TransportError(.connectionLost, "reset by peer") }
        let error = try #require(await mediaError { try await harness.client.createTask(seedRequest) })
        #expect(error.kind == .outcomeUnknown)
        let key = try #require(error.idempotencyKey)
        #expect(key.isUUID)
        #expect(harness.requests.count == RetryPolicy.default.maxAttempts)
        #expect(harness.requests.allSatisfy { $0.headers["Idempotency-Key"] == key })
    }

    @Test func anUploadIsRetriedWithItsOwnKeyAndTheSameBody() async throws {
        let harness = Self.harness(
            failing: [{ throw TransportError(.connectionLost, "reset") }], then: "upload-artifact")
        _ = try await harness.client.upload(.data(Data([1, 2, 3]), fileName: "a.mp3"))
        #expect(harness.requests.count == 2)
        #expect(Set(harness.requests.map { $0.headers["Idempotency-Key"] }).count == 1)
        #expect(harness.sentBodies[0] == harness.sentBodies[1])
    }
}

@Suite("Beatra errors")
struct BeatraErrorTests {
    @Test(arguments: [
        (
            "error-invalid-request", 400,
            MediaGenError.Kind.invalidRequest(
                field: "model_options.udio", reason: "Unknown model_options namespace 'udio'."),
            "invalid_request", "req_invalid_1"
        ),
        ("error-insufficient-credits", 402, .insufficientCredits, "insufficient_credits", "req_wallet_1"),
        ("error-unauthorized", 401, .authentication, "unauthorized", "req_auth_1"),
        ("error-not-found", 404, .notFound, "not_found", "req_404_1"),
        ("error-not-cancelable", 409, .conflict, "task_not_cancelable", "req_cancel_1"),
    ])
    func errorsMapToTheirKindWithCodeFieldAndRequestID(
        fixtureName: String, status: Int, kind: MediaGenError.Kind, code: String, requestID: String
    ) async {
        let harness = BeatraHarness(fixtures: [(fixtureName, status)])
        let error = await mediaError { try await harness.client.cancelTask(id: "task_1") }
        #expect(error?.kind == kind)
        #expect(error?.providerCode == code)
        #expect(error?.httpStatus == status)
        #expect(error?.requestID == requestID)
        #expect(error?.provider == .beatra)
        #expect(error?.taskID == "task_1")
        #expect(harness.requests.count == 1)
    }

    @Test func aPaymentRequiredCreateSaysTheWalletIsShort() async {
        let harness = BeatraHarness(fixtures: [("error-insufficient-credits", 402)])
        let error = await mediaError { try await harness.client.createTask(seedRequest) }
        #expect(error?.kind == .insufficientCredits)
        #expect(error?.message == "This task costs 80 credits; the wallet holds 20.")
        #expect(harness.requests.count == 1)
    }

    @Test func theRequestIDHeaderIsUsedWhenTheBodyHasNone() async {
        let harness = BeatraHarness { _ in
            HTTPResponse(
                status: 502, headers: ["X-Request-Id": "req_edge_7", "Content-Type": "text/html"],
                body: Data("<html>bad gateway</html>".utf8))
        }
        let error = await mediaError { try await harness.client.task(id: "t1") }
        #expect(error?.kind == .server)
        #expect(error?.requestID == "req_edge_7")
        // No verdict from Beatra in an HTML page: the status rule retries a read.
        #expect(harness.requests.count == RetryPolicy.default.maxAttempts)
    }

    @Test func theKeyNeverAppearsInErrors() async {
        let harness = BeatraHarness { _ in
            .json(
                #"{"error": {"code": "unauthorized", "message": "key \#(testKey) is revoked", "retryable": false}}"#,
                status: 401)
        }
        let error = await mediaError { try await harness.client.task(id: "t1") }
        #expect(error?.kind == .authentication)
        #expect(error.map(String.init(describing:))?.contains(testKey) == false)
    }
}
