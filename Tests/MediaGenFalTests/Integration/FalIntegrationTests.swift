import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// Records every request that passes, for assertions on what really went over the wire.
struct RecordingMiddleware: HTTPMiddleware {
    let requests = Locked<[HTTPRequest]>([])

    func intercept(_ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse) async throws
        -> HTTPResponse
    {
        requests.withLock { $0.append(request) }
        return try await next(request)
    }
}

/// An input sent exactly as given, so that the emulator's validation, not ours, answers.
struct RawInput: Encodable, Sendable {
    let value: JSONValue
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

/// The fal client against the emulator over real HTTP: the queue lifecycle, storage, webhooks
/// and each fault.
@Suite(
    "fal over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct FalIntegrationTests {
    static let submitRoute = "POST /queue/{owner}/{alias}"
    static let statusRoute = "GET /queue/{owner}/{alias}/requests/{id}/status"
    static let cancelRoute = "PUT /queue/{owner}/{alias}/requests/{id}/cancel"

    func client(
        _ emulator: Emulator,
        key: String = Emulator.falKey,
        timeout: Duration = .seconds(30),
        middleware: [any HTTPMiddleware] = [],
        headers: HTTPHeaders = [:]
    ) -> FalClient {
        FalClient(
            apiKey: key,
            queueURL: emulator.falQueueURL,
            restURL: emulator.falRestURL,
            configuration: ClientConfiguration(
                timeout: timeout,
                middleware: middleware,
                transport: URLSessionTransport(),
                clock: ImmediateClock(),
                additionalHeaders: headers
            )
        )
    }

    func temporaryDirectory() -> URL {
        URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("fal-\(UUID().uuidString)/")
    }

    // MARK: - Credentials

    /// A request's status, result and cancel URLs moved to another origin (a tampered handle, a
    /// hostile answer) are refused over the real transport: nothing reaches the foreign host.
    @Test func aHandleWhoseURLsLeaveFalsOriginSendsNothingThere() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            let submitted = try await fal.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz", duration: .seconds(5)))
            let foreign = emulator.foreignCaptureURL("fal-key")
            let handle = TaskHandle(
                provider: .fal, id: submitted.requestID, model: submitted.handle.model, statusURL: foreign,
                resultURL: foreign, cancelURL: foreign)
            for call in 0..<3 {
                let error = await mediaError {
                    switch call {
                    case 0: _ = try await fal.request(handle)
                    case 1: _ = try await fal.result(of: handle)
                    default: _ = try await fal.cancelRequest(handle)
                    }
                }
                #expect(error?.kind == .invalidRequest(field: "url", reason: "not on fal's configured hosts"))
            }
            #expect(try await emulator.captures("fal-key").isEmpty)
            // The genuine handle still works.
            #expect(try await fal.request(submitted.handle).requestID == submitted.requestID)
        }
    }

    // MARK: - The queue

    @Test func musicFromSubscribeToDownloadedWAVWithQueuePositionsAndLogs() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            let seen = Locked<[String]>([])
            let result = try await fal.run(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "Jazz for a late night", duration: .seconds(5))
            ) { update in
                seen.withLock { $0.append("\(update.rawStatus) \(update.queuePosition ?? -1) \(update.logs.count)") }
            }
            #expect(seen.current == ["IN_QUEUE 2 0", "IN_QUEUE 1 0", "IN_PROGRESS -1 1", "COMPLETED -1 1"])
            #expect(result.data.prompt == "Jazz for a late night")
            #expect(result.data.metadata?.sampleRate == 44_100)

            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let saved = try await result.data.audio.remoteFile.download(to: directory, configuration: fal.configuration)
            let data = try Data(contentsOf: saved)
            #expect(data.prefix(4) == Data("RIFF".utf8))
            #expect(Int64(data.count) == result.data.audio.fileSize)
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("fal") == 1)
            #expect(stats.requests("fal", Self.statusRoute) == 3)
        }
    }

    @Test func waitThroughTheSharedProtocolReturnsTheFiles() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            let submitted = try await fal.generateMusic(MusicRequest(prompt: "ambient", duration: .seconds(5), seed: 4))
            let done = try await fal.wait(for: submitted)
            #expect(done.status == .succeeded)
            #expect(done.outputs.first?.contentType == "audio/wav")
            #expect(done.output?["metadata"]?["parameters"]?["seed"] == 4)
        }
    }

    @Test func aSubpathIsSubmittedToAndDroppedForStatusAndResult() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            let app = FalJSONApp("fal-ai/some-app/turbo")
            let submitted = try await fal.createRequest(app, input: ["prompt": "a fox"])
            #expect(submitted.handle.statusURL?.path.contains("/fal-ai/some-app/requests/") == true)
            let done = try await fal.wait(for: submitted)
            #expect(done.outputs.count == 1)
            #expect(done.output?["input"] == ["prompt": "a fox"])
            // Resumed from the id alone, as fal's clients address requests.
            let handle = try fal.handle(app: app.id, requestID: submitted.requestID)
            let again = try await fal.result(app, of: handle)
            #expect(again.data == done.output)
            #expect(try await emulator.stats().requests("fal", "POST /queue/{owner}/{alias}/{subpath}") == 1)
        }
    }

    @Test func theServersValidationNamesTheSameFieldsAsOurs() async throws {
        try await Emulator.run { emulator in
            let app = FalApp<RawInput, JSONValue>("beatoven/music-generation")
            let error = await mediaError {
                try await client(emulator).createRequest(
                    app, input: RawInput(value: ["prompt": "jazz", "duration": 500]))
            }
            #expect(error?.httpStatus == 422)
            #expect(error?.kind.field == "duration")
            let ours = #expect(throws: MediaGenError.self) {
                try FalApp.beatovenMusicGeneration.validate(BeatovenInput(prompt: "jazz", duration: .seconds(500)))
            }
            #expect(ours?.kind.field == "duration")
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("fal") == 0)
        }
    }

    @Test func aCompletedRequestWithAnErrorFailsTheSubscription() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator, headers: ["X-Emulator-Script": "IN_QUEUE,IN_PROGRESS,COMPLETED_ERROR"])
            let error = await mediaError {
                try await fal.run(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
            }
            if let failure = error?.kind.failure {
                #expect(failure.code == "runner_server_error")
            } else {
                Issue.record("expected taskFailed, got \(String(describing: error))")
            }
            // The failure came from the status; no result was asked for.
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", "GET /queue/{owner}/{alias}/requests/{id}") == 0)
        }
    }

    @Test func everyCancelAnswer() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            let submitted = try await fal.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
            #expect(try await fal.cancelRequest(submitted.handle) == .cancellationRequested)
            #expect(try await fal.request(submitted.handle).status == .canceled)
            #expect(try await fal.cancelRequest(submitted.handle) == .alreadyCompleted)
            let unknown = try fal.handle(app: .beatovenMusicGeneration, requestID: UUID().uuidString.lowercased())
            #expect(try await fal.cancelRequest(unknown) == .notFound)
            let result = await mediaError { try await fal.result(of: submitted.handle) }
            #expect(result?.kind == .canceled)
        }
    }

    @Test func abandoningASubscriptionCancelsTheRequestOnFal() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator, headers: ["X-Emulator-Script": "IN_QUEUE*5000,COMPLETED"])
            let (ids, continuation) = AsyncStream<String>.makeStream()
            let subscription = Task {
                try await fal.run(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz")) { update in
                    continuation.yield(update.requestID)
                }
            }
            var updates = ids.makeAsyncIterator()
            let id = try #require(await updates.next())
            _ = await updates.next()  // a status answer: the subscription is polling
            subscription.cancel()
            let outcome = await subscription.result
            #expect(throws: CancellationError.self) { try outcome.get() }

            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.cancelRoute) == 1)
            #expect(try await emulator.task("fal", id)["status"] == "CANCELLED")
        }
    }

    @Test func aSubscriptionAbandonedWithTheOptOutLeavesTheRequestRunning() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator, headers: ["X-Emulator-Script": "IN_QUEUE*5000,COMPLETED"])
            let (ids, continuation) = AsyncStream<String>.makeStream()
            let subscription = Task {
                try await fal.run(
                    .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), cancelsOnAbandon: false
                ) { update in continuation.yield(update.requestID) }
            }
            var updates = ids.makeAsyncIterator()
            let id = try #require(await updates.next())
            _ = await updates.next()
            subscription.cancel()
            _ = await subscription.result
            #expect(try await emulator.stats().requests("fal", Self.cancelRoute) == 0)
            #expect(try await emulator.task("fal", id)["status"] == "IN_QUEUE")
        }
    }

    // MARK: - Files

    @Test func aLargeFileIsUploadedToTheCDNWithItsTokenNotTheKeyAndServedBack() async throws {
        try await Emulator.run { emulator in
            let recorder = RecordingMiddleware()
            let fal = client(emulator, middleware: [recorder])
            let directory = temporaryDirectory()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("reference.wav")
            var bytes = Data(repeating: 0x5A, count: 3 << 20)
            bytes.replaceSubrange(0..<4, with: Data("RIFF".utf8))
            try bytes.write(to: file)

            let url = try await fal.fileURL(for: .file(file))
            let (token, post) = (recorder.requests.current[0], recorder.requests.current[1])
            #expect(token.headers["Authorization"] == "Key \(Emulator.falKey)")
            #expect(post.url.path.hasSuffix("/fal/cdn/files/upload"))
            #expect(post.headers["Authorization"]?.hasPrefix("Bearer ") == true)
            #expect(post.body == .file(file))

            let back = try await RemoteFile(url: url).download(
                to: directory.appendingPathComponent("back.wav"), configuration: fal.configuration)
            #expect(try Data(contentsOf: back) == bytes)

            let sent = recorder.requests.current.count
            let small = try await fal.fileURL(for: .data(Data("hello".utf8), fileName: "note.txt"))
            #expect(small.absoluteString == "data:text/plain;base64,aGVsbG8=")
            #expect(recorder.requests.current.count == sent)
        }
    }

    // MARK: - Webhooks

    @Test(.enabled(if: PythonEd25519Verifier.isAvailable, "python3 is not installed"))
    func aDeliveredWebhookVerifiesWithARealEd25519AndKeepsAPlusInItsURL() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            var components = try #require(
                URLComponents(url: emulator.inboxURL("fal"), resolvingAgainstBaseURL: false))
            components.percentEncodedQuery = "tag=a+b"
            let webhook = try #require(components.url)
            let submitted = try await fal.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz", duration: .seconds(5)),
                webhookURL: webhook)

            let delivery = try #require(try await emulator.inbox("fal").first)
            let keys = try await fal.webhookKeys()
            let verifier = PythonEd25519Verifier()
            let verified = try await PythonEd25519Verifier.verifyOffPool {
                try FalWebhook.event(body: delivery.body, headers: delivery.headers, keys: keys, verifier: verifier)
            }
            #expect(verified.requestID == submitted.requestID)
            #expect(verified.status == .succeeded)
            #expect(try verified.payload(as: BeatovenOutput.self).audio.contentType == "audio/wav")
            #expect(verifier.checked.current.count == 1)

            // A forged copy fails the same independent check.
            var changed = delivery.headers
            changed[FalWebhook.requestIDHeader] = "someone-else"
            let forgedHeaders = changed
            let forged = try await PythonEd25519Verifier.verifyOffPool { () -> MediaGenError? in
                do {
                    _ = try FalWebhook.event(
                        body: delivery.body, headers: forgedHeaders, keys: keys, verifier: verifier)
                    return nil
                } catch let error as MediaGenError {
                    return error
                }
            }
            #expect(forged?.kind == .invalidSignature)

            // With no verifier passed, the platform's (MediaGenKit's own on Linux) agrees on both.
            let builtIn = try FalWebhook.event(body: delivery.body, headers: delivery.headers, keys: keys)
            #expect(builtIn.requestID == submitted.requestID)
            let forgedBuiltIn = #expect(throws: MediaGenError.self) {
                try FalWebhook.verify(body: delivery.body, headers: forgedHeaders, keys: keys)
            }
            #expect(forgedBuiltIn?.kind == .invalidSignature)

            // fal_webhook was fully encoded: the emulator decoded it once and delivered to `a+b`.
            let deliveries = try await emulator.webhookLog()
            #expect(deliveries.first?["url"]?.stringValue?.hasSuffix("/_emulator/inbox/fal?tag=a+b") == true)
        }
    }

    @Test(.enabled(if: PythonEd25519Verifier.isAvailable, "python3 is not installed"))
    func aFailedRequestsWebhookIsAnErrorDelivery() async throws {
        try await Emulator.run { emulator in
            // On a timeline the request fails by itself, and fal reports it to the webhook.
            let fal = client(emulator, headers: ["X-Emulator-Timeline": "IN_PROGRESS@0,COMPLETED_ERROR@50"])
            _ = try await fal.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), webhookURL: emulator.inboxURL("err"))
            let delivery = try #require(try await emulator.inbox("err").first)
            let keys = try await fal.webhookKeys()
            let verified = try await PythonEd25519Verifier.verifyOffPool {
                try FalWebhook.event(
                    body: delivery.body, headers: delivery.headers, keys: keys, verifier: PythonEd25519Verifier())
            }
            #expect(verified.rawStatus == "ERROR")
            #expect(
                verified.status
                    == .failed(TaskFailure(code: "runner_server_error", message: "Invalid status code: 500")))
        }
    }

    @Test func theKeySetIsFetchedWithoutCredentialsAndCachedAcrossDeliveries() async throws {
        try await Emulator.run { emulator in
            let recorder = RecordingMiddleware()
            let fal = client(emulator, middleware: [recorder])
            let keys = try await fal.webhookKeys()
            #expect(keys.ed25519PublicKeys.count == 1)
            #expect(recorder.requests.current.first?.headers["Authorization"] == nil)
            #expect(
                recorder.requests.current.first?.url.absoluteString
                    == emulator.falRestURL.appendingPathComponent(".well-known/jwks.json").absoluteString)
        }
    }

    // MARK: - Faults

    @Test(arguments: ["502", "503", "504", "non-json;status=502", "429;retry_after=1"])
    func anIngressErrorOnSubmitIsRetriedAndCreatesExactlyOnce(fault: String) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule(fault, provider: "fal", method: "POST")])
            let request = try await client(emulator).generateMusic(MusicRequest(prompt: "jazz"))
            #expect(!request.requestID.isEmpty)
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.submitRoute) == 2)
            #expect(stats.tasksCreated("fal") == 1)
        }
    }

    @Test(arguments: [
        "500", "502;fal_request_id=1", "503;fal_request_id=1", "504;fal_request_id=1", "drop-after", "truncate",
        "non-json;status=500",
    ])
    func aSubmitThatMayHaveRunIsNeverSentTwice(fault: String) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule(fault, count: 5, provider: "fal", method: "POST")])
            let error = await mediaError { try await client(emulator).generateMusic(MusicRequest(prompt: "jazz")) }
            #expect(error?.kind == .outcomeUnknown, "\(fault): \(String(describing: error))")
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.submitRoute) == 1)
            #expect(stats.tasksCreated("fal") <= 1)
        }
    }

    @Test func aUserTimeoutIsNeverRetried() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule("504;timeout_type=user", count: 3, provider: "fal")])
            let fal = client(emulator)
            let error = await mediaError {
                try await fal.createRequest(
                    .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), startTimeout: .seconds(2))
            }
            #expect(error?.kind == .timeout)
            let status = await mediaError {
                try await fal.request(try fal.handle(app: .beatovenMusicGeneration, requestID: "r-1"))
            }
            #expect(status?.kind == .timeout)
            let stats = try await emulator.stats()
            #expect(stats.faultsInjected("fal") == 2)
        }
    }

    @Test(arguments: ["500", "502", "503", "504", "drop-before", "drop-after", "truncate", "429;retry_after=1"])
    func pollsRecoverFromEachFault(fault: String) async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            let submitted = try await fal.generateMusic(MusicRequest(prompt: "jazz", duration: .seconds(5)))
            try await emulator.injectFaults([FaultRule(fault, count: 2, provider: "fal", method: "GET")])
            let done = try await fal.wait(for: submitted)
            #expect(done.status == .succeeded)
            #expect(try await emulator.stats().tasksCreated("fal") == 1)
        }
    }

    @Test func aWrongKeyIsRefusedWithoutLeakingIt() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator, key: "wrong-id:wrong-secret-42")
            let error = await mediaError {
                try await fal.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
            }
            #expect(error?.kind == .authentication)
            #expect(error?.providerCode == "unauthorized")
            let text = error.map(String.init(describing:)) ?? ""
            #expect(!text.contains("wrong-secret-42"))
        }
    }
}
