import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

@Suite("fal errors and the retry rule")
struct FalErrorTests {
    @Test func aDetailStringIsTheMessageAndTheErrorTypeHeaderTheCode() async {
        let harness = FalHarness(fixtures: [("error-detail-string", 400)])
        let error = await mediaError { try await harness.client.result(of: seedHandle) }
        #expect(error?.message == "Request is still in progress.")
        #expect(error?.providerCode == "bad_request")
        #expect(error?.httpStatus == 400)
        #expect(error?.requestID == requestID)
        #expect(error?.taskID == requestID)
        #expect(error?.provider == .fal)
    }

    @Test func theErrorTypeHeaderIsReadWhenTheBodyHasNone() async {
        let harness = FalHarness { _ in
            try fixtureResponse("error-detail-plain", status: 401, headers: ["X-Fal-Error-Type": "unauthorized"])
        }
        let error = await mediaError { try await harness.client.request(seedHandle) }
        #expect(error?.kind == .authentication)
        #expect(error?.providerCode == "unauthorized")
        #expect(error?.message == "Unauthorized: the key is invalid.")
    }

    @Test(arguments: [
        (
            "error-validation-list", "duration",
            "duration: Input should be less than or equal to 150; seed: Input should be a valid integer"
        ),
        ("error-validation-nested", "images[0].url", "images[0].url: Field required"),
    ])
    func aValidationListNamesTheFieldFromItsLocation(fixtureName: String, field: String, message: String) async {
        let harness = FalHarness(fixtures: [(fixtureName, 422)])
        let error = await mediaError {
            try await harness.client.createRequest(FalJSONApp("fal-ai/some-app"), input: ["prompt": "x"])
        }
        #expect(error?.kind == .invalidRequest(field: field, reason: message))
        #expect(harness.requests.count == 1)
    }

    @Test(arguments: [502, 503, 504])
    func anIngressErrorIsRetriedEvenForASubmit(status: Int) async throws {
        let answers = Locked([
            HTTPResponse(status: status, body: Data("<html>bad gateway</html>".utf8)),
            try fixtureResponse("submit-response"),
        ])
        let harness = FalHarness { _ in answers.withLock { $0.removeFirst() } }
        let request = try await harness.client.generateMusic(MusicRequest(prompt: "jazz"))
        #expect(request.requestID == requestID)
        #expect(harness.requests.count == 2)
        // The same request both times: nothing differs that fal could de-duplicate on anyway.
        #expect(harness.requests[0] == harness.requests[1])
    }

    @Test(arguments: [500, 502, 503, 504])
    func aSubmitAnsweredByFalItselfIsNeverSentTwice(status: Int) async {
        let harness = FalHarness { _ in
            .json(
                #"{"detail": "Runner failed.", "error_type": "runner_server_error"}"#, status: status,
                headers: ["x-fal-request-id": requestID])
        }
        let error = await mediaError {
            try await harness.client.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.requestID == requestID)
        #expect(harness.requests.count == 1)
    }

