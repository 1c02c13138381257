import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("BeatAPI catalog, credits and budget")
struct BeatAPICatalogTests {
    @Test func theCatalogListsBothWorkflowsWithWhatIsKnown() throws {
        #expect(BeatAPICatalog.models.map(\.id) == ["music-video", "ecommerce-video"])
        #expect(BeatAPIClient(apiKey: testKey).catalog == BeatAPICatalog.models)

        let music = try #require(BeatAPIWorkflowID.musicVideo.descriptor)
        #expect(music.price == Price(Money(450, .beatAPICredits), per: .task))
        #expect(music.estimateCost() == Money(450, .beatAPICredits))
        #expect(music.kind == .musicVideo)
        #expect(music.provider == .beatAPI)

        let ecommerce = try #require(BeatAPIWorkflowID.ecommerceVideo.descriptor)
        #expect(ecommerce.price == nil)
        #expect(ecommerce.estimateCost() == nil)
        #expect(ecommerce.kind == .productVideo)
        #expect(BeatAPIWorkflowID("story-video").descriptor == nil)
    }

    @Test func beatAPICreditsHaveNoDollarRate() {
        #expect(Currency.beatAPICredits == .credits("BeatAPI credits", perUSD: nil))
        #expect(Money(450, .beatAPICredits).converted(to: .usd) == nil)
        #expect(String(describing: Money(450, .beatAPICredits)) == "450 BeatAPI credits")
    }

    @Test(arguments: [true, false])
    func aDollarBudgetRefusesBeatAPICreatesWithoutSending(musicVideo: Bool) async {
        let budget = Budget(limit: .usd(cents: 10_000))
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)], budget: budget)
        let error = await mediaError {
            musicVideo
                ? try await harness.client.createTask(Sample.seedInput)
                : try await harness.client.createTask(Sample.ecommerce)
        }
        guard case .budgetExceeded = error?.kind else {
            Issue.record("expected budgetExceeded, got \(String(describing: error))")
            return
        }
        #expect(harness.requests.isEmpty)
        #expect(await budget.spent == .usd(cents: 0))
    }

    @Test func aDollarBudgetThatAllowsUnknownPricesLetsThemThroughUncounted() async throws {
        let budget = Budget(limit: .usd(cents: 100), unknownPrices: .allow)
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201), ("task-ecommerce-queued", 201)], budget: budget)
        _ = try await harness.client.createTask(Sample.seedInput)
        _ = try await harness.client.createTask(Sample.ecommerce)
        #expect(harness.requests.count == 2)
        #expect(await budget.spent == .usd(cents: 0))
    }

    @Test func aBudgetInBeatAPICreditsCountsMusicVideosAtTheSeedsFigure() async throws {
        let budget = Budget(limit: Money(1_000, .beatAPICredits))
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201), ("task-queued", 201)], budget: budget)
        _ = try await harness.client.createTask(Sample.seedInput)
        _ = try await harness.client.createTask(Sample.seedInput)
        let error = await mediaError { try await harness.client.createTask(Sample.seedInput) }
        #expect(
            error?.kind
                == .budgetExceeded(estimate: Money(450, .beatAPICredits), remaining: Money(100, .beatAPICredits)))
        #expect(harness.requests.count == 2)
        #expect(await budget.spent == Money(900, .beatAPICredits))
    }

    @Test func aBudgetInCreditsRefusesTheUnpricedEcommerceVideoUnlessAllowed() async throws {
        let strict = BeatAPIHarness(
            fixtures: [("task-ecommerce-queued", 201)], budget: Budget(limit: Money(1_000, .beatAPICredits)))
        let error = await mediaError { try await strict.client.createTask(Sample.ecommerce) }
        #expect(error?.kind == .budgetExceeded(estimate: nil, remaining: Money(1_000, .beatAPICredits)))
        #expect(strict.requests.isEmpty)

        let lenient = BeatAPIHarness(
            fixtures: [("task-ecommerce-queued", 201)],
            budget: Budget(limit: Money(1_000, .beatAPICredits), unknownPrices: .allow))
        _ = try await lenient.client.createTask(Sample.ecommerce)
        #expect(lenient.requests.count == 1)
    }

    @Test func aRefusedCreateUploadsNothing() async throws {
        let cover = try Sample.temporaryFile(named: "cover.png")
        defer { try? FileManager.default.removeItem(at: cover.deletingLastPathComponent()) }
        let budget = Budget(limit: Money(100, .beatAPICredits))
        let harness = BeatAPIHarness(fixtures: [("file", 201), ("task-queued", 201)], budget: budget)
        let input = MusicVideoInput(images: [.file(cover)], audio: .url(Sample.audio), prompt: "x", language: .english)
        let error = await mediaError { try await harness.client.createTask(input) }
        guard case .budgetExceeded = error?.kind else {
            Issue.record("expected budgetExceeded, got \(String(describing: error))")
            return
        }
        #expect(harness.requests.isEmpty)
        #expect(await budget.spent == Money(0, .beatAPICredits))
    }

    @Test func aCreateBeatAPIRefusesIsGivenBackToTheBudget() async {
        let budget = Budget(limit: Money(1_000, .beatAPICredits))
        let harness = BeatAPIHarness(fixtures: [("error-402", 402)], budget: budget)
        _ = await mediaError { try await harness.client.createTask(Sample.seedInput) }
        #expect(await budget.spent == Money(0, .beatAPICredits))
    }

    @Test func aTasksUsageIsMoneyInBeatAPICredits() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)])
        let task = try await harness.client.createTask(Sample.seedInput)
        let reserved = try #require(task.usage?.creditsReserved)
        #expect(reserved.currency == .beatAPICredits)
        #expect(reserved.amount == 450)
        #expect(reserved == BeatAPICatalog.musicVideoExampleCredits)
    }
}
