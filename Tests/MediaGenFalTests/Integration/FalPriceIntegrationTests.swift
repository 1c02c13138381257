import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// fal's published prices over real HTTP: the emulator's Platform API answers the pricing
/// reference's shape, and a budget counts what it says before any submit is sent.
@Suite(
    "fal prices over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct FalPriceIntegrationTests {
    static let pricingRoute = "GET /platform/v1/models/pricing"
    static let submitRoute = "POST /queue/{owner}/{alias}"

    func client(_ emulator: Emulator, budget: Budget) -> FalClient {
        var fal = FalClient(
            apiKey: Emulator.falKey,
            queueURL: emulator.falQueueURL,
            restURL: emulator.falRestURL,
            configuration: ClientConfiguration(
                timeout: .seconds(30), budget: budget, transport: URLSessionTransport(), clock: ImmediateClock())
        )
        fal.platformURL = emulator.origin.appendingPathComponent("fal/platform/v1")
        return fal
    }

    @Test func aBudgetTooSmallForFalsPriceSendsNoSubmit() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator, budget: Budget(limit: .usd(cents: 2)))
            let error = await mediaError {
                try await fal.createRequest(FalJSONApp("fal-ai/flux/dev"), input: ["prompt": "a fox"])
            }
            #expect(error?.kind.case == .budgetExceeded)
            #expect(error?.kind.estimate == .usd(Decimal(string: "0.025")!))
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.pricingRoute) == 1)
            #expect(stats.requests("fal", Self.submitRoute) == 0)
        }
    }

    @Test func thePriceIsFetchedOnceAndEverySubmitIsCharged() async throws {
        try await Emulator.run { emulator in
            let budget = Budget(limit: .usd(cents: 100))
            let fal = client(emulator, budget: budget)
            for _ in 0..<2 {
                _ = try await fal.createRequest(FalJSONApp("fal-ai/flux/dev"), input: ["prompt": "a fox"])
            }
            #expect(await budget.spent == .usd(Decimal(string: "0.05")!))
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.pricingRoute) == 1)
            #expect(stats.tasksCreated("fal") == 2)
        }
    }

    @Test func beatovenHasNoPublishedPriceAndTheBudgetSaysSo() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator, budget: Budget(limit: .usd(cents: 500)))
            let error = await mediaError { try await fal.generateMusic(MusicRequest(prompt: "jazz")) }
            #expect(error?.kind.case == .budgetExceeded)
            #expect(error?.kind.estimate == nil)
            #expect(error?.message.contains("unknown") == true)
            let stats = try await emulator.stats()
            #expect(stats.tasksCreated("fal") == 0)
        }
    }
}
