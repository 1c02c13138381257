import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport
import Testing

/// The Skytells client against the emulator over real HTTP: the whole lifecycle and each fault.
@Suite(
    "Skytells over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct SkytellsIntegrationTests {
    func client(_ emulator: Emulator, clock: ImmediateClock = ImmediateClock(), timeout: Duration = .seconds(30))
        -> SkytellsClient
    {
        SkytellsClient(
            apiKey: Emulator.skytellsKey,
            configuration: ClientConfiguration(
                baseURL: emulator.skytellsBaseURL,
                timeout: timeout,
                transport: URLSessionTransport(),
                clock: clock
            )
        )
    }

    func temporaryDirectory() -> URL {
        URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true).appendingPathComponent(
            "skytells-\(UUID().uuidString)/")
    }

    @Test func musicFromCreateToDownloadedWAV() async throws {
        try await Emulator.run { emulator in
            let skytells = client(emulator)
            let seen = Locked<[String]>([])
            let prediction = try await skytells.run(
                .beatFusion2, input: BeatFusionInput(prompt: "lo-fi", duration: .seconds(5))
            ) {
                update in seen.withLock { $0.append(update.rawStatus) }
            }
            #expect(seen.current == ["queued", "processing", "succeeded"])
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = try #require(prediction.outputs.first)
            let saved = try await file.download(to: directory, configuration: skytells.configuration)
            let data = try Data(contentsOf: saved)
            #expect(data.prefix(4) == Data("RIFF".utf8))
            #expect(data.count == 44 + 5 * 44_100 * 4)
            #expect(try await emulator.stats().tasksCreated("skytells") == 1)
        }
    }

    @Test(.enabled(if: FFmpeg.isInstalled, "ffmpeg is not installed: the emulator serves no MP4"))
    func videoFromCreateToDownloadedMP4() async throws {
        try await Emulator.run { emulator in
            let skytells = client(emulator)
            let request = VideoRequest(prompt: "a forest at dawn", duration: .seconds(3), aspectRatio: "16:9", fps: 24)
            let created = try await skytells.generateVideo(request)
            let done = try await skytells.wait(for: created)
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let saved = try await #require(done.outputs.first).download(
                to: directory, configuration: skytells.configuration)
            let data = try Data(contentsOf: saved)
            #expect(data.count > 1000)
            #expect(data.dropFirst(4).prefix(4) == Data("ftyp".utf8))
        }
    }

    @Test func manyPredictionsFollowedTogetherEachEndOnTheirOwnPolls() async throws {
        try await Emulator.run { emulator in
            let skytells = client(emulator)
            var created: [Prediction] = []
            for index in 0..<6 {
                created.append(
                    try await skytells.createPrediction(
                        .beatFusion2, input: BeatFusionInput(prompt: "track \(index)", duration: .seconds(5))))
            }
            // A handle whose id is a path step (`..`): refused before anything is sent.
            let hostile = TaskHandle(provider: .skytells, id: "..")
            var ended: [String: Result<Prediction, any Error>] = [:]
            let handles = created.map(\.handle) + [hostile]
            for await completion in try skytells.completions(of: handles, maxConcurrentPolls: 2) {
                ended[completion.handle.id] = completion.result
            }
            #expect(ended.count == 7)
            for prediction in created {
                #expect(try ended[prediction.id]?.get().status == .succeeded)
            }
            guard case .failure(let error as MediaGenError)? = ended[hostile.id] else {
                Issue.record("the hostile id was not refused: \(String(describing: ended[hostile.id]))")
                return
            }
            #expect(error.kind.case == .invalidRequest)
            // queued at the create, then processing and succeeded: two polls each, none for the
            // hostile id.
            #expect(try await emulator.stats().counter("skytells", "polls") == 12)
        }
    }

    @Test func predictWithAwaitReturnsTheFinishedPrediction() async throws {
        try await Emulator.run { emulator in
            let prediction = try await client(emulator).createPrediction(
                .beatFusion1,
                input: BeatFusionInput(prompt: "ambient", duration: .seconds(5)),
                endpoint: .predict(waitForCompletion: true)
            )
            #expect(prediction.status == .succeeded)
            #expect(prediction.outputURLs.count == 1)
        }
    }

    @Test func everyDocumentedOutputShapeArrivesAsFiles() async throws {
        try await Emulator.run { emulator in
            let skytells = client(emulator)
            for shape in ["string", "list", "null"] {
                // The emulator's control header rides on the create request as an additional header.
                let configured = SkytellsClient(
                    apiKey: Emulator.skytellsKey,
                    configuration: ClientConfiguration(
                        baseURL: emulator.skytellsBaseURL,
                        transport: URLSessionTransport(),
                        clock: ImmediateClock(),
                        additionalHeaders: ["X-Emulator-Output-Shape": shape]
                    )
                )
                let created = try await configured.createPrediction(
                    .beatFusion2, input: BeatFusionInput(prompt: "jazz", duration: .seconds(5)))
                let done = try await skytells.wait(for: created)
                #expect(done.outputs.count == (shape == "null" ? 0 : 1), "output shape \(shape)")
            }
        }
    }

    @Test func cancelDeleteStreamListAndModels() async throws {
        try await Emulator.run { emulator in
            let skytells = client(emulator)
            let created = try await skytells.createPrediction(
                .mera, input: SkytellsVideoInput(prompt: "a city at night"))
            let stream = try await skytells.streamURL(id: created.id)
            #expect(stream?.host == "127.0.0.1")
            let canceled = try await skytells.cancelPrediction(id: created.id)
            #expect(canceled.status == .canceled)
            var listed: [String] = []
            for try await prediction in skytells.predictions(PredictionFilter(model: .mera)) {
                listed.append(prediction.id)
            }
            #expect(listed == [created.id])
            try await skytells.deletePrediction(id: created.id)
            let gone = await mediaError { try await skytells.prediction(id: created.id) }
            #expect(gone?.kind == .notFound)

            let models = try await skytells.models(includeSchemas: true)
            #expect(models.count == 9)
            #expect(models.first { $0.id == .beatFusion2 }?.price == Price(.usd(cents: 75), per: .task))
            #expect(Set(models.map(\.id.rawValue)) == Set(SkytellsCatalog.models.map(\.id)))
            let detail = try await skytells.model(named: .veo31, includeSchemas: true)
            #expect(detail.price == SkytellsModelID.veo31.descriptor?.price)
            #expect(detail.inputSchema != nil)
        }
    }

    @Test func theServersValidationMatchesOurs() async throws {
        try await Emulator.run { emulator in
            // Sent as raw JSON so that our own validation does not stop it first.
            let input: JSONValue = ["prompt": "jazz", "duration_seconds": 500]
            let error = await mediaError { try await client(emulator).createPrediction("beatfusion-2.0", input: input) }
            #expect(error?.providerCode == "INVALID_INPUT")
            #expect(error?.httpStatus == 422)
            let unknown = await mediaError {
                try await client(emulator).createPrediction("no-such-model", input: input)
            }
            #expect(unknown?.kind == .notFound)
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("skytells") == 0)
        }
    }

    // MARK: - Webhooks

    @Test func aDeliveredWebhookVerifiesAndDecodes() async throws {
        try await Emulator.run { emulator in
            let skytells = client(emulator)
            let webhook = PredictionWebhook(url: emulator.inboxURL("skytells"), events: [.started, .completed])
            let created = try await skytells.createPrediction(
                .beatFusion2,
                input: BeatFusionInput(prompt: "jazz", duration: .seconds(5)),
                webhook: webhook
            )
            let deliveries = try await emulator.inbox("skytells", count: 2)
            #expect(deliveries.count == 2)
            let final = try #require(deliveries.last)
            let prediction = try SkytellsWebhook.event(
                body: final.body, headers: final.headers, secret: Emulator.skytellsKey
            ).prediction
            #expect(prediction.id == created.id)
            #expect(prediction.status == .succeeded)
            #expect(prediction.outputs.count == 1)
            // The same bytes with one character changed must not verify.
            var forged = final.body
            forged[forged.startIndex] = UInt8(ascii: " ")
            #expect(throws: MediaGenError.self) {
                try SkytellsWebhook.event(body: forged, headers: final.headers, secret: Emulator.skytellsKey)
            }
        }
    }

    /// The API reference's envelope, delivered by the emulator and signed, goes through the
    /// listener to the handlers of its `type`.
    @Test func anEnvelopeDeliveryIsVerifiedAndDispatchedByItsType() async throws {
        try await Emulator.run { emulator in
            let skytells = SkytellsClient(
                apiKey: Emulator.skytellsKey,
                configuration: ClientConfiguration(
                    baseURL: emulator.skytellsBaseURL, transport: URLSessionTransport(), clock: ImmediateClock(),
                    additionalHeaders: ["X-Emulator-Webhook-Form": "envelope"])
            )
            let created = try await skytells.createPrediction(
                .beatFusion2, input: BeatFusionInput(prompt: "jazz", duration: .seconds(5)),
                webhook: PredictionWebhook(url: emulator.inboxURL("envelope"), events: [.started, .completed]))
            let deliveries = try await emulator.inbox("envelope", count: 2)
            let seen = Locked<[String]>([])
            let listener = SkytellsWebhookListener(secret: Emulator.skytellsKey)
                .on(.completed) { event in seen.withLock { $0.append("completed \(event.prediction.id)") } }
                .on(SkytellsWebhookRoute(rawValue: "prediction.started")) { event in
                    seen.withLock { $0.append(event.type) }
                }
            var events: [SkytellsWebhookEvent] = []
            for delivery in deliveries {
                events.append(try await listener.handle(body: delivery.body, headers: delivery.headers))
            }
            #expect(events.map(\.type) == ["prediction.started", "prediction.succeeded"])
            #expect(events.allSatisfy { $0.createdAt != nil })
            #expect(events.last?.prediction.status == .succeeded)
            #expect(seen.withLock { $0 } == ["prediction.started", "completed \(created.id)"])
            var forged = try #require(deliveries.last).body
            forged[forged.startIndex] = UInt8(ascii: " ")
            let reply = await listener.reply(body: forged, headers: try #require(deliveries.last).headers)
            #expect(reply.status == 401)
        }
    }

    @Test func theObjectFormWebhookOfPredictIsDeliveredToo() async throws {
        try await Emulator.run { emulator in
            let skytells = client(emulator)
            let webhook = PredictionWebhook(url: emulator.inboxURL("predict"), events: [.completed])
            _ = try await skytells.createPrediction(
                .beatFusion1,
                input: BeatFusionInput(prompt: "ambient", duration: .seconds(5)),
                webhook: webhook,
                endpoint: .predict(waitForCompletion: false)
            )
            let delivery = try #require(try await emulator.inbox("predict").first)
            let prediction = try SkytellsWebhook.event(
                body: delivery.body,
                signature: delivery.headers["x-skytells-signature"],
                secret: Emulator.skytellsKey
            ).prediction
            #expect(prediction.status == .succeeded)
        }
    }

    // MARK: - Faults on the paid create

    @Test(arguments: [
        "500", "502", "503", "504", "drop-before", "drop-after", "truncate", "non-json;status=502",
        "response-body;status=500",
    ])
    func aCreateThatMayHaveRunIsNeverSentTwice(fault: String) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule(fault, count: 5, provider: "skytells", method: "POST")])
            let error = await mediaError {
                try await client(emulator).generateMusic(MusicRequest(prompt: "jazz", duration: .seconds(5)))
            }
            #expect(error?.kind == .outcomeUnknown, "\(fault): \(String(describing: error))")
            let stats = try await emulator.stats()
            #expect(stats.requests("skytells", "POST /v1/predictions") == 1)
            #expect(stats.tasksCreated("skytells") <= 1)
        }
    }

    @Test func aRateLimitedCreateWaitsAndCreatesExactlyOnce() async throws {
        try await Emulator.run { emulator in
            let clock = ImmediateClock()
            try await emulator.injectFaults([FaultRule("429;retry_after=4", provider: "skytells", method: "POST")])
            _ = try await client(emulator, clock: clock).generateMusic(
                MusicRequest(prompt: "jazz", duration: .seconds(5)))
            #expect(clock.sleeps == [.seconds(4)])
            #expect(try await emulator.stats().tasksCreated("skytells") == 1)
        }
    }

    @Test func aCreateThatTimesOutIsOutcomeUnknown() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule("slow-first-byte;ms=600000", provider: "skytells", method: "POST")
            ]
            )
            let error = await mediaError {
                try await client(emulator, timeout: .milliseconds(300)).generateMusic(
                    MusicRequest(prompt: "jazz", duration: .seconds(5)))
            }
            #expect(error?.kind == .outcomeUnknown)
            // On a loaded machine the watchdog may even fire before the request leaves: at most once.
            let stats = try await emulator.stats()
            #expect(stats.requests("skytells", "POST /v1/predictions") <= 1)
        }
    }

    @Test(arguments: ["wrong-content-type", "large-body;bytes=3000000"])
    func harmlessOddAnswersToACreateAreAccepted(fault: String) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule(fault, provider: "skytells", method: "POST")])
            let prediction = try await client(emulator).generateMusic(
                MusicRequest(prompt: "jazz", duration: .seconds(5)))
            #expect(prediction.status == .queued(position: nil))
        }
    }

    @Test func aStatusFalseAnswerIsAnErrorWithItsMessage() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule("status-false", provider: "skytells", method: "GET")])
            let error = await mediaError { try await client(emulator).models() }
            #expect(error?.httpStatus == 200)
            #expect(error?.message.isEmpty == false)
        }
    }

    /// The list in both documented answers over the real transport: pages of `per_page` with
    /// pagination (the TypeScript SDK), and the API reference's bare array, read as one page.
    @Test func theListIsReadPagedAndAsTheReferencesBareArray() async throws {
        try await Emulator.run { emulator in
            let skytells = client(emulator)
            var created: [String] = []
            for _ in 0..<3 {
                created.append(
                    try await skytells.createPrediction(.beatFusion2, input: BeatFusionInput(prompt: "jazz")).id)
            }
            var paged: [String] = []
            for try await page in skytells.predictionPages(PredictionFilter(perPage: 2)) {
                #expect(page.pagination?.perPage == 2)
                paged += page.items.map(\.id)
            }
            #expect(paged == created.reversed())

            try await emulator.injectFaults([FaultRule("list-form;form=array", provider: "skytells", method: "GET")])
            var bare: [String] = []
            for try await prediction in skytells.predictions(PredictionFilter(perPage: 2)) {
                bare.append(prediction.id)
            }
            #expect(bare == Array(created.reversed().prefix(2)))
            let stats = try await emulator.stats()
            #expect(stats.requests("skytells", "GET /v1/predictions") == 3)
        }
    }

    /// A model is read at the TypeScript SDK's `/model/{slug}`; when that route is gone, at the
    /// API reference's `/models/{slug}`.
    @Test func aModelIsReadAtEitherRoute() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule(
                    "error-form;form=envelope;status=404;code=ENDPOINT_NOT_FOUND", provider: "skytells",
                    method: "GET", path: "/v1/model/")
            ])
            let model = try await client(emulator).model(named: .beatFusion2)
            #expect(model.price == Price(.usd(cents: 75), per: .task))
            #expect(model.inputSchema == nil)
            let stats = try await emulator.stats()
            #expect(stats.requests("skytells", "GET /v1/model/{slug}") == 1)
            #expect(stats.requests("skytells", "GET /v1/models/{slug}") == 1)
        }
    }

    /// Each error body Skytells documents, answered to a create over the real transport, keeps its
    /// code and reaches the right kind; none of them made a prediction, and none is sent twice
    /// except the rate limit, which proves nothing ran (so the create goes again and succeeds).
    @Test(
        arguments: [
            ("error-form;form=envelope;status=402;code=INSUFFICIENT_CREDITS", "INSUFFICIENT_CREDITS", 1),
            ("error-form;form=in-200;status=401;code=UNAUTHORIZED", "UNAUTHORIZED", 1),
            ("error-form;form=envelope;status=422;code=VALIDATION_ERROR", "VALIDATION_ERROR", 1),
            ("error-form;form=top-level;status=429;code=RATE_LIMIT_EXCEEDED", nil, 2),
        ] as [(String, String?, Int)])
    func everyDocumentedErrorBodyArrivesWithItsCode(fault: String, code: String?, creates: Int) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule(fault, provider: "skytells", method: "POST")])
            let skytells = client(emulator)
            let outcome = await TestSupport.outcome {
                _ = try await skytells.createPrediction(.beatFusion2, input: BeatFusionInput(prompt: "jazz"))
            }
            if let code {
                guard case .failure(let error as MediaGenError) = outcome else {
                    Issue.record("expected a MediaGenError, got \(outcome)")
                    return
                }
                #expect(error.providerCode == code)
                switch code {
                case "INSUFFICIENT_CREDITS": #expect(error.kind == .insufficientCredits)
                case "UNAUTHORIZED": #expect(error.kind == .authentication)
                default: #expect(error.kind == .invalidRequest(field: nil, reason: "Emulated VALIDATION_ERROR."))
                }
            } else {
                #expect(throws: Never.self) { try outcome.get() }
            }
            let stats = try await emulator.stats()
            #expect(stats.requests("skytells", "POST /v1/predictions") == creates)
            #expect(stats.tasksCreated("skytells") == creates - 1)
        }
    }

    /// A create and its first polls answered as queued inside `status: false` (Skytells' TypeScript
    /// SDK reads them so) are followed to success: one prediction, one create, nothing paid twice.
    @Test func aQueuedStatusFalseAnswerIsFollowedToSuccessWithOneCreate() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule("status-false-queued", count: 3, provider: "skytells")])
            let skytells = client(emulator)
            let created = try await skytells.generateMusic(MusicRequest(prompt: "jazz", duration: .seconds(5)))
            #expect(created.status == .queued(position: nil))
            let done = try await skytells.wait(for: created)
            #expect(done.status == .succeeded)
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("skytells") == 1)
            #expect(stats.requests("skytells", "POST /v1/predictions") == 1)
        }
    }

    /// Over the real transport: a create cancelled after it reached Skytells (the emulator made the
    /// prediction and is slow to answer) stays counted by the budget.
    @Test func aCreateCancelledAfterItArrivedStaysCountedByTheBudget() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule("slow-first-byte;ms=600000", provider: "skytells", method: "POST")
            ])
            let budget = Budget(limit: .usd(3))
            let skytells = SkytellsClient(
                apiKey: Emulator.skytellsKey,
                configuration: ClientConfiguration(
                    baseURL: emulator.skytellsBaseURL, budget: budget, transport: URLSessionTransport(),
                    clock: ImmediateClock()))
            let call = Task {
                try await skytells.createPrediction(.beatFusion2, input: BeatFusionInput(prompt: "jazz"))
            }
            try await waitUntil { try await emulator.stats().tasksCreated("skytells") == 1 }
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
            #expect(await budget.spent == .usd(0.75))
        }
    }

    /// A create that could not connect never reached Skytells: its charge is given back.
    @Test func aCreateThatNeverConnectedIsGivenBackByTheBudget() async throws {
        let budget = Budget(limit: .usd(3))
        let skytells = SkytellsClient(
            apiKey: Emulator.skytellsKey,
            configuration: ClientConfiguration(
                baseURL: URL(string: "http://127.0.0.1:9/v1")!, budget: budget, transport: URLSessionTransport(),
                clock: ImmediateClock()))
        let error = await mediaError {
            try await skytells.createPrediction(.beatFusion2, input: BeatFusionInput(prompt: "jazz"))
        }
        #expect(error?.kind == .network)
        #expect(await budget.spent == .usd(0))
    }

    @Test(arguments: ["500", "502", "503", "504", "drop-before", "drop-after", "truncate", "429;retry_after=1"])
    func pollsRecoverFromEachFault(fault: String) async throws {
        try await Emulator.run { emulator in
            let skytells = client(emulator)
            let created = try await skytells.generateMusic(MusicRequest(prompt: "jazz", duration: .seconds(5)))
            try await emulator.injectFaults([FaultRule(fault, count: 2, provider: "skytells", method: "GET")])
            let done = try await skytells.wait(for: created)
            #expect(done.status == .succeeded)
            #expect(try await emulator.stats().tasksCreated("skytells") == 1)
        }
    }

    @Test func aWrongKeyIsRefusedWithoutLeakingIt() async throws {
        try await Emulator.run { emulator in
            let skytells = SkytellsClient(
                apiKey: "sk-not-the-right-key-42",
                configuration: ClientConfiguration(baseURL: emulator.skytellsBaseURL, transport: URLSessionTransport())
            )
            let error = await mediaError { try await skytells.models() }
            #expect(error?.kind == .authentication)
            #expect(error?.providerCode == "UNAUTHORIZED")
            #expect(error.map(String.init(describing:))?.contains("sk-not-the-right-key-42") == false)
        }
    }

    /// A 401 asking for HTTP `Basic` authentication, as a gateway in front of Skytells may send:
    /// refused at once and read as `.authentication`, not left to time out (see
    /// `AuthenticationChallengeTests` in the core tests).
    @Test func aChallengeForHTTPAuthenticationIsAnAuthenticationFailureAtOnce() async throws {
        try await Emulator.run { emulator in
            let skytells = SkytellsClient(
                apiKey: Emulator.skytellsKey,
                configuration: ClientConfiguration(
                    baseURL: emulator.skytellsBaseURL, timeout: .seconds(100), transport: URLSessionTransport(),
                    additionalHeaders: ["X-Emulator-Fault": "challenge"])
            )
            let error = await mediaError { try await skytells.models() }
            #expect(error?.kind == .authentication)
            #expect(error?.httpStatus == 401)
        }
    }
}

/// Whether `ffmpeg` is on the `PATH`.
enum FFmpeg {
    static let isInstalled: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/ffmpeg") }
    }()
}
