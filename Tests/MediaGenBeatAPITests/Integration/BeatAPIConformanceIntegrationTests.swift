import EmulatorSupport
import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// BeatAPI's published description over real HTTP: US-dollar money a `Budget` can guard, the
/// music-video tiers, the seed's credit-era shape behind the emulator's switch, and creates that
/// BeatAPI does not de-duplicate never sent twice.
@Suite(
    "BeatAPI's published description over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct BeatAPIConformanceIntegrationTests {
    static let face = URL(string: "https://cdn.example.com/face.png")!

    static func premium(_ mode: BeatAPIMusicVideoMode, images: Int, faces: Int) -> MusicVideoInput {
        var input = MusicVideoInput(
            imageURLs: Array(repeating: Sample.image, count: images), audioURL: Sample.audio)
        input.tier = .premium
        input.premiumMode = mode
        input.lipReferences = Array(repeating: .url(face), count: faces)
        return input
    }

    /// (name, input, the emulator's charge in cents for the 90 s it bills when it cannot measure).
    static let tiers: [(String, MusicVideoInput, Int)] = [
        (
            "standard without prompt or language", MusicVideoInput(imageURLs: [Sample.image], audioURL: Sample.audio),
            450
        ),
        (
            "standard, high quality, lip sync at 1080p",
            {
                var input = Sample.seedInput
                (input.quality, input.resolution, input.lipSync, input.lipReference) = (.high, .p1080, true, .url(face))
                input.composeMode = .manual
                return input
            }(), 90 * 20
        ),
        ("premium sing", premium(.sing, images: 0, faces: 2), 90 * 20),
        ("premium dance", premium(.dance, images: 6, faces: 0), 90 * 20),
    ]

    @Test(arguments: tiers)
    func eachTierIsAcceptedAndReservesUSD(name: String, input: MusicVideoInput, cents: Int) async throws {
        try await Emulator.run { emulator in
            let task = try await emulator.beatAPI().createTask(input)
            let reserved = Money(Decimal(cents) / 100, .usd)
            #expect(task.usage?.currency == .usd)
            #expect(task.usage?.creditsReserved == reserved)
            #expect(task.usage?.creditsCharged == reserved)
            #expect(task.usage?.billableDurationSeconds == 90)
            #expect(try await emulator.stats().counter("beatapi", "usd_cents_charged") == cents)
        }
    }

    /// Inputs the emulator, speaking the description, would refuse: the client refuses them first.
    static let refused: [(String, MusicVideoInput)] = [
        (
            "resolution",
            {
                var input = Sample.seedInput
                (input.resolution, input.quality) = (.p540, .high)
                return input
            }()
        ),
        (
            "lip_ref_url",
            {
                var input = Sample.seedInput
                input.lipSync = true
                return input
            }()
        ),
        ("lip_ref_urls", premium(.sing, images: 0, faces: 0)),
        ("images", premium(.perform, images: 5, faces: 0)),
    ]

    @Test(arguments: refused)
    func aBrokenTierRuleNeverReachesBeatAPI(field: String, input: MusicVideoInput) async throws {
        try await Emulator.run { emulator in
            let error = await mediaError { try await emulator.beatAPI().createTask(input) }
            let sent = try await emulator.stats().requests("beatapi", "POST /v1/music-video/tasks")
            #expect(error?.kind.field == field)
            #expect(sent == 0)
        }
    }

    /// A silent 16-bit mono PCM WAV of `seconds`, which the emulator measures as BeatAPI does.
    static func wav(seconds: Int, rate: Int = 8000) -> Data {
        let samples = Data(count: seconds * rate * 2)
        func le32(_ value: Int) -> Data { withUnsafeBytes(of: UInt32(value).littleEndian) { Data($0) } }
        func le16(_ value: Int) -> Data { withUnsafeBytes(of: UInt16(value).littleEndian) { Data($0) } }
        return Data("RIFF".utf8) + le32(36 + samples.count) + Data("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(1)
            + le32(rate) + le32(rate * 2) + le16(2) + le16(16) + Data("data".utf8) + le32(samples.count) + samples
    }

    @Test func aSongBeatAPIMeasuresTooShortForTheTierIsNotSentToTheCreate() async throws {
        try await Emulator.run { emulator in
            let input = MusicVideoInput(
                images: [.url(Sample.image)], audio: .data(Self.wav(seconds: 3), fileName: "song.wav"))
            let error = await mediaError {
                try await emulator.beatAPI(allowedTestHosts: ["127.0.0.1"]).createTask(input)
            }
            let stats = try await emulator.stats()
            #expect(error?.kind.field == "audio_url")
            #expect(stats.requests("beatapi", "POST /v1/files") == 1)
            #expect(stats.requests("beatapi", "POST /v1/music-video/tasks") == 0)
        }
    }

    @Test func aUSDBudgetGuardsEcommerceVideosAndTheUsageIsInDollars() async throws {
        try await Emulator.run { emulator in
            let budget = Budget(limit: .usd(5))
            let beatAPI = BeatAPIClient(
                apiKey: Emulator.beatAPIKey,
                configuration: ClientConfiguration(
                    baseURL: emulator.beatAPIBaseURL, budget: budget, transport: URLSessionTransport()))
            let task = try await beatAPI.createTask(Sample.ecommerce)
            let fourFifty = Money(Decimal(450) / 100, .usd)
            #expect(task.usage?.creditsReserved == fourFifty)
            #expect(await budget.spent == fourFifty)

            let refused = await mediaError { try await beatAPI.createTask(Sample.ecommerce) }
            #expect(refused?.kind == .budgetExceeded(estimate: fourFifty, remaining: Money(Decimal(50) / 100, .usd)))
            #expect(try await emulator.stats().requests("beatapi", "POST /v1/ecommerce-video/tasks") == 1)

            let usage = try await beatAPI.usage()
            #expect(usage.currency == .usd)
            #expect(usage.creditBalance == Money(Decimal(100_000 * 100 - 450) / 100, .usd))
        }
    }

    @Test func theSeedsCreditEraShapeStillDecodesAndSaysItIsInCredits() async throws {
        try await Emulator.run(arguments: ["--beatapi-units", "credits"]) { emulator in
            let beatAPI = emulator.beatAPI()
            let task = try await beatAPI.createTask(Sample.seedInput)
            #expect(task.usage?.currency == .beatAPICredits)
            #expect(task.usage?.creditsReserved == Money(450, .beatAPICredits))
            #expect(task.usage?.creditsCharged == nil)
            let usage = try await beatAPI.usage()
            #expect(usage.currency == .beatAPICredits)
            #expect(usage.creditBalance == Money(100_000 - 450, .beatAPICredits))
        }
    }

    @Test func aStoryboardIsMaterializedEditedAndComposedWithTheComposeCountedByTheBudget() async throws {
        try await Emulator.run { emulator in
            // The music video and the edit have no published price: allowed through uncounted.
            let budget = Budget(limit: .usd(10), unknownPrices: .allow)
            let beatAPI = BeatAPIClient(
                apiKey: Emulator.beatAPIKey,
                configuration: ClientConfiguration(
                    baseURL: emulator.beatAPIBaseURL, budget: budget, transport: URLSessionTransport(),
                    clock: ImmediateClock(), additionalHeaders: ["X-Emulator-Script": "queued,requires_action"]))
            var input = Sample.seedInput
            input.composeMode = .manual
            let stopped = try await beatAPI.run(input)
            #expect(stopped.status == .awaitingAction("requires_action"))
            let shots = try #require(stopped.storyboard?.shots)
            #expect(shots.map(\.index) == [0, 1, 2])

            let media = try await beatAPI.shotMedia(taskID: stopped.id, shotID: shots[0].id)
            #expect(media.shotID == shots[0].id)
            #expect(media.media?.contentType == "video/mp4")

            let editing = try await beatAPI.editShot(taskID: stopped.id, shotID: shots[1].id, prompt: "Brighter light")
            #expect(editing.taskStatus == .editing)
            let edited = try await beatAPI.wait(for: editing)
            #expect(edited.status == .awaitingAction("requires_action"))
            #expect(edited.storyboard?.shots[1].media != nil)

            let composing = try await beatAPI.compose(taskID: stopped.id, shotIDs: shots.map(\.id))
            #expect(composing.taskStatus == .composing)
            let video = try await beatAPI.wait(for: composing)
            #expect(video.status == .succeeded)
            #expect(video.outputs.count == 1)
            #expect(await budget.spent == .usd(1))
            // $4.50 for the video, 5 s at 5 cents for the edit, $1 for the compose.
            #expect(video.usage?.creditsCharged == Money(Decimal(575) / 100, .usd))
            let sent = try await emulator.stats().counter("beatapi", "usd_cents_charged")
            #expect(sent == 575)
        }
    }

    @Test(arguments: ["POST /v1/files", "POST /v1/webhooks"])
    func aCreateBeatAPIDoesNotDeduplicateIsNotSentAgainAfterItMayHaveArrived(route: String) async throws {
        try await Emulator.run { emulator in
            let path = String(route.dropFirst("POST ".count))
            try await emulator.injectFaults([FaultRule("drop-after", provider: "beatapi", method: "POST", path: path)])
            let beatAPI = emulator.beatAPI()
            let error = await mediaError {
                if path == "/v1/files" {
                    _ = try await beatAPI.upload(.data(Data("PNG".utf8), fileName: "cover.png"))
                } else {
                    _ = try await beatAPI.createWebhookEndpoint(url: emulator.inboxURL("once"))
                }
            }
            #expect(error?.kind == .outcomeUnknown)
            #expect(try await emulator.stats().requests("beatapi", route) == 1)
        }
    }
}
