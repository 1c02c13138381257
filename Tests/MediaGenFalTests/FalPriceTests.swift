import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

let pricingRoute = "GET https://api.fal.ai/v1/models/pricing"
let flux = FalJSONApp("fal-ai/flux/dev")

/// A fal client whose pricing requests get `pricing` (a fixture name, or a status with no body) and
/// whose submits get `submit-response`.
func pricedHarness(pricing: String?, status: Int = 200, budget: Budget? = nil) -> FalHarness {
    FalHarness(budget: budget) { request in
        if request.url.path.hasSuffix("/models/pricing") {
            guard let pricing else { return .json(#"{"detail": "Forbidden."}"#, status: status) }
            return try fixtureResponse(pricing, status: status)
        }
        return try fixtureResponse("submit-response")
    }
}

/// fal's published prices (Platform API) in estimates and budgets.
@Suite("fal prices")
struct FalPriceTests {
    @Test func fetchedPricesDecodeWithTheirBillingUnit() async throws {
        let harness = pricedHarness(pricing: "pricing")
        let prices = try await harness.client.modelPrices(for: ["fal-ai/flux/dev"])
        let price = try #require(prices["fal-ai/flux/dev"])
        #expect(
            price == FalModelPrice(endpointID: "fal-ai/flux/dev", unitPrice: Decimal(string: "0.025")!, unit: "image"))
        #expect(price.price == Price(.usd(Decimal(string: "0.025")!), per: .output))
        #expect(harness.routes == ["\(pricingRoute)?endpoint_id=fal-ai%2Fflux%2Fdev"])
        #expect(harness.requests.first?.headers["Authorization"] == "Key \(testKey)")
    }

    @Test(arguments: [
        ("image", "USD", Price.Unit.output),
        ("video", "usd", .output),
        ("second", "USD", .outputSecond),
        ("video_second", "USD", .outputSecond),
        ("request", "USD", .task),
    ])
    func countableUnitsBecomeAPrice(unit: String, currency: String, expected: Price.Unit) {
        let price = FalModelPrice(endpointID: "a/b", unitPrice: 2, unit: unit, currency: currency)
        #expect(price.price == Price(.usd(2), per: expected))
    }

    @Test(arguments: [("megapixel", "USD"), ("1000 characters", "USD"), ("compute_second", "USD"), ("image", "EUR")])
    func unitsARequestCannotCountGiveNoPrice(unit: String, currency: String) {
        #expect(FalModelPrice(endpointID: "a/b", unitPrice: 2, unit: unit, currency: currency).price == nil)
    }

    @Test func aBudgetCountsFalsPublishedPriceAndRefusesBeforeSubmitting() async throws {
        let harness = pricedHarness(pricing: "pricing", budget: Budget(limit: .usd(cents: 2)))
        let error = await mediaError { try await harness.client.createRequest(flux, input: ["prompt": "a fox"]) }
        #expect(error?.kind == .budgetExceeded(estimate: .usd(Decimal(string: "0.025")!), remaining: .usd(cents: 2)))
        #expect(harness.routes == ["\(pricingRoute)?endpoint_id=fal-ai%2Fflux%2Fdev"])
    }

    @Test func thePriceIsFetchedOnceAndChargedForEverySubmit() async throws {
        let budget = Budget(limit: .usd(cents: 100))
        let harness = pricedHarness(pricing: "pricing", budget: budget)
        for _ in 0..<3 { _ = try await harness.client.createRequest(flux, input: ["prompt": "a fox"]) }
        #expect(harness.routes.filter { $0.hasPrefix(pricingRoute) }.count == 1)
        #expect(harness.requests.count == 4)
        #expect(await budget.spent == .usd(Decimal(string: "0.075")!))
    }

    @Test func yourPriceWinsAndNothingIsFetched() async throws {
        let harness = pricedHarness(pricing: "pricing")
        harness.client.prices.override(
            FalModelPrice(endpointID: "fal-ai/flux/dev", unitPrice: Decimal(string: "0.02")!, unit: "image"),
            for: "fal-ai/flux/dev")
        #expect(await harness.client.estimateCost(of: flux, input: ["prompt": "x"]) == .usd(Decimal(string: "0.02")!))
        #expect(harness.requests.isEmpty)
    }

    @Test func theSharedEstimateCountsAPriceTheClientAlreadyHasAndAsksNobody() async throws {
        let harness = pricedHarness(pricing: "pricing")
        let request = MusicRequest(prompt: "jazz", duration: .seconds(30))
        #expect(try harness.client.estimateCost(of: request) == nil)
        harness.client.prices.override(
            FalModelPrice(endpointID: "beatoven/music-generation", unitPrice: Decimal(string: "0.01")!, unit: "second"),
            for: .beatovenMusicGeneration)
        #expect(try harness.client.estimateCost(of: request) == .usd(Decimal(string: "0.30")!))
        #expect(harness.requests.isEmpty)
    }

    @Test func withoutABudgetASubmitFetchesNoPrice() async throws {
        let harness = pricedHarness(pricing: "pricing")
        _ = try await harness.client.createRequest(flux, input: ["prompt": "a fox"])
        #expect(harness.routes == ["POST https://queue.fal.run/fal-ai/flux/dev"])
    }

    /// fal publishes no price for Beatoven, or cannot be asked: the catalog (no price either) is
    /// the fallback, the estimate is `nil`, and the budget says the price is unknown. The miss is
    /// remembered: the next estimate asks nobody.
    @Test(arguments: [("pricing-empty", 200), (nil, 403)])
    func aPriceThatCannotBeHadIsUnknownAndTheBudgetSaysSo(pricing: String?, status: Int) async throws {
        let harness = pricedHarness(pricing: pricing, status: status, budget: Budget(limit: .usd(cents: 500)))
        let input = BeatovenInput(prompt: "jazz", duration: .seconds(30))
        #expect(await harness.client.estimateCost(of: .beatovenMusicGeneration, input: input) == nil)
        let error = await mediaError {
            try await harness.client.createRequest(.beatovenMusicGeneration, input: input)
        }
        #expect(error?.kind.case == .budgetExceeded)
        #expect(error?.kind.estimate == nil)
        #expect(error?.message.contains("unknown") == true)
        // One pricing request for both: the miss was remembered, and nothing was submitted.
        #expect(harness.routes.count == 1)
        #expect(harness.routes.first?.hasPrefix(pricingRoute) == true)
    }

    /// Callers that ask for an app's price at the same time, before it is known — estimates and
    /// lookups alike — wait for one fetch. fal's answer is held back until every caller has
    /// either joined the fetch under way or sent a request of its own.
    @Test(arguments: [2, 8])
    func concurrentLookupsOfOneAppShareOneFetch(callers: Int) async throws {
        let (arrivals, arrived) = AsyncStream.makeStream(of: Void.self)
        let (release, open) = AsyncStream.makeStream(of: Void.self)
        let first = Locked(true)
        let harness = FalHarness { _ in
            // Only the first request waits: a second one already shows the fetch was not shared.
            let isFirst = first.withLock { isFirst in
                defer { isFirst = false }
                return isFirst
            }
            if isFirst {
                arrived.yield()
                for await _ in release { break }
            }
            return try fixtureResponse("pricing")
        }
        let fal = harness.client
        let estimates = await withTaskGroup(of: Money?.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    if caller.isMultiple(of: 2) { return await fal.estimateCost(of: flux, input: ["prompt": "a fox"]) }
                    return await fal.modelPrice(for: "fal-ai/flux/dev")?.price?.amount
                }
            }
            for await _ in arrivals { break }
            while fal.prices.callersWaiting(for: "fal-ai/flux/dev") < callers, harness.requests.count == 1 {
                await Task.yield()
            }
            open.yield()
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(harness.routes == ["\(pricingRoute)?endpoint_id=fal-ai%2Fflux%2Fdev"])
        #expect(estimates == Array(repeating: .usd(Decimal(string: "0.025")!), count: callers))
    }

    @Test func manyAppsAreAskedFiftyAtATime() async throws {
        let harness = pricedHarness(pricing: "pricing")
        let apps = (0..<60).map { FalAppID(rawValue: "owner/app-\($0)") } + ["fal-ai/flux/dev"]
        let prices = try await harness.client.modelPrices(for: apps)
        #expect(harness.requests.count == 2)
        #expect(prices.keys.map(\.rawValue) == ["fal-ai/flux/dev"])
    }
}
