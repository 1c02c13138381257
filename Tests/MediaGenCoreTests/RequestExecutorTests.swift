import Foundation
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("Request building")
struct RequestBuildingTests {
    @Test func sendsCredentialUserAgentAcceptAndJSONContentType() async throws {
        let harness = ExecutorHarness { _ in .created }
        _ = try await harness.executor.send(.create())
        let request = try #require(harness.transport.requests.first)
        #expect(request.method == .post)
        #expect(request.url.absoluteString == "https://api.acme.test/v1/tasks")
        #expect(request.headers["Authorization"] == "Bearer \(acmeKey)")
        #expect(request.headers["User-Agent"] == "MediaGenKit/\(MediaGenKitVersion.current) (acme)")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.jsonBody == ["prompt": "jazz"])
        #expect(request.timeout == .seconds(60))
    }

    @Test func requestTimeoutOverridesTheClientTimeout() async throws {
        let harness = ExecutorHarness { _ in .created }
        var request = APIRequest.read
        request.timeout = .seconds(5)
        _ = try await harness.executor.send(request)
        #expect(harness.transport.requests.first?.timeout == .seconds(5))
    }

    @Test func additionalHeadersAreSentButNeverOverrideTheRequestsOwn() async throws {
        let clock = ImmediateClock()
        let stub = StubTransport { _ in .created }
        let executor = RequestExecutor(
            dialect: .acme(),
            configuration: ClientConfiguration(
                transport: stub,
                clock: clock,
                additionalHeaders: ["X-Team": "media", "Accept": "text/plain"]
            ),
            apiKey: acmeKey
        )
        var request = APIRequest.read
        request.headers["X-Team"] = "override"
        _ = try await executor.send(request)
        let sent = try #require(stub.requests.first)
        #expect(sent.headers["X-Team"] == "override")
        #expect(sent.headers["Accept"] == "application/json")
    }

    @Test func missingAPIKeyFailsBeforeAnyRequest() async {
        let harness = ExecutorHarness(apiKey: nil) { _ in .created }
        let error = await mediaError { try await harness.executor.send(.create()) }
        #expect(error?.kind == .authentication)
        #expect(error?.description.contains("ACME_API_KEY") == true)
        #expect(harness.attempts == 0)
    }

