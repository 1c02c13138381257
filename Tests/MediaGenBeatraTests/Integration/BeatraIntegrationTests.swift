import EmulatorSupport
import Foundation
import MediaGenBeatra
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// The Beatra client against the emulator over real HTTP: the lifecycle, idempotent creates under
/// faults, uploads, reference audio, listing, cancel and the wallet.
@Suite(
    "Beatra over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct BeatraIntegrationTests {
    func client(
        _ emulator: Emulator,
        clock: ImmediateClock = ImmediateClock(),
        budget: Budget? = nil,
        headers: HTTPHeaders = [:]
    ) -> BeatraClient {
        BeatraClient(
            apiKey: Emulator.beatraKey,
            baseURL: emulator.beatraBaseURL,
            configuration: ClientConfiguration(
                timeout: .seconds(30),
                budget: budget,
                transport: URLSessionTransport(),
                clock: clock,
                additionalHeaders: headers
            ),
            environment: [:]
        )
    }

    func temporaryDirectory() -> URL {
        URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true).appendingPathComponent(
            "beatra-\(UUID().uuidString)/")
    }

    static let wavSize = 44 + 10 * 44_100 * 4

    @Test func theSeedsRequestRunsToTwoDownloadedClips() async throws {
        try await Emulator.run { emulator in
            let beatra = client(emulator)
            let seen = Locked<[String]>([])
            let task = try await beatra.run(seedRequest) { update in
                seen.withLock { $0.append("\(update.rawStatus) \(update.progress?.percent ?? -1)") }
            }
            #expect(seen.current == ["queued -1.0", "running 50.0", "succeeded 100.0"])
            #expect(task.clips.count == 2)
            #expect(task.clips.allSatisfy { $0.artifactID?.hasPrefix("artifact_") == true })
            #expect(task.billing?.charged == Money(80, BeatraCatalog.credits))
            #expect(task.billing?.chargedUSDReference == .usd(cents: 8))
            #expect(task.requestID?.hasPrefix("req_") == true)

            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            var saved: [URL] = []
            for file in task.outputs {
                saved.append(try await file.download(to: directory, configuration: beatra.configuration))
            }
            #expect(Set(saved.map(\.lastPathComponent)).count == 2)
            for url in saved {
                let data = try Data(contentsOf: url)
                #expect(data.prefix(4) == Data("RIFF".utf8))
                #expect(data.count == Self.wavSize)
            }
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("beatra") == 1)
            #expect(stats.creditsCharged("beatra") == 80)
        }
    }

    @Test func minimaxRunsToOneClipFor50Credits() async throws {
        try await Emulator.run { emulator in
            let task = try await client(emulator).run(
                BeatraMusicRequest(
                    model: .minimaxMusic26, prompt: "lo-fi piano", title: "Study", metadata: ["run": 1],
                    modelOptions: ["mood": "calm"]))
            #expect(task.clips.count == 1)
            #expect(task.title == "Study")
            #expect(task.metadata == ["run": 1])
            #expect(try await emulator.stats().creditsCharged("beatra") == 50)
        }
    }

    // MARK: - Idempotent creates

    @Test(arguments: [(BeatraModelID.suno55, 80), (.minimaxMusic26, 50)])
    func aCreateWhoseAnswerIsLostIsRetriedIntoExactlyOneTaskAndOneDebit(model: BeatraModelID, credits: Int)
        async throws
    {
        try await Emulator.run { emulator in
            // The task is created and the credits taken, then the connection closes with no answer.
            try await emulator.injectFaults([
                FaultRule("drop-after", provider: "beatra", method: "POST", path: "/v1/music")
            ])
            let beatra = client(emulator)
            let created = try await beatra.createTask(BeatraMusicRequest(model: model, prompt: "dream pop"))
            #expect(created.id.hasPrefix("task_"))

            let stats = try await emulator.stats()
            #expect(stats.requests("beatra", "POST /v1/music/text-to-music") == 2)
            #expect(stats.faultsInjected("beatra") == 1)
            #expect(stats.tasksCreated("beatra") == 1)
            #expect(stats.creditsCharged("beatra") == credits)
            // The id the caller got is the task that was created.
            let done = try await beatra.wait(for: created)
            #expect(done.id == created.id)
            #expect(done.status == .succeeded)
        }
    }

    @Test(arguments: ["500", "502", "503;retry_after=1", "504", "429;retry_after=2", "drop-after", "truncate"])
    func aRetryableFailureOnACreateStillMakesOneTask(fault: String) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule(fault, count: 2, provider: "beatra", method: "POST")])
            let task = try await client(emulator).createTask(seedRequest)
            let stats = try await emulator.stats()
            #expect(stats.requests("beatra", "POST /v1/music/text-to-music") == 3, "\(fault)")
            #expect(stats.tasksCreated("beatra") == 1, "\(fault)")
            #expect(stats.creditsCharged("beatra") == 80, "\(fault)")
            #expect(try await client(emulator).task(id: task.id).id == task.id)
        }
    }

    @Test func anErrorMarkedNotRetryableIsNotRetried() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule("503;retryable=false", provider: "beatra", method: "POST")
            ])
            let error = await mediaError { try await client(emulator).createTask(seedRequest) }
            #expect(error?.kind == .server)
            #expect(error?.providerCode == "service_unavailable")
            #expect(error?.requestID?.hasPrefix("req_") == true)
            #expect(error?.idempotencyKey?.isUUID == true)
            #expect(try await emulator.stats().requests("beatra", "POST /v1/music/text-to-music") == 1)
        }
    }

    @Test func theSameKeyAndBodyGiveBackTheFirstTask() async throws {
        try await Emulator.run { emulator in
            let beatra = client(emulator)
            let first = try await beatra.createTask(seedRequest, idempotencyKey: "campaign-7-track-1")
            let again = try await beatra.createTask(seedRequest, idempotencyKey: "campaign-7-track-1")
            #expect(again.id == first.id)
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("beatra") == 1)
            #expect(stats.creditsCharged("beatra") == 80)
        }
    }

    @Test func aKeyReusedWithAnotherBodyIsAClearConflict() async throws {
        try await Emulator.run { emulator in
            let beatra = client(emulator)
            _ = try await beatra.createTask(seedRequest, idempotencyKey: "campaign-7-track-1")
            var other = seedRequest
            other.prompt = "a different song"
            let error = try #require(
                await mediaError { try await beatra.createTask(other, idempotencyKey: "campaign-7-track-1") })
            #expect(error.kind == .conflict)
            #expect(error.httpStatus == 409)
            #expect(error.providerCode == "idempotency_conflict")
            #expect(error.idempotencyKey == "campaign-7-track-1")
            #expect(error.description.contains("the Idempotency-Key campaign-7-track-1 was already used"))
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("beatra") == 1)
            #expect(stats.creditsCharged("beatra") == 80)
        }
    }

    // MARK: - Reference audio

    @Test func aLocalReferenceIsUploadedFromDiskThenUsedByArtifact() async throws {
        try await Emulator.run { emulator in
            let directory = temporaryDirectory()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("reference.mp3")
            let audio = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            try audio.write(to: file)

            let beatra = client(emulator)
            let request = BeatraMusicRequest(model: .suno55, prompt: "turn this into polished synth pop")
            let task = try await beatra.run(request, referenceAudio: .file(.file(file)))
            #expect(task.type == "reference-audio-to-music")
            #expect(task.clips.count == 2)

            let sent = Locked<[TransferProgress]>([])
            let artifact = try await beatra.upload(.file(file)) { progress in sent.withLock { $0.append(progress) } }
            // The multipart body's bytes, from the socket: the file and its part headers.
            let last = try #require(sent.current.last)
            #expect(last.bytesTransferred == last.totalBytes)
            #expect(last.bytesTransferred > Int64(audio.count))
            #expect(artifact.id.hasPrefix("artifact_"))
            #expect(artifact.byteCount == Int64(audio.count))
            #expect(artifact.contentType == "audio/mpeg")
            let stored = try #require(artifact.url)
            let copy = try await URLSessionTransport().send(HTTPRequest(method: .get, url: stored))
            #expect(copy.body == audio)
            let stats = try await emulator.stats()
            #expect(stats.requests("beatra", "POST /v1/uploads") == 2)
            #expect(stats.tasksCreated("beatra") == 1)
        }
    }

    @Test(arguments: [ReferenceAudio.URLForm.string, .object])
    func anExternalHTTPSReferenceIsAcceptedInEitherForm(form: ReferenceAudio.URLForm) async throws {
        try await Emulator.run { emulator in
            let url = try #require(URL(string: "https://cdn.example.com/reference.mp3"))
            let task = try await client(emulator).run(
                BeatraMusicRequest(model: .minimaxMusic26, prompt: "remix"), referenceAudio: .url(url, form: form))
            #expect(task.status == .succeeded)
            #expect(try await emulator.stats().requests("beatra", "POST /v1/uploads") == 0)
        }
    }

    @Test func aClipOfAnEarlierTaskCanBeTheNextReference() async throws {
        try await Emulator.run { emulator in
            let beatra = client(emulator)
            let first = try await beatra.run(BeatraMusicRequest(model: .minimaxMusic26, prompt: "a hook"))
            let artifact = try #require(first.clips.first?.artifactID)
            let second = try await beatra.run(
                BeatraMusicRequest(model: .suno55, prompt: "extend the hook"), referenceAudio: .artifact(id: artifact))
            #expect(second.clips.count == 2)
        }
    }

    @Test func anUnknownArtifactIsRefusedNamingTheParam() async throws {
        try await Emulator.run { emulator in
            let error = await mediaError {
                try await client(emulator).createTask(
                    seedRequest, referenceAudio: .artifact(id: "artifact_01JNOPE"))
            }
            #expect(error?.kind.field == "reference_audio.artifact_id")
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("beatra") == 0)
        }
    }

    // MARK: - Tasks and the wallet

    @Test func cancelRefundsTheTaskAndASecondCancelIsAConflict() async throws {
        try await Emulator.run { emulator in
            let beatra = client(emulator)
            let created = try await beatra.createTask(BeatraMusicRequest(model: .minimaxMusic26, prompt: "x"))
            let canceled = try await beatra.cancelTask(id: created.id)
            #expect(canceled.status == .canceled)
            #expect(canceled.billing?.refunded == Money(50, BeatraCatalog.credits))
            #expect(canceled.billing?.refundedUSDReference == .usd(cents: 5))
            #expect(canceled.billing?.net == Money(0, BeatraCatalog.credits))
            let again = await mediaError { try await beatra.cancelTask(id: created.id) }
            #expect(again?.kind == .conflict)
            #expect(again?.providerCode == "task_not_cancelable")
            #expect(try await emulator.stats().creditsRefunded("beatra") == 50)
        }
    }

    @Test func aFailedTaskReportsItsErrorAndRefund() async throws {
        try await Emulator.run { emulator in
            let beatra = client(emulator, headers: ["X-Emulator-Script": "queued,running,failed"])
            let created = try await beatra.createTask(seedRequest)
            let error = await mediaError { try await beatra.wait(for: created) }
            guard let failure = error?.kind.failure else {
                Issue.record("expected a failed task, got \(String(describing: error))")
                return
            }
            #expect(failure.code == "generation_failed")
            #expect(failure.retryable == true)
            let task = try await beatra.task(id: created.id)
            #expect(task.billing?.refunded == Money(80, BeatraCatalog.credits))
            #expect(try await emulator.stats().creditsRefunded("beatra") == 80)
        }
    }

    @Test func listingPagesNewestFirstWithTheAfterCursor() async throws {
        try await Emulator.run { emulator in
            let beatra = client(emulator)
            var created: [String] = []
            for prompt in ["one", "two", "three"] {
                created.append(
                    try await beatra.createTask(BeatraMusicRequest(model: .minimaxMusic26, prompt: prompt)).id)
            }
            var pages: [[String]] = []
            for try await page in beatra.taskPages(limit: 2) { pages.append(page.data.map(\.id)) }
            #expect(pages == [[created[2], created[1]], [created[0]]])
            var all: [String] = []
            for try await task in beatra.tasks() { all.append(task.id) }
            #expect(all == created.reversed())
            // Listing is not polling: the tasks did not move.
            #expect(try await emulator.stats().counter("beatra", "polls") == 0)
        }
    }

    @Test func anEmptyWalletRefusesWithInsufficientCredits() async throws {
        try await Emulator.run(arguments: ["--beatra-credits", "60"]) { emulator in
            let beatra = client(emulator)
            let error = await mediaError { try await beatra.createTask(seedRequest) }
            #expect(error?.kind == .insufficientCredits)
            #expect(error?.httpStatus == 402)
            _ = try await beatra.createTask(BeatraMusicRequest(model: .minimaxMusic26, prompt: "x"))
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("beatra") == 1)
            #expect(stats.creditsCharged("beatra") == 50)
        }
    }

    @Test func theBudgetRefusesBeforeAnyRequest() async throws {
        try await Emulator.run { emulator in
            let beatra = client(emulator, budget: Budget(limit: .usd(cents: 5)))
            let error = await mediaError { try await beatra.generateMusic(MusicRequest(prompt: "jazz")) }
            #expect(
                error?.kind == .budgetExceeded(estimate: Money(80, BeatraCatalog.credits), remaining: .usd(cents: 5)))
            let stats = try await emulator.stats()
            #expect(stats.requests("beatra", "POST /v1/music/text-to-music") == 0)
        }
    }

    @Test func anUnknownModelIsRefusedByTheServerNamingTheParam() async throws {
        try await Emulator.run { emulator in
            let error = await mediaError {
                try await client(emulator).createTask(
                    BeatraMusicRequest(model: BeatraModelID(rawValue: "suno-6"), prompt: "x"))
            }
            #expect(error?.kind.field == "model")
            #expect(error?.httpStatus == 400)
        }
    }

    @Test(arguments: ["500", "503", "drop-before", "drop-after", "truncate", "429;retry_after=1"])
    func pollsRecoverFromEachFault(fault: String) async throws {
        try await Emulator.run { emulator in
            let beatra = client(emulator)
            let created = try await beatra.createTask(seedRequest)
            try await emulator.injectFaults([FaultRule(fault, count: 2, provider: "beatra", method: "GET")])
            let done = try await beatra.wait(for: created)
            #expect(done.status == .succeeded)
            #expect(try await emulator.stats().tasksCreated("beatra") == 1)
        }
    }

    @Test func theEnvironmentSuppliesKeyAndBaseURL() async throws {
        try await Emulator.run { emulator in
            let beatra = BeatraClient(
                configuration: ClientConfiguration(transport: URLSessionTransport(), clock: ImmediateClock()),
                environment: [
                    "BEATRA_API_KEY": Emulator.beatraKey, "BEATRA_BASE_URL": emulator.beatraBaseURL.absoluteString,
                ]
            )
            let task = try await beatra.generateMusic(MusicRequest(prompt: "jazz", instrumental: true))
            #expect(try await beatra.wait(for: task).status == .succeeded)
        }
    }

    @Test func aWrongKeyIsRefusedWithoutLeakingIt() async throws {
        try await Emulator.run { emulator in
            let beatra = BeatraClient(
                apiKey: "bk-not-the-right-key-42", baseURL: emulator.beatraBaseURL,
                configuration: ClientConfiguration(transport: URLSessionTransport()), environment: [:])
            let error = await mediaError { try await beatra.taskPage() }
            #expect(error?.kind == .authentication)
            #expect(error?.requestID?.hasPrefix("req_") == true)
            #expect(error.map(String.init(describing:))?.contains("bk-not-the-right-key-42") == false)
        }
    }
}
