import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// MediaGenCore through the real `URLSessionTransport`, against the provider emulator's Skytells
/// routes (Core knows no provider, so these tests speak the wire format themselves).
@Suite(
    "MediaGenCore over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct CoreIntegrationTests {
    static let emulated = Provider("emulated", displayName: "Emulated Skytells", apiKeyEnvironmentVariable: nil)

    struct Prediction: MediaTask, Decodable {
        let id: String
        let rawStatus: String

        var handle: TaskHandle { TaskHandle(provider: CoreIntegrationTests.emulated, id: id) }
        var status: TaskStatus {
            switch rawStatus {
            case "succeeded": .succeeded
            case "queued": .queued(position: nil)
            default: .running(progress: nil)
            }
        }
        var outputs: [RemoteFile] { [] }

        enum CodingKeys: String, CodingKey {
            case id
            case rawStatus = "status"
        }
    }

    func executor(
        _ emulator: Emulator,
        clock: ImmediateClock,
        retry: RetryPolicy = .default,
        timeout: Duration = .seconds(30),
        apiKey: String = Emulator.skytellsKey
    ) -> RequestExecutor {
        let dialect = ProviderDialect(
            provider: Self.emulated,
            defaultBaseURL: emulator.skytellsBaseURL,
            authorizationHeader: "x-api-key",
            authorizationValue: { $0 },
            parseError: { response, json in
                guard !response.isSuccess else { return nil }
                let body = try? json?.jsonValue()
                return ProviderErrorDetails(
                    message: body?["error"]?["message"]?.stringValue, code: body?["error"]?["error_id"]?.stringValue)
            }
        )
        let configuration = ClientConfiguration(
            timeout: timeout, retry: retry, transport: URLSessionTransport(), clock: clock)
        return RequestExecutor(dialect: dialect, configuration: configuration, apiKey: apiKey)
    }

    func create(_ executor: RequestExecutor, headers: HTTPHeaders = [:]) async throws -> Prediction {
        let body: JSONValue = ["model": "beatfusion-2.0", "input": ["prompt": "lo-fi", "duration_seconds": 5]]
        let request = APIRequest(
            .post,
            .path(["predictions"]),
            headers: headers,
            body: .json(try JSONEncoder().encode(body)),
            intent: .create(idempotencyKey: nil, charge: .init(model: "beatfusion-2.0", estimate: .usd(cents: 75)))
        )
        return try await executor.send(request, decoding: Prediction.self)
    }

    func poll(_ executor: RequestExecutor, _ id: String) async throws -> Prediction {
        try await executor.send(.get("predictions", id, taskID: id), decoding: Prediction.self)
    }

    // MARK: - Retries

    @Test func retryAfterSecondsAreHonoured() async throws {
        try await Emulator.run { emulator in
            let clock = ImmediateClock()
            let executor = executor(emulator, clock: clock)
            let created = try await create(executor)
            try await emulator.injectFaults([FaultRule("429;retry_after=2", provider: "skytells", method: "GET")])
            _ = try await poll(executor, created.id)
            #expect(clock.sleeps == [.seconds(2)])
            #expect(try await emulator.stats().requests("skytells", "GET /v1/predictions/{id}") == 2)
        }
    }

    @Test func retryAfterHTTPDatesAreHonoured() async throws {
        try await Emulator.run { emulator in
            let clock = ImmediateClock()
            let executor = executor(emulator, clock: clock)
            let created = try await create(executor)
            try await emulator.injectFaults([
                FaultRule("503;retry_after=30;retry_after_date=1", provider: "skytells", method: "GET")
            ])
            _ = try await poll(executor, created.id)
            let wait = try #require(clock.sleeps.first)
            // A date 30 s ahead, in whole seconds and read a moment later: far from the 0.5 s backoff.
            #expect(wait > .seconds(20) && wait <= .seconds(30))
        }
    }

    @Test func anAmbiguousCreateIsOutcomeUnknownAndNeverSentAgain() async throws {
        try await Emulator.run { emulator in
            let executor = executor(emulator, clock: ImmediateClock())
            try await emulator.injectFaults([
                FaultRule("drop-after", provider: "skytells", method: "POST", path: "/v1/predictions")
            ])
            let error = await mediaError { try await create(executor) }
            #expect(error?.kind == .outcomeUnknown)
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("skytells") == 1)
            #expect(stats.requests("skytells", "POST /v1/predictions") == 1)
        }
    }

    @Test func aCreateDroppedBeforeAnyAnswerIsNeverSentAgainEither() async throws {
        try await Emulator.run { emulator in
            let executor = executor(emulator, clock: ImmediateClock())
            try await emulator.injectFaults([FaultRule("drop-before", provider: "skytells", method: "POST")])
            let error = await mediaError { try await create(executor) }
            // From the client's side a dropped connection is the same whether or not the route ran.
            #expect(error?.kind == .outcomeUnknown)
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("skytells") == 0)
            #expect(stats.requests("skytells", "POST /v1/predictions") == 1)
        }
    }

    @Test func aRateLimitedCreateIsRetriedAndCreatesOneTask() async throws {
        try await Emulator.run { emulator in
            let clock = ImmediateClock()
            let executor = executor(emulator, clock: clock)
            try await emulator.injectFaults([
                FaultRule("429;retry_after=1", count: 2, provider: "skytells", method: "POST")
            ])
            _ = try await create(executor)
            #expect(clock.sleeps == [.seconds(1), .seconds(1)])
            #expect(try await emulator.stats().tasksCreated("skytells") == 1)
        }
    }

    @Test(arguments: ["drop-before", "drop-after", "500", "502", "503", "504", "truncate", "non-json;status=502"])
    func readsRecoverFromEachFault(fault: String) async throws {
        try await Emulator.run { emulator in
            let executor = executor(emulator, clock: ImmediateClock())
            let created = try await create(executor)
            try await emulator.injectFaults([FaultRule(fault, count: 2, provider: "skytells", method: "GET")])
            let polled = try await poll(executor, created.id)
            #expect(polled.id == created.id)
            #expect(try await emulator.stats().requests("skytells", "GET /v1/predictions/{id}") == 3)
        }
    }

    @Test func aSlowAnswerTimesOut() async throws {
        try await Emulator.run { emulator in
            let created = try await create(executor(emulator, clock: ImmediateClock()))
            let impatient = executor(emulator, clock: ImmediateClock(), retry: .none, timeout: .milliseconds(300))
            try await emulator.injectFaults([
                FaultRule("slow-first-byte;ms=600000", provider: "skytells", method: "GET")
            ]
            )
            let started = ContinuousClock.now
            let error = await mediaError { try await poll(impatient, created.id) }
            #expect(error?.kind == .timeout)
            // The server holds its answer for 10 minutes: only the timeout can have ended this so soon.
            #expect(ContinuousClock.now - started < .seconds(300))
        }
    }

    @Test func aSlowButTimelyAnswerIsFine() async throws {
        try await Emulator.run { emulator in
            let executor = executor(emulator, clock: ImmediateClock(), retry: .none, timeout: .seconds(10))
            let created = try await create(executor)
            try await emulator.injectFaults([FaultRule("slow-first-byte;ms=200", provider: "skytells", method: "GET")])
            #expect(try await poll(executor, created.id).id == created.id)
        }
    }

    /// `URLSessionTransport` hands its fields to Foundation in one assignment: every field must
    /// arrive, and a name given twice (in any case) arrives once with both values, as `addValue`
    /// would send it.
    @Test func everyHeaderFieldArrivesAndARepeatedNameCarriesBothValues() async throws {
        try await Emulator.run { emulator in
            var request = HTTPRequest(method: .post, url: emulator.inboxURL("headers"), timeout: .seconds(10))
            request.body = .data(Data("{}".utf8))
            request.headers = ["Content-Type": "application/json", "X-Trace": "a", "X-Note": "hello world"]
            request.headers.append(name: "x-trace", value: "b")
            let response = try await URLSessionTransport().send(request)
            #expect(response.status == 200)
            let delivery = try #require(try await emulator.inbox("headers").first)
            #expect(delivery.headers["X-Trace"] == "a,b")
            #expect(delivery.headers["X-Note"] == "hello world")
            #expect(delivery.headers["Content-Type"] == "application/json")
        }
    }

    // MARK: - Bodies

    @Test func aWrongContentTypeStillDecodesAndALargeBodyToo() async throws {
        try await Emulator.run { emulator in
            let executor = executor(emulator, clock: ImmediateClock())
            let created = try await create(executor)
            try await emulator.injectFaults([
                FaultRule("wrong-content-type", provider: "skytells", method: "GET"),
                FaultRule("large-body;bytes=8000000", provider: "skytells", method: "GET"),
            ])
            #expect(try await poll(executor, created.id).id == created.id)
            #expect(try await poll(executor, created.id).id == created.id)
        }
    }

    @Test func aNonJSONSuccessIsADecodingErrorWithASnippet() async throws {
        try await Emulator.run { emulator in
            let executor = executor(emulator, clock: ImmediateClock())
            let created = try await create(executor)
            try await emulator.injectFaults([FaultRule("non-json;status=200", provider: "skytells", method: "GET")])
            let error = await mediaError { try await poll(executor, created.id) }
            guard let snippet = error?.kind.snippet else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                return
            }
            #expect(snippet.lowercased().contains("<html"))
        }
    }

    @Test func aWrongKeyIsAnAuthenticationErrorThatNeverShowsTheKey() async throws {
        try await Emulator.run { emulator in
            let executor = executor(emulator, clock: ImmediateClock(), apiKey: "sk-wrong-0123456789")
            let error = await mediaError { try await create(executor) }
            #expect(error?.kind == .authentication)
            #expect(error?.httpStatus == 401)
            #expect(error.map(String.init(describing:))?.contains("sk-wrong-0123456789") == false)
        }
    }

    // MARK: - Polling

    @Test func pollingFollowsATaskToItsEnd() async throws {
        try await Emulator.run { emulator in
            let clock = ImmediateClock()
            let executor = executor(emulator, clock: clock)
            let created = try await create(executor, headers: ["X-Emulator-Script": "queued,processing*3,succeeded"])
            let updates = TaskUpdates(handle: created.handle, initial: created, policy: .default, clock: clock) {
                try await poll(executor, created.id)
            }
            var statuses: [String] = []
            for try await update in updates { statuses.append(update.rawStatus) }
            #expect(statuses == ["queued", "processing", "succeeded"])
            #expect(try await emulator.stats().counter("skytells", "polls") == 4)
        }
    }

    @Test func cancellingTheConsumerStopsPollingAtOnce() async throws {
        try await Emulator.run { emulator in
            let clock = ImmediateClock()
            let executor = executor(emulator, clock: clock)
            let created = try await create(executor, headers: ["X-Emulator-Script": "queued,processing*5000"])
            let (polled, signal) = AsyncStream<Int>.makeStream()
            let counter = Locked(0)
            let updates = TaskUpdates(handle: created.handle, policy: .default, clock: clock) {
                let task = try await poll(executor, created.id)
                signal.yield(
                    counter.withLock { count in
                        count += 1
                        return count
                    })
                return task
            }
            let consumer = Task {
                for try await _ in updates {}
            }
            for await count in polled where count >= 5 { break }
            consumer.cancel()
            // Polls answered by the time the cancel was made. Besides them, at most two reach the
            // emulator: one answered just as the cancel was made and one then in flight, which may
            // arrive after the consumer has ended (a cancelled call is released at once). Were
            // polling to go on, the immediate clock would add hundreds in the wait below.
            let answered = counter.current
            _ = await consumer.result
            try await Task.sleep(for: .milliseconds(200))
            let polls = try await emulator.stats().counter("skytells", "polls")
            #expect(polls <= answered + 2, "\(polls) polls, \(answered) answered when cancelled")
        }
    }

    // MARK: - Downloads

    /// The `Download` example, built beside this test bundle (the test target depends on it).
    static let downloadExample = URL(fileURLWithPath: CommandLine.arguments[0])
        .deletingLastPathComponent().appendingPathComponent("Download")

    /// A separate process, so that the figure is the download's alone and not the parallel tests'.
    /// With and without a progress handler: the transport takes a different path for each.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: downloadExample.path), "the Download example is not built"),
        arguments: [false, true]
    )
    func a200MegabyteDownloadStreamsToDiskWithFlatMemory(withProgress: Bool) async throws {
        try await Emulator.run { emulator in
            let size = 200 << 20
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dl-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let (status, text) = try await ChildProcess.run(
                Self.downloadExample,
                (withProgress ? [] : ["--quiet"]) + [
                    "\(emulator.origin.absoluteString)/media/blob.bin?bytes=\(size)", directory.path + "/",
                ])
            #expect(status == 0, "\(text)")

            let report = try #require(text.split(separator: "\n").last { $0.hasPrefix("saved ") })
            #expect(report.contains(": \(size) bytes,"))
            let peak = try #require(report.split(separator: " ").dropLast().last.flatMap { Int($0) })
            // ThreadSanitizer's shadow memory inflates every process's footprint: the bound is for real builds.
            if !ThreadSanitizer.isActive {
                #expect(
                    peak < 64, "peak resident memory \(peak) MiB for a 200 MiB download (progress: \(withProgress))")
            }

            // Spot-check the content: byte i is (i ^ i>>8 ^ i>>16 ^ i>>24) & 0xFF.
            let handle = try FileHandle(forReadingFrom: directory.appendingPathComponent("blob.bin"))
            defer { try? handle.close() }
            try handle.seek(toOffset: 123_456_789)
            let byte = try #require(try handle.read(upToCount: 1)?.first)
            let i = 123_456_789
            #expect(Int(byte) == (i ^ i >> 8 ^ i >> 16 ^ i >> 24) & 0xFF)
        }
    }

    @Test func aDownloadCutShortIsRetriedAndCompletes() async throws {
        try await Emulator.run { emulator in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dl-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            try await emulator.injectFaults([FaultRule("truncate", provider: "media")])
            let url = try #require(URL(string: "\(emulator.origin.absoluteString)/media/tone.wav?seconds=2"))
            let saved = try await RemoteFile(url: url).download(
                to: directory.appendingPathComponent("tone.wav"),
                configuration: ClientConfiguration(transport: URLSessionTransport(), clock: ImmediateClock())
            )
            let size = try FileManager.default.attributesOfItem(atPath: saved.path)[.size] as? NSNumber
            #expect(size?.intValue == 44 + 2 * 44_100 * 4)
        }
    }

    @Test func aDownloadThatKeepsFailingLeavesNothingBehind() async throws {
        try await Emulator.run { emulator in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dl-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try await emulator.injectFaults([FaultRule("truncate", count: 10, provider: "media")])
            let url = try #require(URL(string: "\(emulator.origin.absoluteString)/media/blob.bin?bytes=100000"))
            let error = await mediaError {
                try await RemoteFile(url: url).download(
                    to: directory.appendingPathComponent("blob.bin"),
                    configuration: ClientConfiguration(transport: URLSessionTransport(), clock: ImmediateClock())
                )
            }
            #expect(error?.kind == .network)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    /// Removes a folder just before each attempt is sent: the download's destination is gone by the
    /// time the body arrives, as with a folder deleted or a disk unmounted mid-download.
    struct FolderRemover: HTTPMiddleware {
        let folder: URL

        func intercept(_ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse)
            async throws -> HTTPResponse
        {
            try? FileManager.default.removeItem(at: folder)
            return try await next(request)
        }
    }

    /// A download whose destination cannot be written is a file error, not a network one, and is
    /// not retried: the provider sees one request, with and without a progress handler.
    @Test(arguments: [false, true])
    func aDestinationThatCannotBeWrittenIsAFileErrorNeverRetried(withProgress: Bool) async throws {
        try await Emulator.run { emulator in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dl-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let url = try #require(URL(string: "\(emulator.origin.absoluteString)/media/blob.bin?bytes=100000"))
            let configuration = ClientConfiguration(
                middleware: [FolderRemover(folder: directory)], transport: URLSessionTransport(),
                clock: ImmediateClock())
            var progress: (@Sendable (TransferProgress) -> Void)?
            if withProgress { progress = { _ in } }
            let error: MediaGenError? = await mediaError {
                try await RemoteFile(url: url).download(
                    to: directory.appendingPathComponent("blob.bin"), configuration: configuration, progress: progress)
            }
            let path = error?.kind.path
            #expect(path?.hasPrefix(directory.path) == true, "expected a file error, got \(String(describing: error))")
            #expect(error?.isTransient == false)
            #expect(try await emulator.stats().requests("media", "GET /blob.bin") == 1)
        }
    }
}
