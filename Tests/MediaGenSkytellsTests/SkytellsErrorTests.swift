import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport
import Testing

@Suite("Skytells errors")
struct SkytellsErrorTests {
    @Test(arguments: [
        ("error-structured-model-not-found", 404, MediaGenError.Kind.notFound, "MODEL_NOT_FOUND"),
        ("error-structured-insufficient-credits", 402, .insufficientCredits, "INSUFFICIENT_CREDITS"),
        (
            "error-structured-invalid-input", 422,
            .invalidRequest(field: "duration_seconds", reason: "Input validation failed"), "INVALID_INPUT"
        ),
    ])
    func structuredErrorsMapToTheirKind(fixtureName: String, status: Int, kind: MediaGenError.Kind, code: String) async
    {
        let harness = SkytellsHarness(fixtures: [(fixtureName, status)])
        let error = await mediaError { try await harness.client.prediction(id: "p1") }
        #expect(error?.kind == kind)
        #expect(error?.providerCode == code)
        #expect(error?.httpStatus == status)
        #expect(error?.provider == .skytells)
        #expect(error?.taskID == "p1")
        #expect(harness.requests.count == 1)
    }

    /// Every documented error body keeps its code and message and reaches the right kind: the
    /// unified envelope, the rate-limit page's top-level form, an error inside a 200 (its status
    /// read from the body, as Skytells' TypeScript SDK reads it) and the typed 500.
    @Test(
        arguments: [
            (
                "error-top-level-rate-limit", 429, "rateLimited", "RATE_LIMIT_EXCEEDED",
                "Too many requests. Please wait before retrying."
            ),
            (
                "error-envelope-unauthorized", 401, "authentication", "UNAUTHORIZED",
                "Invalid or missing API key, Please obtain a valid API key from the dashboard: Invalid API key"
            ),
            (
                "error-envelope-in-200-credits", 200, "insufficientCredits", "INSUFFICIENT_CREDITS",
                "Your account does not have enough credits for this prediction: Top up your balance in the dashboard"
            ),
            ("error-envelope-in-200-status-only", 200, "rateLimited", nil, "Too many requests"),
            ("error-typed-internal", 500, "server", "INTERNAL_ERROR", "Server error"),
            ("error-inference-timeout", 504, "timeout", "INFERENCE_TIMEOUT", "Model took too long to respond"),
            ("error-prediction-fetch-502", 502, "server", "PREDICTION_FAILED", "Prediction serving returned an error."),
            ("error-validation", 422, "invalidRequest", "VALIDATION_ERROR", "The model field is required."),
        ] as [(String, Int, String, String?, String)])
    func everyDocumentedErrorFormKeepsItsCodeAndMessage(
        fixtureName: String, status: Int, kind: String, code: String?, message: String
    ) async {
        // Answered every time, so that retried reads end with the same error.
        let harness = SkytellsHarness { _ in try fixtureResponse(fixtureName, status: status) }
        let error = await mediaError { try await harness.client.prediction(id: "p1") }
        #expect(error.map { Self.name(of: $0.kind) } == kind)
        #expect(error?.providerCode == code)
        #expect(error?.message == message)
        #expect(error?.httpStatus == status)
        #expect(error?.taskID == "p1")
    }

    @Test func aValidationErrorNamesItsField() async {
        let harness = SkytellsHarness(fixtures: [("error-validation", 422)])
        let error = await mediaError {
            try await harness.client.createPrediction(.beatFusion2, input: BeatFusionInput(prompt: "jazz"))
        }
        #expect(error?.kind == .invalidRequest(field: "model", reason: "The model field is required."))
        #expect(harness.requests.count == 1)
    }

    @Test func aTopLevelRateLimitIsWaitedOutWithItsRetryAfter() async throws {
        let answers = Locked([
            try fixtureResponse("error-top-level-rate-limit", status: 429, headers: ["Retry-After": "12"]),
            try fixtureResponse("prediction-queued"),
        ])
        let harness = SkytellsHarness { _ in answers.withLock { $0.removeFirst() } }
        _ = try await harness.client.prediction(id: "p1")
        #expect(harness.clock.sleeps == [.seconds(12)])
    }

    /// The kind's name, payload aside.
    static func name(of kind: MediaGenError.Kind) -> String {
        switch kind {
        case .rateLimited: "rateLimited"
        case .authentication: "authentication"
        case .insufficientCredits: "insufficientCredits"
        case .server: "server"
        case .timeout: "timeout"
        case .invalidRequest: "invalidRequest"
        case .notFound: "notFound"
        default: "another kind"
        }
    }

    @Test func rateLimitsAreWaitedOutUsingRetryAfter() async throws {
        let answers = Locked([
            try fixtureResponse("error-structured-rate-limit", status: 429, headers: ["Retry-After": "3"]),
            try fixtureResponse("prediction-queued"),
        ])
        let harness = SkytellsHarness { _ in answers.withLock { $0.removeFirst() } }
        _ = try await harness.client.prediction(id: "p1")
        #expect(harness.clock.sleeps == [.seconds(3)])
    }

