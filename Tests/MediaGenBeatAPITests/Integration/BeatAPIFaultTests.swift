import EmulatorSupport
import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// Faults on BeatAPI's paid creates and polls, over real HTTP: a create is retried under its
/// `Idempotency-Key` into exactly one task and one credit reservation; limits are reported.
@Suite(
    "BeatAPI faults over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct BeatAPIFaultTests {
    @Test func aCreateRetriedAfterTheAnswerWasLostMakesExactlyOneTask() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule("drop-after", provider: "beatapi", method: "POST", path: "/v1/music-video/tasks")
            ])
            let created = try await emulator.beatAPI().createTask(Sample.seedInput)
            #expect(created.usage?.creditsReserved == EmulatorPrice.musicVideo)
            let stats = try await emulator.stats()
            #expect(stats.requests("beatapi", "POST /v1/music-video/tasks") == 2)
            #expect(stats.tasksCreated("beatapi") == 1)
            #expect(stats.counter("beatapi", "usd_cents_charged") == 450)
            #expect(try await emulator.beatAPI().usage().creditBalance == EmulatorPrice.balanceAfterOneMusicVideo)
        }
    }

    @Test(arguments: [
        "500", "502", "503", "504", "drop-before", "truncate", "non-json;status=502",
    ])
    func aCreateIsRetriedThroughEachFaultIntoOneTask(fault: String) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule(fault, count: 2, provider: "beatapi", method: "POST", path: "/v1/music-video/tasks")
            ])
            let created = try await emulator.beatAPI().createTask(Sample.seedInput)
            #expect(created.status == .queued(position: nil))
            let stats = try await emulator.stats()
            #expect(stats.requests("beatapi", "POST /v1/music-video/tasks") == 3, "\(fault)")
            #expect(stats.tasksCreated("beatapi") == 1, "\(fault)")
            #expect(stats.counter("beatapi", "usd_cents_charged") == 450, "\(fault)")
        }
    }

    @Test func aCreateThatTimesOutIsRetriedUnderItsKeyIntoOneTask() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule("slow-first-byte;ms=2000", provider: "beatapi", method: "POST", path: "/v1/music-video/tasks")
            ])
            // However the retries fare on a loaded machine, no attempt may add a second task, and
            // the key finds the one task afterwards.
            let key = "mv-timeout-\(UUID().uuidString)"
            _ = try? await emulator.beatAPI(timeout: .milliseconds(500)).createTask(
                Sample.seedInput, idempotencyKey: key)
            let task = try await emulator.beatAPI().createTask(Sample.seedInput, idempotencyKey: key)
            let stats = try await emulator.stats()
            #expect(stats.requests("beatapi", "POST /v1/music-video/tasks") >= 3)
            #expect(stats.tasksCreated("beatapi") == 1)
            #expect(stats.counter("beatapi", "usd_cents_charged") == 450)
            #expect(task.usage?.creditsReserved == EmulatorPrice.musicVideo)
        }
    }

    @Test func whenRetriesRunOutTheKeyTheErrorCarriesFindsTheSameTask() async throws {
        try await Emulator.run { emulator in
            let attempts = RetryPolicy.default.maxAttempts
            try await emulator.injectFaults([
                FaultRule(
                    "drop-after", count: attempts, provider: "beatapi", method: "POST", path: "/v1/music-video/tasks")
            ])
            let beatAPI = emulator.beatAPI()
            let error = await mediaError { try await beatAPI.createTask(Sample.seedInput) }
            #expect(error?.kind == .outcomeUnknown)
            let key = try #require(error?.idempotencyKey)

            // Resending the same call with that key returns the task the lost attempts made.
            let task = try await beatAPI.createTask(Sample.seedInput, idempotencyKey: key)
            let stats = try await emulator.stats()
            #expect(stats.requests("beatapi", "POST /v1/music-video/tasks") == attempts + 1)
            #expect(stats.tasksCreated("beatapi") == 1)
            #expect(stats.counter("beatapi", "usd_cents_charged") == 450)
            #expect(try await emulator.task("beatapi", task.id)["id"]?.stringValue == task.id)
        }
    }

    /// The spec's 409 `idempotency_conflict` for a key "still being processed": the first attempt
    /// made the task but its answer was lost; BeatAPI refuses the next two on the key; the fourth
    /// gets the task back. Waits run on the injected clock.
    @Test(arguments: ["/v1/ecommerce-video/tasks", "/v1/music-video/tasks"])
    func aCreateWhoseKeyIsStillBeingProcessedIsWaitedOutIntoOneTask(path: String) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule("drop-after", provider: "beatapi", method: "POST", path: path),
                FaultRule("idempotency-in-progress", count: 2, provider: "beatapi", method: "POST", path: path),
            ])
            let clock = ImmediateClock()
            let beatAPI = emulator.beatAPI(clock: clock)
            let task =
                path.hasPrefix("/v1/ecommerce")
                ? try await beatAPI.createTask(Sample.ecommerce) : try await beatAPI.createTask(Sample.seedInput)
            #expect(task.usage?.creditsReserved == Money(Decimal(450) / 100, .usd))
            let stats = try await emulator.stats()
            #expect(stats.requests("beatapi", "POST \(path)") == 4)
            #expect(stats.tasksCreated("beatapi") == 1)
            #expect(stats.counter("beatapi", "usd_cents_charged") == 450)
            #expect(clock.sleeps.count == 3)
            #expect(try await emulator.task("beatapi", task.id)["id"]?.stringValue == task.id)
        }
    }

    @Test func aKeyReusedWithAnotherBodyEndsAsATypedConflictAndMakesNoSecondTask() async throws {
        try await Emulator.run { emulator in
            let clock = ImmediateClock()
            let beatAPI = emulator.beatAPI(clock: clock)
            let key = "ad-\(UUID().uuidString)"
            let first = try await beatAPI.createTask(Sample.ecommerce, idempotencyKey: key)
            var other = Sample.ecommerce
            other.prompt = "Another launch ad"
            let error = await mediaError { try await beatAPI.createTask(other, idempotencyKey: key) }
            #expect(error?.kind == .conflict)
            #expect(error?.providerCode == "idempotency_conflict")
            #expect(error?.httpStatus == 409)
            #expect(error?.idempotencyKey == key)
            #expect(error?.message.contains("send this request with a new key") == true)
            let attempts = RetryPolicy.default.maxAttempts
            let stats = try await emulator.stats()
            #expect(stats.requests("beatapi", "POST /v1/ecommerce-video/tasks") == 1 + attempts)
            #expect(stats.tasksCreated("beatapi") == 1)
            #expect(stats.counter("beatapi", "usd_cents_charged") == 450)
            #expect(clock.sleeps.count == attempts - 1)
            // The key still finds the task of its first body.
            #expect(try await beatAPI.createTask(Sample.ecommerce, idempotencyKey: key).id == first.id)
        }
    }

    @Test func aRateLimitedCreateWaitsRetryAfterSecondsAndCreatesOnce() async throws {
        try await Emulator.run { emulator in
            let clock = ImmediateClock()
            try await emulator.injectFaults([FaultRule("429;retry_after=4", provider: "beatapi", method: "POST")])
            _ = try await emulator.beatAPI(clock: clock).createTask(Sample.seedInput)
            #expect(clock.sleeps == [.seconds(4)])
            #expect(try await emulator.stats().tasksCreated("beatapi") == 1)
        }
    }

    @Test func theConcurrencyLimitIsReportedNotRetried() async throws {
        try await Emulator.run(arguments: ["--beatapi-concurrency", "1"]) { emulator in
            let clock = ImmediateClock()
            let beatAPI = emulator.beatAPI(clock: clock)
            _ = try await beatAPI.createTask(Sample.seedInput)
            let error = await mediaError { try await beatAPI.createTask(Sample.seedInput) }
            #expect(error?.providerCode == "user_concurrency_exceeded")
            #expect(error?.httpStatus == 429)
            #expect(error?.requestID?.hasPrefix("req_") == true)
            #expect(clock.sleeps.isEmpty)
            let stats = try await emulator.stats()
            #expect(stats.requests("beatapi", "POST /v1/music-video/tasks") == 2)
            #expect(stats.tasksCreated("beatapi") == 1)
        }
    }

    @Test func anInjectedConcurrency429IsNotRetriedEither() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule("429;code=user_concurrency_exceeded", count: 3, provider: "beatapi", method: "POST")
            ])
            let error = await mediaError { try await emulator.beatAPI().createTask(Sample.seedInput) }
            #expect(error?.providerCode == "user_concurrency_exceeded")
            #expect(try await emulator.stats().requests("beatapi", "POST /v1/music-video/tasks") == 1)
        }
    }

    @Test func anAccountOutOfCreditsIsTold() async throws {
        try await Emulator.run(arguments: ["--beatapi-credits", "4"]) { emulator in
            let error = await mediaError { try await emulator.beatAPI().createTask(Sample.seedInput) }
            #expect(error?.kind == .insufficientCredits)
            #expect(error?.httpStatus == 402)
            #expect(error?.providerCode == "insufficient_credits")
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("beatapi") == 0)
        }
    }

    @Test func theServersValidationNamesTheField() async throws {
        try await Emulator.run { emulator in
            // Well formed for a client that allows the test host, refused by the emulator (BeatAPI
            // fetches only public HTTPS URLs).
            var input = Sample.ecommerce
            input.images = [.url(try #require(URL(string: "http://test.invalid/bottle.png")))]
            let beatAPI = emulator.beatAPI(allowedTestHosts: ["test.invalid"])
            let error = await mediaError { try await beatAPI.createTask(input) }
            #expect(error?.kind.field == "images")
            #expect(error?.httpStatus == 400)
            #expect(error?.providerCode == "bad_request")
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("beatapi") == 0)
        }
    }

    @Test func aRefusedInputSendsNothing() async throws {
        try await Emulator.run { emulator in
            let input = MusicVideoInput(
                imageURLs: [Sample.image], audioURL: try #require(URL(string: "http://cdn.example.com/a.mp3")),
                prompt: "x", language: .english)
            let error = await mediaError { try await emulator.beatAPI().createTask(input) }
            #expect(error?.kind.field == "audio_url")
            let stats = try await emulator.stats()
            #expect(stats.json["beatapi"]?["requests"]?.objectValue?.isEmpty ?? true)
        }
    }

    @Test(arguments: ["500", "502", "503", "504", "drop-before", "drop-after", "truncate", "429;retry_after=1"])
    func pollsRecoverFromEachFault(fault: String) async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI()
            let created = try await beatAPI.createTask(Sample.seedInput)
            try await emulator.injectFaults([FaultRule(fault, count: 2, provider: "beatapi", method: "GET")])
            let done = try await beatAPI.wait(for: created)
            #expect(done.status == .succeeded)
            #expect(try await emulator.stats().tasksCreated("beatapi") == 1)
        }
    }

    @Test func aWrongKeyIsRefusedWithoutLeakingIt() async throws {
        try await Emulator.run { emulator in
            let beatAPI = BeatAPIClient(
                apiKey: "sk-not-the-right-beatapi-key",
                configuration: ClientConfiguration(baseURL: emulator.beatAPIBaseURL, transport: URLSessionTransport())
            )
            let error = await mediaError { try await beatAPI.usage() }
            #expect(error?.kind == .authentication)
            #expect(error?.providerCode == "unauthorized")
            #expect(error.map(String.init(describing:))?.contains("sk-not-the-right-beatapi-key") == false)
        }
    }
}
