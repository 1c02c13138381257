import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("BeatAPI catalog and budget")
struct BeatAPICatalogTests {
    @Test func theCatalogListsBothWorkflowsWithWhatIsKnown() throws {
        #expect(BeatAPICatalog.models.map(\.id) == ["music-video", "ecommerce-video"])
        #expect(BeatAPIClient(apiKey: testKey).catalog == BeatAPICatalog.models)

        let music = try #require(BeatAPIWorkflowID.musicVideo.descriptor)
        #expect(music.price == nil)
        #expect(music.estimateCost(duration: .seconds(90)) == nil)
        #expect(music.kind == .musicVideo)
        #expect(music.provider == .beatAPI)

        let ecommerce = try #require(BeatAPIWorkflowID.ecommerceVideo.descriptor)
        #expect(ecommerce.estimateCost(duration: .seconds(15)) == Money(Decimal(string: "4.5")!, .usd))
        #expect(ecommerce.estimateCost() == nil)
        #expect(ecommerce.kind == .productVideo)
        #expect(BeatAPIWorkflowID("story-video").descriptor == nil)
    }

    @Test func creditEraCreditsHaveNoDollarRate() {
        #expect(Currency.beatAPICredits == .credits("BeatAPI credits", perUSD: nil))
        #expect(Money(450, .beatAPICredits).converted(to: .usd) == nil)
        #expect(String(describing: Money(450, .beatAPICredits)) == "450 BeatAPI credits")
    }

    @Test func aDollarBudgetRefusesWhatItCannotPriceWithoutSending() async {
        let budget = Budget(limit: .usd(cents: 10_000))
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)], budget: budget)
        let error = await mediaError { try await harness.client.createTask(Sample.seedInput) }
        #expect(error?.kind == .budgetExceeded(estimate: nil, remaining: .usd(cents: 10_000)))
        #expect(harness.requests.isEmpty)
        #expect(await budget.spent == .usd(cents: 0))
    }

    @Test func aDollarBudgetThatAllowsUnknownPricesLetsMusicVideosThroughUncounted() async throws {
        let budget = Budget(limit: .usd(cents: 100), unknownPrices: .allow)
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201), ("task-queued", 201)], budget: budget)
        _ = try await harness.client.createTask(Sample.seedInput)
        _ = try await harness.client.createTask(Sample.seedInput)
        #expect(harness.requests.count == 2)
        #expect(await budget.spent == .usd(cents: 0))
    }

    @Test func aBudgetInCreditEraCreditsCannotCountDollarPrices() async throws {
        let budget = Budget(limit: Money(1_000, .beatAPICredits))
        let harness = BeatAPIHarness(fixtures: [("task-ecommerce-created-usd", 201)], budget: budget)
        let error = await mediaError { try await harness.client.createTask(Sample.ecommerce) }
        #expect(
            error?.kind
                == .budgetExceeded(
                    estimate: Money(Decimal(string: "4.5")!, .usd), remaining: Money(1_000, .beatAPICredits)))
        #expect(harness.requests.isEmpty)
    }

    @Test func aRefusedCreateUploadsNothing() async throws {
        let cover = try Sample.temporaryFile(named: "cover.png")
        defer { try? FileManager.default.removeItem(at: cover.deletingLastPathComponent()) }
        let budget = Budget(limit: .usd(1))
        let harness = BeatAPIHarness(fixtures: [("file", 201), ("task-ecommerce-created-usd", 201)], budget: budget)
        let input = EcommerceVideoInput(images: [.file(cover)], duration: .seconds(15))
        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(error?.kind == .budgetExceeded(estimate: Money(Decimal(string: "4.5")!, .usd), remaining: .usd(1)))
        #expect(harness.requests.isEmpty)
        #expect(await budget.spent == .usd(0))
    }

    @Test func aCreateBeatAPIRefusesIsGivenBackToTheBudget() async {
        let budget = Budget(limit: .usd(10))
        let harness = BeatAPIHarness(fixtures: [("error-402", 402)], budget: budget)
        _ = await mediaError { try await harness.client.createTask(Sample.ecommerce) }
        #expect(harness.requests.count == 1)
        #expect(await budget.spent == .usd(0))
    }
}