    @Test func aRateLimitedCreateIsRetriedBecauseNothingRan() async throws {
        let answers = Locked([
            try fixtureResponse("error-structured-rate-limit", status: 429, headers: ["Retry-After": "1"]),
            try fixtureResponse("prediction-queued", status: 201),
        ])
        let harness = SkytellsHarness { _ in answers.withLock { $0.removeFirst() } }
        _ = try await harness.client.generateMusic(MusicRequest(prompt: "jazz"))
        #expect(harness.requests.count == 2)
    }

    @Test func theResponseEnvelopeIsAnError() async {
        let harness = SkytellsHarness(fixtures: [("error-response-string", 401)])
        let error = await mediaError { try await harness.client.prediction(id: "p1") }
        #expect(error?.kind == .authentication)
        #expect(error?.message == "Invalid API key provided")
    }

    @Test func a200WithStatusFalseIsAnError() async {
        let harness = SkytellsHarness(fixtures: [("error-status-false", 200)])
        let error = await mediaError { try await harness.client.prediction(id: "p1") }
        #expect(error?.message == "This model is temporarily unavailable")
        #expect(error?.httpStatus == 200)
    }

    /// A 200 with `status: false` that carries a prediction `id` is a queued prediction (Skytells'
    /// TypeScript SDK, `src/http.ts`): reading it as an error would make an app create — and pay — again.
    @Test func aQueuedStatusFalseAnswerToACreateIsThePredictionNotAnError() async throws {
        let harness = SkytellsHarness(fixtures: [
            ("prediction-status-false-queued", 200), ("prediction-status-false-queued", 200),
            ("prediction-succeeded-list", 200),
        ])
        let created = try await harness.client.createPrediction(
            .beatFusion2, input: BeatFusionInput(prompt: "Lo-fi piano, 85 BPM"))
        #expect(created.id == "pred_aud_q7f3a91c")
        #expect(created.status == .queued(position: nil))
        let polled = try await harness.client.prediction(id: created.id)
        #expect(polled.status == .queued(position: nil))
        let done = try await harness.client.prediction(id: created.id)
        #expect(done.status == .succeeded)
        #expect(harness.requests.filter { $0.method == .post }.count == 1)
    }

    /// Only a boolean `false` status is the error-in-200; `false` elsewhere in a prediction is data.
    @Test func aPredictionWithFalseMembersIsNotAnError() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-official-client", 200)])
        let prediction = try await harness.client.prediction(id: "pred_lip_42")
        #expect(prediction.status == .succeeded)
    }

    @Test(arguments: [500, 502, 503, 504])
    func aCreateThatFailsAfterSendingIsNeverSentTwice(status: Int) async {
        let harness = SkytellsHarness { _ in
            HTTPResponse(status: status, body: Data("<html>upstream error</html>".utf8))
        }
        let error = await mediaError {
            try await harness.client.createPrediction(.beatFusion2, input: BeatFusionInput(prompt: "jazz"))
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(harness.requests.count == 1)
    }

    @Test func aDroppedConnectionOnCreateIsOutcomeUnknown() async {
        let harness = SkytellsHarness { _ in throw TransportError(.connectionLost, "reset by peer") }
        let error = await mediaError {
            try await harness.client.generateVideo(VideoRequest(prompt: "a forest", duration: .seconds(5)))
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.description.contains("look it up before creating it again") == true)
        #expect(harness.requests.count == 1)
    }

    @Test func readsRetryServerErrors() async throws {
        let calls = Locked(0)
        let harness = SkytellsHarness { _ in
            let call = calls.withLock { count in
                count += 1
                return count
            }
            return call < 3 ? HTTPResponse(status: 503) : try fixtureResponse("prediction-queued")
        }
        _ = try await harness.client.prediction(id: "p1")
        #expect(harness.requests.count == 3)
    }

    @Test func theKeyNeverAppearsInErrors() async {
        let harness = SkytellsHarness { _ in .json(#"{"response": "key \#(testKey) is revoked"}"#, status: 401) }
        let error = await mediaError { try await harness.client.prediction(id: "p1") }
        #expect(error.map(String.init(describing:))?.contains(testKey) == false)
    }

    /// Twelve predictions created and cancelled in flight under a $3 budget: each one may exist at
    /// Skytells, so each stays counted and the fifth is refused before it is sent.
    @Test func cancellingCreatesInFlightCannotSpendPastTheBudget() async throws {
        let budget = Budget(limit: .usd(3))
        let harness = SkytellsHarness(budget: budget) { _ in
            try await Task.sleep(for: .seconds(3600))
            return try fixtureResponse("prediction-queued", status: 201)
        }
        var refused = 0
        for _ in 1...12 {
            let sentBefore = harness.requests.count
            let finished = Locked(false)
            let call = Task {
                defer { finished.withLock { $0 = true } }
                return try await harness.client.createPrediction(.beatFusion2, input: BeatFusionInput(prompt: "jazz"))
            }
            // Cancelled once the create is on its way, or after the budget refused it.
            try await waitUntil { harness.requests.count > sentBefore || finished.current }
            call.cancel()
            if case .budgetExceeded? = await mediaError({ try await call.value })?.kind { refused += 1 }
        }
        #expect(harness.requests.count == 4)
        #expect(refused == 8)
        #expect(await budget.spent == .usd(3))
    }
}