    @Test(arguments: [TransportError.Reason.connectionLost, .timedOut, .invalidResponse])
    func aSubmitThatMayHaveReachedFalIsOutcomeUnknown(reason: TransportError.Reason) async {
        let harness = FalHarness { _ in throw TransportError(reason, "simulated") }
        let error = await mediaError {
            try await harness.client.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(harness.requests.count == 1)
    }

    @Test func aRateLimitedSubmitIsRetriedAfterTheWait() async throws {
        let answers = Locked([
            HTTPResponse.json(
                #"{"detail": "Too many requests."}"#, status: 429,
                headers: ["Retry-After": "2", "x-fal-request-id": "r1"]),
            try fixtureResponse("submit-response"),
        ])
        let harness = FalHarness { _ in answers.withLock { $0.removeFirst() } }
        _ = try await harness.client.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        #expect(harness.clock.sleeps == [.seconds(2)])
    }

    @Test func aUserTimeoutIsNeverRetriedEvenOnARead() async {
        let harness = FalHarness { _ in
            .json(
                #"{"detail": "Request timed out.", "error_type": "request_timeout"}"#, status: 504,
                headers: ["X-Fal-Request-Timeout-Type": "user"])
        }
        let status = await mediaError { try await harness.client.request(seedHandle) }
        let submit = await mediaError {
            try await harness.client.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), startTimeout: .seconds(5))
        }
        #expect(status?.kind == .timeout)
        #expect(submit?.kind == .timeout)
        #expect(harness.requests.count == 2)
    }

    @Test func readsRetryServerErrors() async throws {
        let calls = Locked(0)
        let harness = FalHarness { _ in
            let call = calls.withLock { count in
                count += 1
                return count
            }
            return call < 3
                ? .json(#"{"detail": "oops"}"#, status: 500, headers: ["x-fal-request-id": "r"])
                : try fixtureResponse("status-in-queue", status: 202)
        }
        _ = try await harness.client.request(seedHandle)
        #expect(harness.requests.count == 3)
    }

    @Test func theResultOfACancelledRequestIsACanceledError() async {
        let harness = FalHarness { _ in
            .json(
                #"{"detail": "Request was cancelled.", "error_type": "client_cancelled"}"#, status: 499,
                headers: ["x-fal-error-type": "client_cancelled"])
        }
        let error = await mediaError { try await harness.client.result(of: seedHandle) }
        #expect(error?.kind == .canceled)
        #expect(harness.requests.count == 1)
    }

    @Test(arguments: [
        ("cancel-ok", 200, FalCancellation.ok),
        ("cancel-requested", 202, .cancellationRequested),
        ("cancel-already-completed", 400, .alreadyCompleted),
        ("cancel-not-found", 404, .notFound),
        ("cancel-already-completed", 200, .alreadyCompleted),
        ("cancel-not-found", 200, .notFound),
    ])
    func everyDocumentedCancelAnswerIsAnOutcome(fixtureName: String, status: Int, outcome: FalCancellation) async throws
    {
        let harness = FalHarness(fixtures: [(fixtureName, status)])
        #expect(try await harness.client.cancelRequest(seedHandle) == outcome)
        #expect(harness.requests.count == 1)
    }

    @Test func aCancelThroughTheProtocolAcceptsEveryOutcome() async throws {
        let harness = FalHarness(fixtures: [("cancel-already-completed", 400), ("cancel-not-found", 404)])
        try await harness.client.cancel(seedHandle)
        try await harness.client.cancel(seedHandle)
        #expect(harness.routes == ["PUT \(queueBase)/cancel", "PUT \(queueBase)/cancel"])
    }

    @Test func anUnexpectedCancelFailureIsThrown() async {
        let harness = FalHarness { _ in .json(#"{"detail": "nope"}"#, status: 403) }
        let error = await mediaError { try await harness.client.cancelRequest(seedHandle) }
        #expect(error?.kind == .authentication)
    }

    @Test func aSubmitAnswerWithoutARequestIdSaysTheRequestMayExist() async {
        let harness = FalHarness { _ in .json(#"{"status": "IN_QUEUE"}"#, headers: ["x-fal-request-id": "gw-1"]) }
        let error = await mediaError {
            try await harness.client.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.requestID == "gw-1")
    }

    @Test func theKeyNeverAppearsInErrorsNorItsParts() async {
        let harness = FalHarness { _ in
            .json(#"{"detail": "key \#(testKey) and secret test-SECRET-9999 are revoked"}"#, status: 401)
        }
        let error = await mediaError { try await harness.client.request(seedHandle) }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(!text.contains(testKey))
        #expect(!text.contains("test-SECRET-9999"))
        #expect(text.contains("<redacted>"))
    }

    @Test func aPaidSubmitOfUnknownPriceIsRefusedByABudgetUnlessAllowed() async throws {
        // fal publishes no price for Beatoven: the budget asks once, then refuses or lets it through.
        let strict = pricedHarness(pricing: "pricing-empty", budget: Budget(limit: .usd(cents: 500)))
        let refused = await mediaError { try await strict.client.generateMusic(MusicRequest(prompt: "jazz")) }
        guard case .budgetExceeded = refused?.kind else {
            Issue.record("expected budgetExceeded, got \(String(describing: refused))")
            return
        }
        #expect(strict.routes.allSatisfy { $0.hasPrefix(pricingRoute) })

        let lenient = pricedHarness(
            pricing: "pricing-empty", budget: Budget(limit: .usd(cents: 500), unknownPrices: .allow))
        _ = try await lenient.client.generateMusic(MusicRequest(prompt: "jazz"))
        #expect(lenient.routes.filter { $0.hasPrefix("POST") }.count == 1)
    }
}
