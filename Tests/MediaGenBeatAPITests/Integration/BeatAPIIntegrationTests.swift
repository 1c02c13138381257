import EmulatorSupport
import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// The BeatAPI client against the emulator over real HTTP: the lifecycle, stop states, files,
/// webhooks, and each fault on the paid create.
@Suite(
    "BeatAPI over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct BeatAPIIntegrationTests {
    func temporaryDirectory() -> URL {
        URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true).appendingPathComponent(
            "beatapi-\(UUID().uuidString)/")
    }

    // MARK: - Lifecycle

    @Test func aMusicVideoRunsFromQueuedToSucceededAndSettlesItsDollars() async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI()
            let seen = Locked<[String]>([])
            let done = try await beatAPI.run(Sample.seedInput) { task in seen.withLock { $0.append(task.rawStatus) } }
            #expect(seen.current == ["queued", "processing", "succeeded"])
            #expect(done.workflow == .musicVideo)
            #expect(done.outputs.count == 1)
            #expect(done.outputs.first?.contentType == "video/mp4")
            #expect(done.usage?.creditsReserved == EmulatorPrice.musicVideo)
            #expect(done.usage?.creditsSettled == EmulatorPrice.musicVideo)
            #expect(done.completedAt != nil)

            let usage = try await beatAPI.usage()
            #expect(usage.creditBalance == EmulatorPrice.balanceAfterOneMusicVideo)
            #expect(usage.concurrency?.active == 0)
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("beatapi") == 1)
            #expect(stats.counter("beatapi", "usd_cents_charged") == 450)
        }
    }

    @Test(.enabled(if: FFmpeg.isInstalled, "ffmpeg is not installed: the emulator serves no MP4"))
    func theFinishedVideoDownloads() async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI()
            let done = try await beatAPI.run(Sample.seedInput)
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let saved = try await #require(done.outputs.first).download(
                to: directory, configuration: beatAPI.configuration)
            let data = try Data(contentsOf: saved)
            #expect(data.dropFirst(4).prefix(4) == Data("ftyp".utf8))
        }
    }

    @Test(arguments: ["storyboard_ready", "requires_action"])
    func aStopStateEndsTheWaitWithCreditsSettled(state: String) async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI(headers: ["X-Emulator-Script": "queued,\(state),succeeded"])
            let stopped = try await beatAPI.run(Sample.seedInput)
            #expect(stopped.status == .awaitingAction(state))
            #expect(stopped.usage?.creditsSettled == EmulatorPrice.musicVideo)
            let record = try await emulator.task("beatapi", stopped.id)
            #expect(record["polls"]?.intValue == 1)
        }
    }

    @Test func aFailedTaskThrowsAndIsRefunded() async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI(headers: ["X-Emulator-Script": "queued,failed"])
            let created = try await beatAPI.createTask(Sample.seedInput)
            let error = await mediaError { try await beatAPI.wait(for: created) }
            guard let failure = error?.kind.failure else {
                Issue.record("expected taskFailed, got \(String(describing: error))")
                return
            }
            #expect(failure.code == "processing_failed")
            #expect(error?.taskID == created.id)
            let refunded = try await beatAPI.task(id: created.id)
            #expect(refunded.usage?.creditsRefunded == EmulatorPrice.musicVideo)
            #expect(try await emulator.stats().counter("beatapi", "usd_cents_refunded") == 450)
        }
    }

    @Test func anUnknownStatusIsFollowedAsRunning() async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI(headers: ["X-Emulator-Script": "queued,rendering_previews,succeeded"])
            let seen = Locked<[TaskStatus]>([])
            _ = try await beatAPI.run(Sample.seedInput) { task in seen.withLock { $0.append(task.status) } }
            #expect(seen.current == [.queued(position: nil), .running(progress: nil), .succeeded])
        }
    }

    @Test func anEcommerceVideoRuns() async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI()
            let created = try await beatAPI.createTask(Sample.ecommerce)
            #expect(created.workflow == .ecommerceVideo)
            #expect(created.usage?.creditsReserved == Money(Decimal(450) / 100, .usd))
            let done = try await beatAPI.wait(for: created)
            #expect(done.status == .succeeded)
        }
    }

    @Test func workflowsAndUsageAreListed() async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI()
            let workflows = try await beatAPI.listWorkflows()
            #expect(workflows.data.map(\.id) == [.musicVideo, .ecommerceVideo])
            #expect(Set(workflows.data.map(\.id.rawValue)) == Set(BeatAPICatalog.models.map(\.id)))
            _ = try await beatAPI.createTask(Sample.seedInput)
            let usage = try await beatAPI.usage()
            #expect(usage.concurrency?.active == 1)
            #expect(usage.concurrency?.limit == 10)
            #expect(usage.totalTasks == 1)
        }
    }

    // MARK: - Files

    @Test func localFilesAreUploadedAndTheirURLsUsed() async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI()
            let cover = try Sample.temporaryFile(named: "cover.png", bytes: 300_000)
            defer { try? FileManager.default.removeItem(at: cover.deletingLastPathComponent()) }
            let input = MusicVideoInput(
                images: [.file(cover), .url(Sample.image)],
                audio: .data(Data(repeating: 0x41, count: 4096), fileName: "song.mp3"),
                prompt: "Rainy city at night",
                language: .english)
            let done = try await beatAPI.run(input)
            #expect(done.status == .succeeded)
            let stats = try await emulator.stats()
            #expect(stats.requests("beatapi", "POST /v1/files") == 2)
            #expect(stats.tasksCreated("beatapi") == 1)
        }
    }

    @Test func anUploadedFilesURLIsAnInputOnlyWhereTheTestHostIsAllowed() async throws {
        try await Emulator.run { emulator in
            let cover = try Sample.temporaryFile(named: "cover.png")
            defer { try? FileManager.default.removeItem(at: cover.deletingLastPathComponent()) }
            let sent = Locked<TransferProgress?>(nil)
            let uploaded = try await emulator.beatAPI().upload(.file(cover)) { progress in
                sent.withLock { $0 = progress }
            }
            // The multipart body's bytes, from the socket: the file and its part headers.
            let last = try #require(sent.current)
            #expect(last.bytesTransferred == last.totalBytes)
            #expect(last.bytesTransferred > 2048)
            #expect(uploaded.mimeType == "image/png")
            #expect(uploaded.sizeBytes == 2048)
            #expect(uploaded.url.host == "127.0.0.1")
            let input = MusicVideoInput(
                imageURLs: [uploaded.url], audioURL: Sample.audio, prompt: "x", language: .english)

            let strict = await mediaError { try await emulator.beatAPI().createTask(input) }
            #expect(strict?.kind == .invalidRequest(field: "images", reason: strict?.message ?? ""))
            #expect(try await emulator.stats().requests("beatapi", "POST /v1/music-video/tasks") == 0)

            let created = try await emulator.beatAPI(allowedTestHosts: ["127.0.0.1"]).createTask(input)
            #expect(created.status == .queued(position: nil))
        }
    }

    // MARK: - Webhooks

    @Test func aDeliveryVerifiesWithTheSecretFromTheCreateAndDecodesIntoTheTask() async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI()
            let endpoint = try await beatAPI.createWebhookEndpoint(
                url: emulator.inboxURL("beatapi"), events: [.taskSucceeded, .taskFailed], description: "tests")
            let secret = try #require(endpoint.secret)
            #expect(secret.value.hasPrefix("whsec_"))

            let created = try await beatAPI.createTask(Sample.seedInput)
            let delivery = try #require(try await emulator.inbox("beatapi").first)
            #expect(delivery.headers[BeatAPIWebhook.eventHeader] == "task.succeeded")
            let event = try BeatAPIWebhook.event(body: delivery.body, headers: delivery.headers, secret: secret)
            #expect(event.type == .taskSucceeded)
            #expect(event.task.id == created.id)
            #expect(event.task.status == .succeeded)
            #expect(event.task.outputs.count == 1)
            #expect(event.id?.hasPrefix("evt_") == true)

            // The same bytes with one character changed, or another secret, do not verify.
            var forged = delivery.body
            forged[forged.startIndex] = UInt8(ascii: " ")
            #expect(throws: MediaGenError.self) {
                try BeatAPIWebhook.event(body: forged, headers: delivery.headers, secret: secret)
            }
            #expect(throws: MediaGenError.self) {
                try BeatAPIWebhook.event(
                    body: delivery.body, headers: delivery.headers, secret: BeatAPIWebhookSecret("whsec_wrong"))
            }
        }
    }

    @Test func webhookEndpointsAreListedFetchedUpdatedAndDeleted() async throws {
        try await Emulator.run { emulator in
            let beatAPI = emulator.beatAPI()
            let created = try await beatAPI.createWebhookEndpoint(url: emulator.inboxURL("crud"))
            let id = created.endpoint.id
            #expect(created.endpoint.events == [.taskSucceeded, .taskFailed])
            #expect(created.endpoint.status == .active)

            let listed = try await beatAPI.listWebhookEndpoints()
            #expect(listed.data.map(\.id) == [id])
            let fetched = try await beatAPI.webhookEndpoint(id: id)
            #expect(fetched.maskedSecret?.hasPrefix("whsec_****") == true)
            #expect(fetched.maskedSecret?.hasSuffix(String(created.secret?.value.suffix(4) ?? "")) == true)

            let updated = try await beatAPI.updateWebhookEndpoint(
                id: id, events: [.taskFailed], description: "failures only", status: .disabled)
            #expect(updated.status == .disabled)
            #expect(updated.events == [.taskFailed])
            #expect(updated.description == "failures only")

            let deleted = try await beatAPI.deleteWebhookEndpoint(id: id)
            #expect(deleted.deleted)
            let gone = await mediaError { try await beatAPI.webhookEndpoint(id: id) }
            #expect(gone?.kind == .notFound)
            #expect(gone?.requestID?.hasPrefix("req_") == true)
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
