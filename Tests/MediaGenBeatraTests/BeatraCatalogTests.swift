import Foundation
import MediaGenBeatra
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("Beatra catalog, costs and budget")
struct BeatraCatalogTests {
    // Seed 003: id, credits per task, USD reference in cents, clips per task.
    static let documented: [(BeatraModelID, Int, Int, Int)] = [
        (.suno55, 80, 8, 2),
        (.minimaxMusic26, 50, 5, 1),
    ]

    @Test(arguments: documented)
    func everyDocumentedModelHasItsCreditPriceAndClips(id: BeatraModelID, credits: Int, cents: Int, clips: Int) throws {
        let model = try #require(id.descriptor)
        #expect(model.price == Price(Money(Decimal(credits), BeatraCatalog.credits), per: .task))
        #expect(model.estimateCost() == Money(Decimal(credits), BeatraCatalog.credits))
        #expect(model.estimateCost()?.converted(to: .usd) == .usd(cents: cents))
        #expect(model.outputsPerTask == clips)
        #expect(model.kind == .music)
        #expect(model.provider == .beatra)
        // Not published: polling follows BeatraCatalog.pollingPolicy.
        #expect(model.typicalLatency == nil)
    }

    @Test func creditsAreWorthAThousandthOfADollar() {
        #expect(BeatraCatalog.credits == Currency.credits("Beatra credits", perUSD: 1000))
        #expect(Money(80, BeatraCatalog.credits).description == "80 Beatra credits (≈ $0.08)")
    }

    @Test func theCatalogListsExactlyTheTwoDocumentedModels() {
        #expect(BeatraCatalog.models.map(\.id) == ["suno-5.5", "minimax-music-2.6"])
        #expect(BeatraClient(apiKey: testKey, environment: [:]).catalog == BeatraCatalog.models)
    }