    @Test func queryValuesArePercentEncodedIncludingPlus() async throws {
        let harness = ExecutorHarness { _ in .created }
        let request = APIRequest.get("tasks", query: [("fal_webhook", "https://app.test/hook?a=1+2&b=c d")])
        _ = try await harness.executor.send(request)
        let url = try #require(harness.transport.requests.first?.url.absoluteString)
        #expect(
            url == "https://api.acme.test/v1/tasks?fal_webhook=https%3A%2F%2Fapp.test%2Fhook%3Fa%3D1%2B2%26b%3Dc%20d")
    }

    @Test func pathSegmentsAreEncodedSoAnIdCannotChangeThePath() async throws {
        let harness = ExecutorHarness { _ in .created }
        _ = try await harness.executor.send(.get("tasks", "../admin?x=1"))
        let url = try #require(harness.transport.requests.first?.url.absoluteString)
        #expect(url == "https://api.acme.test/v1/tasks/..%2Fadmin%3Fx%3D1")
    }

    @Test func aFullURLTargetIsUsedAsGiven() async throws {
        let harness = ExecutorHarness { _ in .created }
        let status = try #require(URL(string: "https://api.acme.test/owner/app/requests/r1/status"))
        _ = try await harness.executor.send(APIRequest(.get, .url(status), query: [("logs", "true")]))
        #expect(harness.transport.requests.first?.url.absoluteString == status.absoluteString + "?logs=true")
    }

    /// The credential goes only to the configured origin: another host, scheme or port is refused.
    @Test(arguments: [
        "https://queue.acme.test/r1", "http://api.acme.test/v1/r1", "https://api.acme.test:8443/v1/r1",
        "https://api.acme.test.evil.example/v1/r1",
    ])
    func aFullURLOffTheProvidersOriginIsRefusedBeforeSending(text: String) async throws {
        let harness = ExecutorHarness { _ in .created }
        let url = try #require(URL(string: text))
        let error = await mediaError { try await harness.executor.send(APIRequest(.get, .url(url))) }
        #expect(error?.kind == .invalidRequest(field: "url", reason: "not on Acme's configured hosts"))
        #expect(harness.attempts == 0)
    }

    /// A URL that must receive no credential (a pre-signed upload URL) may be anywhere.
    @Test func aURLSentWithoutTheCredentialMayBeOnAnyHost() async throws {
        let harness = ExecutorHarness { _ in .created }
        var request = APIRequest(.put, .url(try #require(URL(string: "https://storage.example/upload?sig=1"))))
        request.sendsCredential = false
        _ = try await harness.executor.send(request)
        #expect(harness.transport.requests.first?.headers["Authorization"] == nil)
    }

    @Test func createsCarryTheirIdempotencyKey() async throws {
        let harness = ExecutorHarness { _ in .created }
        _ = try await harness.executor.send(.create(key: "key-123"))
        #expect(harness.transport.requests.first?.headers["Idempotency-Key"] == "key-123")
    }

    @Test func multipartBodiesStreamFromATemporaryFileThatIsRemovedAfterwards() async throws {
        let harness = ExecutorHarness { _ in .created }
        var form = MultipartFormData(boundary: "b0undary")
        form.append(field: "purpose", value: "reference_audio")
        form.append(file: "file", source: .data(Data("RIFF".utf8), fileName: "a.wav"))
        _ = try await harness.executor.send(APIRequest(.post, .path(["uploads"]), body: .multipart(form)))
        let sent = try #require(harness.transport.requests.first)
        #expect(sent.headers["Content-Type"] == "multipart/form-data; boundary=b0undary")
        guard case .file(let file) = sent.body else {
            Issue.record("multipart body should be sent from a file")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func aFileBodyIsStreamedFromTheCallersFileWithItsContentType() async throws {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("body-\(UUID().uuidString).wav")
        try Data("RIFF".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try await harness.executor.send(
            APIRequest(.put, .path(["upload"]), body: .file(file, contentType: "audio/wav")))
        let sent = try #require(harness.transport.requests.first)
        #expect(sent.body == .file(file))
        #expect(sent.headers["Content-Type"] == "audio/wav")
        // The caller's file is theirs: it is not removed like a multipart temporary file.
        #expect(FileManager.default.fileExists(atPath: file.path))
    }

    @Test func aRequestThatSendsNoCredentialCarriesNoneEvenAmongTheAdditionalHeaders() async throws {
        let stub = StubTransport { _ in HTTPResponse(status: 200) }
        let executor = RequestExecutor(
            dialect: .acme(),
            configuration: ClientConfiguration(
                transport: stub, clock: ImmediateClock(),
                additionalHeaders: ["x-api-key": "leaked", "X-Trace": "t1"]),
            apiKey: nil
        )
        var request = APIRequest(.put, .url(try #require(URL(string: "https://storage.acme.test/signed?sig=abc"))))
        request.sendsCredential = false
        _ = try await executor.send(request)
        let sent = try #require(stub.requests.first)
        #expect(sent.headers["Authorization"] == nil)
        #expect(sent.headers["x-api-key"] == nil)
        #expect(sent.headers["X-Trace"] == "t1")
    }
}

@Suite("Retry rule: reads, cancels, deletes")
struct ReadRetryTests {
    @Test(arguments: [408, 429, 500, 502, 503, 504])
    func readRetriesTransientStatuses(status: Int) async throws {
        let harness = ExecutorHarness(responses: [.status(status), .ok])
        let response = try await harness.executor.send(.read)
        #expect(response.status == 201)
        #expect(harness.attempts == 2)
        #expect(harness.clock.sleeps == [.milliseconds(500)])
    }

    @Test(arguments: [
        (400, MediaGenError.Kind.invalidRequest(field: nil, reason: "it failed")),
        (401, .authentication),
        (402, .insufficientCredits),
        (403, .authentication),
        (404, .notFound),
        (409, .conflict),
        (410, .notFound),
        (422, .invalidRequest(field: nil, reason: "it failed")),
    ])
    func readDoesNotRetryPermanentStatuses(status: Int, kind: MediaGenError.Kind) async {
        let harness = ExecutorHarness(responses: [.status(status), .ok])
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.kind == kind)
        #expect(error?.httpStatus == status)
        #expect(error?.providerCode == "oops")
        #expect(error?.requestID == "req_9")
        #expect(error?.taskID == "task_1")
        #expect(harness.attempts == 1)
    }

    @Test(arguments: [TransportError.Reason.cannotConnect, .connectionLost, .timedOut, .invalidResponse, .other])
    func readRetriesTransportFailures(reason: TransportError.Reason) async throws {
        let harness = ExecutorHarness(responses: [.transport(reason), .ok])
        _ = try await harness.executor.send(.read)
        #expect(harness.attempts == 2)
    }

    @Test func aRequestThatCannotBeFormedIsNotRetried() async {
        let harness = ExecutorHarness(responses: [.transport(.invalidRequest), .ok])
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.kind == .network)
        #expect(harness.attempts == 1)
    }

    @Test(arguments: [(TransportError.Reason.timedOut, MediaGenError.Kind.timeout), (.connectionLost, .network)])
    func exhaustedTransportFailuresKeepTheirKind(reason: TransportError.Reason, kind: MediaGenError.Kind) async {
        let harness = ExecutorHarness(responses: Array(repeating: .transport(reason), count: 4))
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.kind == kind)
        #expect(harness.attempts == 4)
    }

    @Test func backoffGrowsExponentiallyUpToItsCeiling() async throws {
        let retry = RetryPolicy(maxAttempts: 6, initialBackoff: .seconds(1), multiplier: 2, maxBackoff: .seconds(5))
        let harness = ExecutorHarness(retry: retry, responses: Array(repeating: .status(503), count: 5) + [.ok])
        _ = try await harness.executor.send(.read)
        #expect(harness.clock.sleeps == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }

    @Test func jitterShortensEachWaitByTheRandomFractionOfTheJitter() async throws {
        let harness = ExecutorHarness(retry: RetryPolicy(initialBackoff: .seconds(2), jitter: 0.5), random: 0.5) { _ in
            throw TransportError(.connectionLost, "reset")
        }
        _ = await mediaError { try await harness.executor.send(.read) }
        // 2 s, 4 s, 8 s each shortened by 0.5 × 0.5 = 25 %.
        #expect(harness.clock.sleeps == [.milliseconds(1500), .seconds(3), .seconds(6)])
    }

    @Test(arguments: [0.0, 0.3, 0.999])
    func jitteredWaitsStayWithinTheirBounds(random: Double) {
        let policy = RetryPolicy(initialBackoff: .seconds(1), jitter: 1)
        let wait = policy.backoff(afterAttempt: 3, random: random)
        #expect(wait > .zero && wait <= .seconds(4))
    }

    @Test func retryAfterSecondsAreHonoured() async throws {
        let harness = ExecutorHarness(responses: [.success(.acmeError(429, headers: ["Retry-After": "7"])), .ok])
        _ = try await harness.executor.send(.read)
        #expect(harness.clock.sleeps == [.seconds(7)])
    }

    @Test func retryAfterHTTPDatesAreHonoured() async throws {
        // The harness's wall clock reads 2027-01-15T08:00:00Z.
        let harness = ExecutorHarness(responses: [
            .success(.acmeError(503, headers: ["Retry-After": "Fri, 15 Jan 2027 08:00:12 GMT"])), .ok,
        ])
        _ = try await harness.executor.send(.read)
        #expect(harness.clock.sleeps == [.seconds(12)])
    }

    @Test func aRetryAfterInTheBodyIsHonoured() async throws {
        let harness = ExecutorHarness(responses: [
            .success(.acmeError(429, extra: #", "retry_after_seconds": 9"#)), .ok,
        ])
        _ = try await harness.executor.send(.read)
        #expect(harness.clock.sleeps == [.seconds(9)])
    }

    @Test func aRetryAfterBeyondTheCapEndsWithRateLimited() async {
        let harness = ExecutorHarness(responses: [.success(.acmeError(429, headers: ["Retry-After": "3600"])), .ok])
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(3600)))
        #expect(error?.description.contains("Retry after 3600 s") == true)
        #expect(harness.attempts == 1)
        #expect(harness.clock.sleeps.isEmpty)
    }

    @Test func attemptsAreBoundedAndTheLastErrorIsReported() async {
        let harness = ExecutorHarness(responses: Array(repeating: .status(503), count: 10))
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.kind == .server)
        #expect(error?.httpStatus == 503)
        #expect(harness.attempts == RetryPolicy.default.maxAttempts)
    }

    @Test func totalTimeIsBoundedByMaxElapsed() async {
        let retry = RetryPolicy(maxAttempts: 10, initialBackoff: .seconds(2), maxElapsed: .seconds(3))
        let harness = ExecutorHarness(retry: retry, responses: Array(repeating: .status(503), count: 10))
        _ = await mediaError { try await harness.executor.send(.read) }
        // 2 s wait fits, the next 4 s wait would end past 3 s: two attempts in all.
        #expect(harness.attempts == 2)
        #expect(harness.clock.sleeps == [.seconds(2)])
    }

    @Test func retryPolicyNoneNeverRetries() async {
        let harness = ExecutorHarness(retry: .none, responses: [.status(503), .ok])
        _ = await mediaError { try await harness.executor.send(.read) }
        #expect(harness.attempts == 1)
    }

    @Test func theProvidersRetryableFalseWinsOverATransientStatus() async {
        let harness = ExecutorHarness(responses: [.success(.acmeError(503, extra: #", "retryable": false"#)), .ok])
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.kind == .server)
        #expect(harness.attempts == 1)
    }

    @Test func theProvidersRetryableTrueAllowsRetryingAnotherStatus() async throws {
        let harness = ExecutorHarness(responses: [.success(.acmeError(400, extra: #", "retryable": true"#)), .ok])
        _ = try await harness.executor.send(.read)
        #expect(harness.attempts == 2)
    }

    @Test func cancellingTheCallerStopsTheRetriesAtOnce() async throws {
        let (attempts, signal) = AsyncStream<Void>.makeStream()
        let calls = Locked(0)
        let harness = ExecutorHarness { _ in
            let call = calls.withLock { count in
                count += 1
                return count
            }
            signal.yield()
            // The second attempt hangs until it is cancelled.
            if call == 2 { try await Task.sleep(for: .seconds(30)) }
            throw TransportError(.connectionLost, "reset")
        }
        let task = Task { try await harness.executor.send(.read) }
        var seen = 0
        for await _ in attempts {
            seen += 1
            if seen == 2 { break }
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(harness.attempts == 2)
    }
}

@Suite("Retry rule: creates of paid tasks")
struct CreateRetryTests {
    @Test(arguments: [500, 502, 503, 504])
    func createWithoutKeyIsNotRetriedAfterAnAnswerThatMayFollowProcessing(status: Int) async {
        let harness = ExecutorHarness(responses: [.status(status), .ok])
        let error = await mediaError { try await harness.executor.send(.create()) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.httpStatus == status)
        #expect(error?.requestID == "req_9")
        #expect(error?.message.contains("may have reached Acme") == true)
        #expect(harness.attempts == 1)
    }

    @Test(arguments: [TransportError.Reason.connectionLost, .timedOut, .invalidResponse, .other])
    func createWithoutKeyIsNotRetriedAfterAFailureThatMayFollowSending(reason: TransportError.Reason) async {
        let harness = ExecutorHarness(responses: [.transport(reason), .ok])
        let error = await mediaError { try await harness.executor.send(.create()) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(harness.attempts == 1)
    }

    @Test func createIsRetriedWhenNoConnectionWasMade() async throws {
        let harness = ExecutorHarness(responses: [.transport(.cannotConnect), .ok])
        _ = try await harness.executor.send(.create())
        #expect(harness.attempts == 2)
    }

    @Test(arguments: [408, 429])
    func createIsRetriedAfterAnAnswerThatProvesNothingWasProcessed(status: Int) async throws {
        let harness = ExecutorHarness(responses: [.status(status), .ok])
        _ = try await harness.executor.send(.create())
        #expect(harness.attempts == 2)
    }

    @Test func createIsRetriedWhenTheDialectProvesTheAnswerCameFromTheIngress() async throws {
        // Like fal: a 502/503/504 without the application's request id never reached the app.
        let dialect = ProviderDialect.acme(provesNotProcessed: { $0.headers["x-app-request-id"] == nil })
        let harness = ExecutorHarness(
            dialect: dialect,
            responses: [.status(502), .success(.acmeError(503, headers: ["x-app-request-id": "r1"])), .ok]
        )
        let error = await mediaError { try await harness.executor.send(.create()) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(harness.attempts == 2)
    }

    @Test func createWithKeyIsRetriedAndSendsTheSameKeyEveryTime() async throws {
        let harness = ExecutorHarness(responses: [.status(503), .transport(.connectionLost), .ok])
        _ = try await harness.executor.send(.create(key: "idem-1"))
        #expect(harness.attempts == 3)
        #expect(harness.transport.requests.map { $0.headers["Idempotency-Key"] } == ["idem-1", "idem-1", "idem-1"])
    }

    @Test func createWithKeyThatRunsOutOfRetriesIsOutcomeUnknownWithItsKey() async {
        let harness = ExecutorHarness(responses: Array(repeating: .status(503), count: 4))
        let error = await mediaError { try await harness.executor.send(.create(key: "idem-2")) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.idempotencyKey == "idem-2")
        #expect(error?.description.contains("idempotency key idem-2") == true)
        #expect(harness.attempts == 4)
    }

    @Test func createThatNeverConnectedIsAPlainNetworkError() async {
        let harness = ExecutorHarness(responses: Array(repeating: .transport(.cannotConnect), count: 4))
        let error = await mediaError { try await harness.executor.send(.create()) }
        #expect(error?.kind == .network)
        #expect(harness.attempts == 4)
    }

    @Test func createRefusedByTheProviderIsNotOutcomeUnknown() async {
        let harness = ExecutorHarness(responses: [.success(.acmeError(422, message: "prompt is required"))])
        let error = await mediaError { try await harness.executor.send(.create()) }
        #expect(error?.kind == .invalidRequest(field: nil, reason: "prompt is required"))
        #expect(harness.attempts == 1)
    }

    @Test func aFieldNamedByTheProviderIsKept() async {
        let harness = ExecutorHarness(responses: [.success(.acmeError(400, extra: #", "param": "duration""#))])
        let error = await mediaError { try await harness.executor.send(.create()) }
        #expect(error?.kind == .invalidRequest(field: "duration", reason: "it failed"))
        #expect(error?.description.contains("invalid value for `duration`") == true)
    }

    @Test func aCreateThatTimesOutIsOutcomeUnknown() async {
        let harness = ExecutorHarness(timeout: .milliseconds(20)) { _ in
            try await Task.sleep(for: .seconds(30))
            return .created
        }
        let error = await mediaError { try await harness.executor.send(.create()) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(harness.attempts == 1)
    }
}

@Suite("Timeouts", .timeLimit(.minutes(5)))
struct TimeoutTests {
    @Test func aHangingReadTimesOut() async {
        let harness = ExecutorHarness(retry: .none, timeout: .milliseconds(20)) { _ in
            try await Task.sleep(for: .seconds(600))
            return .created
        }
        let started = ContinuousClock.now
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.kind == .timeout)
        // The transport hangs for 10 minutes: only the timeout can have ended this so soon. The
        // bound is loose because a loaded test process may delay any task by seconds.
        #expect(ContinuousClock.now - started < .seconds(300))
    }

    @Test func aTimedOutReadIsRetried() async throws {
        let calls = Locked(0)
        let harness = ExecutorHarness(timeout: .milliseconds(500)) { _ in
            let call = calls.withLock { count in
                count += 1
                return count
            }
            if call == 1 { try await Task.sleep(for: .seconds(30)) }
            return .created
        }
        _ = try await harness.executor.send(.read)
        #expect(harness.attempts == 2)
    }
}

@Suite("Budget guard in the executor")
struct ExecutorBudgetTests {
    @Test func aCreateOverTheBudgetIsRefusedWithoutSending() async {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(budget: budget) { _ in .created }
        let error = await mediaError { try await harness.executor.send(.create(estimate: .usd(1.5))) }
        #expect(error?.kind == .budgetExceeded(estimate: .usd(1.5), remaining: .usd(1)))
        #expect(harness.attempts == 0)
    }

    @Test func aSentCreateIsCounted() async throws {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(budget: budget) { _ in .created }
        _ = try await harness.executor.send(.create(estimate: .usd(0.75)))
        #expect(await budget.spent == .usd(0.75))
        let second = await mediaError { try await harness.executor.send(.create(estimate: .usd(0.75))) }
        #expect(second?.kind == .budgetExceeded(estimate: .usd(0.75), remaining: .usd(0.25)))
        #expect(harness.attempts == 1)
    }

    @Test func aCreateTheProviderRefusedIsGivenBack() async {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(budget: budget, responses: [.status(400)])
        _ = await mediaError { try await harness.executor.send(.create(estimate: .usd(0.75))) }
        #expect(await budget.spent == .usd(0))
    }

    @Test func aCreateWithAnUnknownOutcomeStaysCounted() async {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(budget: budget, responses: [.status(503)])
        _ = await mediaError { try await harness.executor.send(.create(estimate: .usd(0.75))) }
        #expect(await budget.spent == .usd(0.75))
    }

    /// A create the caller cancels once it was handed to the transport may have reached the
    /// provider: it stays counted, or cancelled creates could spend past the limit.
    @Test func aCreateCancelledWhileInFlightStaysCounted() async throws {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(budget: budget) { _ in
            try await Task.sleep(for: .seconds(3600))
            return .created
        }
        let call = Task { try await harness.executor.send(.create(estimate: .usd(0.75))) }
        try await waitUntil { harness.attempts == 1 }
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(await budget.spent == .usd(0.75))
    }

    @Test func aCreateCancelledBeforeItIsSentIsGivenBack() async throws {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(budget: budget) { _ in .created }
        let call = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await harness.executor.send(.create(estimate: .usd(0.75)))
        }
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(harness.attempts == 0)
        #expect(await budget.spent == .usd(0))
    }

    /// A keyed create that met a 503 (it may have run) and then a refusal is still counted: the
    /// first attempt may have made the task the refusal is about.
    @Test func aRefusalAfterAnAttemptThatMayHaveRunStaysCounted() async {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(
            budget: budget, responses: [.status(503), .success(.acmeError(409, code: "in_progress"))])
        let error = await mediaError { try await harness.executor.send(.create(key: "k-1", estimate: .usd(0.75))) }
        #expect(error?.kind == .conflict)
        #expect(await budget.spent == .usd(0.75))
    }

    @Test func aCreateThatCouldNotConnectIsGivenBack() async {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(
            retry: RetryPolicy(maxAttempts: 1), budget: budget,
            responses: [.failure(TransportError(.cannotConnect, "refused"))])
        _ = await mediaError { try await harness.executor.send(.create(estimate: .usd(0.75))) }
        #expect(await budget.spent == .usd(0))
    }

    @Test func readsAreNeverCounted() async throws {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(budget: budget) { _ in .created }
        _ = try await harness.executor.send(.read)
        #expect(await budget.spent == .usd(0))
    }
}

@Suite("Error mapping and redaction")
struct ExecutorErrorTests {
    @Test func theKeyNeverAppearsInAnErrorEvenWhenTheServerEchoesIt() async {
        let harness = ExecutorHarness(responses: [.success(.acmeError(401, message: "bad key \(acmeKey)"))])
        let error = await mediaError { try await harness.executor.send(.read) }
        let text = try? #require(error).description
        #expect(text?.contains(acmeKey) == false)
        #expect(text?.contains("<redacted>") == true)
        #expect(error.map { String(reflecting: $0) }?.contains(acmeKey) == false)
    }

    /// The body is scrubbed before the snippet is cut: a key across the 200-character cut leaves
    /// no part of itself in the message.
    @Test(arguments: [180, 190, 195, 199, 200, 201])
    func aKeyAcrossTheSnippetCutLeavesNoPart(offset: Int) async {
        let key = "ACMEKEY0123456789ABCDEFGH"
        let body = String(repeating: "x", count: offset) + key + String(repeating: "y", count: 100)
        let harness = ExecutorHarness(apiKey: key) { _ in HTTPResponse(status: 502, body: Data(body.utf8)) }
        let error = await mediaError { try await harness.executor.send(.read) }
        let text = error.map { "\($0) \(String(reflecting: $0))" } ?? ""
        #expect(error != nil)
        for length in 6...key.count {
            #expect(!text.contains(key.prefix(length)), "a prefix of \(length) characters survived")
        }
    }

    /// Every field an error answer fills — code, request id (body and header), field, message — is
    /// scrubbed, not only the message.
    @Test func theKeyIsScrubbedFromEveryFieldOfAnErrorAnswer() async throws {
        let harness = ExecutorHarness { _ in
            .acmeError(
                422, code: "E_\(acmeKey)", message: "bad \(acmeKey)", extra: #", "param": "p_\#(acmeKey)""#,
                headers: ["X-Request-Id": "hdr-\(acmeKey)"])
        }
        let error = try #require(await mediaError { try await harness.executor.send(.read) })
        var dumped = ""
        dump(error, to: &dumped)
        for text in [
            "\(error)", String(reflecting: error), error.localizedDescription, dumped, error.providerCode ?? "",
            error.requestID ?? "", error.message,
        ] {
            #expect(!text.contains(acmeKey))
        }
        #expect(error.providerCode == "E_<redacted>")
    }

    /// A file here that cannot be read or written is a file error, not a network one, and no
    /// attempt is repeated for it.
    @Test func aLocalFileFailureIsAFileErrorAndIsNeverRetried() async {
        let harness = ExecutorHarness(responses: [
            .failure(TransportError(.localFile, "No space left on device", path: "/data/out.mp4")), .success(.created),
        ])
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.kind == .file(path: "/data/out.mp4"))
        #expect(error?.isTransient == false)
        #expect(harness.attempts == 1)
    }

    @Test func partsOfAnIdAndSecretKeyAreScrubbedToo() async {
        let key = "key-id-1234:key-secret-5678"
        let harness = ExecutorHarness(apiKey: key) { _ in .acmeError(401, message: "secret key-secret-5678 rejected") }
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.message.contains("key-secret-5678") == false)
    }

    /// A successful answer's headers are scrubbed too: a value holding the key loses it, and the
    /// values too short to hold it (most headers, skipped from their length) come back as sent.
    @Test func aSuccessfulAnswerLosesAnEchoedKeyFromItsHeaders() async throws {
        let harness = ExecutorHarness { _ in
            .json(
                "{}",
                headers: [
                    "X-Echo": "token=\(acmeKey)", "X-Exact": acmeKey, "X-Tail": "é…\(acmeKey)",
                    "X-Short": "sk-acme", "X-Request-Id": "req-7", "X-Almost": String(acmeKey.dropLast()),
                ])
        }
        let response = try await harness.executor.send(.read)
        #expect(response.headers["X-Echo"] == "token=<redacted>")
        #expect(response.headers["X-Exact"] == "<redacted>")
        #expect(response.headers["X-Tail"] == "é…<redacted>")
        #expect(response.headers["X-Short"] == "sk-acme")
        #expect(response.headers["X-Request-Id"] == "req-7")
        #expect(response.headers["X-Almost"] == String(acmeKey.dropLast()))
    }

    @Test func theRequestIDComesFromTheHeaderWhenTheBodyHasNone() async {
        let harness = ExecutorHarness(responses: [
            .success(.json("{}", status: 404, headers: ["X-Request-Id": "hdr-7"]))
        ])
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.requestID == "hdr-7")
    }

    @Test func aNonJSONErrorBodyBecomesTheMessage() async {
        let html = HTTPResponse(
            status: 502, headers: ["Content-Type": "text/html"], body: Data("<html>\nBad Gateway\n</html>".utf8))
        let harness = ExecutorHarness(retry: .none, responses: [.success(html)])
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.kind == .server)
        #expect(error?.message == "<html> Bad Gateway </html>")
    }

    @Test func anEmptyErrorBodyFallsBackToTheStatusText() async {
        let harness = ExecutorHarness(retry: .none, responses: [.success(HTTPResponse(status: 404))])
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.message.isEmpty == false)
    }

    @Test func anErrorInsideA200IsAnError() async {
        let harness = ExecutorHarness(responses: [.success(.acmeError(200, message: "status false"))])
        let error = await mediaError { try await harness.executor.send(.read) }
        #expect(error?.message == "status false")
        #expect(harness.attempts == 1)
    }

    struct Item: Decodable { var id: String }
    struct Page: Decodable { var data: [Item] }

    @Test func aDecodingFailureSaysWhereAndShowsTheBody() async {
        let harness = ExecutorHarness { _ in .json(#"{"data": [{"id": "a"}, {"name": "b"}]}"#) }
        let error = await mediaError { try await harness.executor.send(.read, decoding: Page.self) }
        #expect(error?.kind == .decoding(snippet: #"{"data": [{"id": "a"}, {"name": "b"}]}"#))
        #expect(error?.message.contains("missing `id` at data[1]") == true)
        #expect(error?.taskID == "task_1")
    }

    @Test func aNonJSONSuccessIsADecodingError() async {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200, body: Data("<html>oops</html>".utf8)) }
        let error = await mediaError { try await harness.executor.send(.read, decoding: Page.self) }
        guard let snippet = error?.kind.snippet else {
            Issue.record("expected a decoding error, got \(String(describing: error))")
            return
        }
        #expect(snippet == "<html>oops</html>")
    }

    @Test func aJSONBodyWithAWrongContentTypeStillDecodes() async throws {
        let harness = ExecutorHarness { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Data(#"{"data": []}"#.utf8))
        }
        let page = try await harness.executor.send(.read, decoding: Page.self)
        #expect(page.data.isEmpty)
    }
}

@Suite("Middleware")
struct MiddlewareTests {
    struct Tag: HTTPMiddleware {
        let name: String
        let log: Locked<[String]>

        func intercept(
            _ request: HTTPRequest,
            next: @Sendable (HTTPRequest) async throws -> HTTPResponse
        ) async throws -> HTTPResponse {
            log.withLock { $0.append("\(name)>") }
            var request = request
            request.headers.append(name: "X-Seen-By", value: name)
            let response = try await next(request)
            log.withLock { $0.append("<\(name)") }
            return response
        }
    }

    @Test func middlewareRunsAroundEveryAttemptFirstOutermost() async throws {
        let log = Locked<[String]>([])
        let answers = Locked([HTTPResponse.acmeError(503), .created])
        let harness = ExecutorHarness(middleware: [Tag(name: "A", log: log), Tag(name: "B", log: log)]) { _ in
            answers.withLock { $0.removeFirst() }
        }
        _ = try await harness.executor.send(.read)
        #expect(log.current == ["A>", "B>", "<B", "<A", "A>", "B>", "<B", "<A"])
        let seen = harness.transport.requests.first?.headers.fields.filter { $0.name == "X-Seen-By" }.map(\.value)
        #expect(seen == ["A", "B"])
    }

    @Test func loggingMiddlewareWritesOneLinePerEventAndNoSecret() async throws {
        let lines = Locked<[String]>([])
        let logging = LoggingMiddleware { line in lines.withLock { $0.append(line) } }
        let answers = Locked([HTTPResponse.acmeError(503, message: acmeKey), .created])
        let harness = ExecutorHarness(middleware: [logging]) { _ in answers.withLock { $0.removeFirst() } }
        _ = try await harness.executor.send(.read)
        #expect(lines.current.count == 4)
        #expect(lines.current.first == "→ GET https://api.acme.test/v1/tasks/task_1")
        #expect(lines.current.contains { $0.hasPrefix("← 503 GET") })
        #expect(!lines.current.joined().contains(acmeKey))
    }

    @Test func loggingMiddlewareReportsTransportFailures() async {
        let lines = Locked<[String]>([])
        let logging = LoggingMiddleware { line in lines.withLock { $0.append(line) } }
        let harness = ExecutorHarness(retry: .none, middleware: [logging]) { _ in
            throw TransportError(.cannotConnect, "refused")
        }
        _ = await mediaError { try await harness.executor.send(.read) }
        #expect(lines.current.last?.hasPrefix("✕ GET") == true)
        #expect(lines.current.last?.contains("cannotConnect: refused") == true)
    }
}

@Suite("Downloads through the executor")
struct ExecutorDownloadTests {
    @Test func downloadsNeverCarryACredentialEvenOneAmongTheAdditionalHeaders() async throws {
        let stub = StubTransport { _ in HTTPResponse(status: 200, body: Data("media".utf8)) }
        let executor = RequestExecutor(
            dialect: .acme(),
            configuration: ClientConfiguration(
                transport: stub,
                clock: ImmediateClock(),
                additionalHeaders: ["Authorization": "Bearer leaked", "x-api-key": "leaked", "X-Trace": "t1"]
            ),
            apiKey: acmeKey
        )
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let url = try #require(URL(string: "https://cdn.acme.test/out.mp3"))
        _ = try await executor.download(url, to: file, progress: nil)

        let sent = try #require(stub.requests.first)
        #expect(sent.headers["Authorization"] == nil)
        #expect(sent.headers["x-api-key"] == nil)
        #expect(sent.headers["X-Trace"] == "t1")
        #expect(try Data(contentsOf: file) == Data("media".utf8))
    }
}
