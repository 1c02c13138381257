import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// BeatAPI bills in US dollars under credit-era field names ("1 Credit equals $1 USD"); the seed's
/// credit-era bodies still decode, in `Currency.beatAPICredits`.
@Suite("BeatAPI money is US dollars")
struct BeatAPIMoneyTests {
    static func usd(_ text: String) -> Money { Money(Decimal(string: text)!, .usd) }

    func taskUsage(_ name: String) throws -> BeatAPITaskUsage {
        try #require(try JSONReader().decode(BeatAPITaskResponse.self, from: try fixture(name)).data.usage)
    }

    func eventUsage(_ name: String) throws -> BeatAPITaskUsage {
        try #require(try JSONReader().decode(BeatAPIWebhookEvent.self, from: try fixture(name)).task.usage)
    }

    /// (fixture, reserved, charged, settled, refunded, billable seconds) as the spec's examples write them.
    static let usdTaskUsages: [(String, String, String, String, String, Decimal)] = [
        ("task-ecommerce-created-usd", "4.5", "4.5", "0", "0", 15)
    ]

    @Test(arguments: usdTaskUsages)
    func aTasksUsageIsUSD(
        fixtureName: String, reserved: String, charged: String, settled: String, refunded: String,
        seconds: Decimal
    ) throws {
        let usage = try taskUsage(fixtureName)
        #expect(usage.currency == .usd)
        #expect(usage.creditsReserved == Self.usd(reserved))
        #expect(usage.creditsCharged == Self.usd(charged))
        #expect(usage.creditsSettled == Self.usd(settled))
        #expect(usage.creditsRefunded == Self.usd(refunded))
        #expect(usage.billableDurationSeconds == seconds)
        #expect(usage.creditsReserved?.converted(to: .usd) == Self.usd(reserved))
    }

    static let usdEventUsages: [(String, String, String, Decimal)] = [
        ("webhook-event-music-video-usd", "76", "76", 15),
        ("webhook-event-video-usd", "1.55", "1.55", 5),
    ]

    @Test(arguments: usdEventUsages)
    func aWebhookEventsTaskUsageIsUSD(fixtureName: String, reserved: String, settled: String, seconds: Decimal) throws {
        let usage = try eventUsage(fixtureName)
        #expect(usage.currency == .usd)
        #expect(usage.creditsReserved == Self.usd(reserved))
        #expect(usage.creditsSettled == Self.usd(settled))
        #expect(usage.creditsRefunded == .zero(.usd))
        #expect(usage.billableDurationSeconds == seconds)
    }

    @Test func theSeedsCreditEraTaskStillDecodesAndSaysItIsInCredits() throws {
        let usage = try taskUsage("task-queued")
        #expect(usage.currency == .beatAPICredits)
        #expect(usage.creditsReserved == Money(450, .beatAPICredits))
        #expect(usage.creditsCharged == nil)
        #expect(usage.creditsReserved?.converted(to: .usd) == nil)
    }

    @Test func theAccountsUsageIsUSD() throws {
        let usage = try JSONReader().decode(BeatAPIResponse<BeatAPIUsage>.self, from: try fixture("usage-usd")).data
        #expect(usage.currency == .usd)
        #expect(usage.creditBalance == Self.usd("21.6"))
        #expect(usage.creditsSettled == Self.usd("14.4"))
        #expect(usage.creditsRefunded == Self.usd("9"))
        #expect(usage.totalTasks == 12)
        #expect(usage.concurrency?.limit == 2)
        #expect(usage.concurrency?.active == 1)
        #expect(usage.byWorkflow.map(\.creditsSettled) == [Self.usd("9.6"), Self.usd("4.8")])
        #expect(usage.byWorkflow.map(\.workflow) == [.musicVideo, .ecommerceVideo])
    }

    @Test func aCreditEraUsageBodySaysItIsInCredits() throws {
        let usage = try JSONReader().decode(BeatAPIResponse<BeatAPIUsage>.self, from: try fixture("usage")).data
        #expect(usage.currency == .beatAPICredits)
        #expect(usage.creditBalance == Money(99_550, .beatAPICredits))
    }

    /// (duration in seconds, the catalog's USD estimate): $0.30 a second, the spec's 15 s → $4.50.
    static let ecommerceEstimates: [(Int, String)] = [(10, "3"), (15, "4.5"), (60, "18")]

    @Test(arguments: ecommerceEstimates)
    func anEcommerceVideoIsEstimatedInUSDFromItsDuration(seconds: Int, estimate: String) {
        let client = BeatAPIClient(apiKey: testKey, environment: [:])
        let input = EcommerceVideoInput(imageURLs: [Sample.image], duration: .seconds(seconds))
        #expect(client.estimateCost(of: input) == Self.usd(estimate))
    }

    @Test func theCatalogPricesInUSDAndLeavesTheUnpublishedMusicVideoRateUnknown() throws {
        let music = try #require(BeatAPIWorkflowID.musicVideo.descriptor)
        let ecommerce = try #require(BeatAPIWorkflowID.ecommerceVideo.descriptor)
        #expect(music.price == nil)
        #expect(ecommerce.price == Price(Self.usd("0.30"), per: .outputSecond))
        #expect(BeatAPICatalog.composeCharge == .usd(1))
        let client = BeatAPIClient(apiKey: testKey, environment: [:])
        #expect(client.estimateCost(of: Sample.seedInput) == nil)
    }

    @Test func aUSDBudgetCountsEcommerceVideosAndRefusesPastItsLimitWithNothingSent() async throws {
        let budget = Budget(limit: .usd(6))
        let harness = BeatAPIHarness(fixtures: [("task-ecommerce-created-usd", 201)], budget: budget)
        let input = EcommerceVideoInput(imageURLs: [Sample.image], duration: .seconds(15))
        let task = try await harness.client.createTask(input)
        #expect(task.usage?.creditsReserved == Self.usd("4.5"))
        #expect(await budget.spent == Self.usd("4.5"))

        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(error?.kind == .budgetExceeded(estimate: Self.usd("4.5"), remaining: Self.usd("1.5")))
        #expect(harness.requests.count == 1)
    }

    @Test func aUSDBudgetRefusesAMusicVideoItCannotPriceUnlessAllowed() async throws {
        let refusing = BeatAPIHarness(fixtures: [("task-queued", 201)], budget: Budget(limit: .usd(100)))
        let error = await mediaError { try await refusing.client.createTask(Sample.seedInput) }
        #expect(error?.kind == .budgetExceeded(estimate: nil, remaining: .usd(100)))
        #expect(refusing.requests.isEmpty)

        let allowing = BeatAPIHarness(
            fixtures: [("task-queued", 201)], budget: Budget(limit: .usd(100), unknownPrices: .allow))
        _ = try await allowing.client.createTask(Sample.seedInput)
        #expect(allowing.requests.count == 1)
    }
}