    @Test func costsAreEstimatedBeforeCreating() throws {
        let client = BeatraClient(apiKey: testKey, environment: [:])
        #expect(client.estimateCost(of: seedRequest) == Money(80, BeatraCatalog.credits))
        #expect(
            client.estimateCost(of: BeatraMusicRequest(model: .minimaxMusic26, prompt: "x"))
                == Money(50, BeatraCatalog.credits))
        #expect(
            client.estimateCost(of: BeatraMusicRequest(model: BeatraModelID(rawValue: "suno-6"), prompt: "x")) == nil)
        #expect(try client.estimateCost(of: MusicRequest(prompt: "jazz")) == Money(80, BeatraCatalog.credits))
        #expect(
            try client.estimateCost(of: MusicRequest(prompt: "jazz", model: "minimax-music-2.6"))
                == Money(50, BeatraCatalog.credits))
    }

    @Test func aDollarBudgetCountsCreditsAtTheRateAndRefusesWithNoRequest() async throws {
        let budget = Budget(limit: .usd(cents: 10))
        let harness = BeatraHarness(
            fixtures: [("create-accepted", 202), ("create-accepted", 202)], budget: budget)
        _ = try await harness.client.createTask(seedRequest)
        #expect(await budget.spent == .usd(cents: 8))

        let error = await mediaError { try await harness.client.createTask(seedRequest) }
        #expect(
            error?.kind == .budgetExceeded(estimate: Money(80, BeatraCatalog.credits), remaining: .usd(cents: 2)))
        #expect(harness.requests.count == 1)
        // A minimax task ($0.05) does not fit either; nothing more is sent.
        let minimax = await mediaError {
            try await harness.client.createTask(BeatraMusicRequest(model: .minimaxMusic26, prompt: "x"))
        }
        #expect(minimax?.kind == .budgetExceeded(estimate: Money(50, BeatraCatalog.credits), remaining: .usd(cents: 2)))
        #expect(harness.requests.count == 1)
    }

    @Test func aBudgetTooSmallForOneTaskSendsNothingAtAll() async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)], budget: Budget(limit: .usd(cents: 5)))
        let error = await mediaError { try await harness.client.generateMusic(MusicRequest(prompt: "jazz")) }
        guard case .budgetExceeded = error?.kind else {
            Issue.record("expected the budget to refuse, got \(String(describing: error))")
            return
        }
        #expect(harness.requests.isEmpty)
    }

    @Test func aBudgetInCreditsWorksToo() async throws {
        let budget = Budget(limit: Money(100, BeatraCatalog.credits))
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)], budget: budget)
        _ = try await harness.client.createTask(BeatraMusicRequest(model: .minimaxMusic26, prompt: "x"))
        let error = await mediaError { try await harness.client.createTask(seedRequest) }
        #expect(
            error?.kind
                == .budgetExceeded(
                    estimate: Money(80, BeatraCatalog.credits), remaining: Money(50, BeatraCatalog.credits)))
        #expect(harness.requests.count == 1)
    }

    @Test func theBudgetIsCheckedBeforeAReferenceIsUploaded() async {
        let harness = BeatraHarness(
            fixtures: [("upload-artifact", 201), ("create-accepted", 202)], budget: Budget(limit: .usd(cents: 5)))
        let error = await mediaError {
            try await harness.client.createTask(
                seedRequest, referenceAudio: .file(.data(Data([1]), fileName: "ref.mp3")))
        }
        guard case .budgetExceeded = error?.kind else {
            Issue.record("expected the budget to refuse, got \(String(describing: error))")
            return
        }
        #expect(harness.requests.isEmpty)
    }

    @Test func aBudgetGivesTheAmountBackWhenBeatraRefusesTheCreate() async {
        let budget = Budget(limit: .usd(cents: 10))
        let harness = BeatraHarness(fixtures: [("error-insufficient-credits", 402)], budget: budget)
        _ = await mediaError { try await harness.client.createTask(seedRequest) }
        #expect(await budget.spent == .zero(.usd))
    }

    @Test func theBudgetRefusesAnUnlistedModelWhosePriceIsUnknown() async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)], budget: Budget(limit: .usd(cents: 100)))
        let error = await mediaError {
            try await harness.client.createTask(
                BeatraMusicRequest(model: BeatraModelID(rawValue: "suno-6"), prompt: "x"))
        }
        #expect(error?.kind == .budgetExceeded(estimate: nil, remaining: .usd(cents: 100)))
        #expect(harness.requests.isEmpty)
    }

    // MARK: - MusicRequest

    @Test func aMusicRequestBecomesTextToMusicWithSunoByDefault() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let request = MusicRequest(
            prompt: "dream pop", lyrics: "[Verse]\nCity lights", instrumental: false, title: "City Lights")
        let task = try await harness.client.generateMusic(request)
        #expect(task.handle == TaskHandle(provider: .beatra, id: "task_01JBEATRA0000000000000001", model: "suno-5.5"))
        #expect(harness.routes == ["POST /v1/music/text-to-music"])
        #expect(harness.requests.first?.headers["Idempotency-Key"]?.isUUID == true)
        #expect(
            harness.json(0) == [
                "model": "suno-5.5", "prompt": "dream pop", "lyrics": "[Verse]\nCity lights", "instrumental": false,
                "title": "City Lights",
            ])
    }

    @Test func aMusicRequestMayNameTheModel() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        _ = try await harness.client.generateMusic(MusicRequest(prompt: "lo-fi", model: "minimax-music-2.6"))
        #expect(harness.json(0) == ["model": "minimax-music-2.6", "prompt": "lo-fi"])
    }

    static let unsupported: [(MusicRequest, String)] = [
        (MusicRequest(prompt: "x", duration: .seconds(30)), "duration"),
        (MusicRequest(prompt: "x", bpm: 120), "bpm"),
        (MusicRequest(prompt: "x", key: "C major"), "key"),
        (MusicRequest(prompt: "x", seed: 7), "seed"),
        (MusicRequest(prompt: "x", negativePrompt: "drums"), "negativePrompt"),
        (MusicRequest(prompt: " "), "prompt"),
    ]

    @Test(arguments: unsupported)
    func fieldsBeatraHasNoPlaceForAreRefusedNamingThem(request: MusicRequest, field: String) async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let error = await mediaError { try await harness.client.generateMusic(request) }
        #expect(error?.kind.field == field)
        #expect(error?.provider == .beatra)
        #expect(harness.requests.isEmpty)
        #expect(throws: MediaGenError.self) { try harness.client.estimateCost(of: request) }
    }
}
