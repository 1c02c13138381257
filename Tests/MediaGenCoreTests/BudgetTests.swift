import Foundation
import MediaGenCore
import Testing

/// An exact decimal from its text (a float literal would go through `Double`).
private func decimal(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
}

struct BudgetTests {
    static let provider = Provider("budget", displayName: "Budget Test", apiKeyEnvironmentVariable: nil)
    static let beatra = Currency.credits("Beatra credits", perUSD: 1000)
    static let beatAPI = Currency.credits("BeatAPI credits", perUSD: nil)

    @Test func startsWithNothingSpent() async {
        let budget = Budget(limit: .usd(5))
        #expect(await budget.spent == .zero(.usd))
        #expect(await budget.remaining == .usd(5))
        #expect(budget.limit == .usd(5))
        #expect(budget.unknownPrices == .refuse)
    }

    @Test func chargeWithinTheLimitIsCounted() async throws {
        let budget = Budget(limit: .usd(5))
        let counted = try await budget.charge(.usd(decimal("0.75")), for: "beatfusion-2.0", provider: Self.provider)
        #expect(counted == .usd(decimal("0.75")))
        #expect(await budget.spent == .usd(decimal("0.75")))
        #expect(await budget.remaining == .usd(decimal("4.25")))
    }

    @Test func chargeUpToExactlyTheLimitIsAllowed() async throws {
        let budget = Budget(limit: .usd(1))
        for _ in 0..<10 {
            try await budget.charge(.usd(decimal("0.1")), for: "m", provider: Self.provider)
        }
        #expect(await budget.spent == .usd(1))
        #expect(await budget.remaining == .zero(.usd))
    }

    @Test func chargeOverTheLimitIsRefusedAndNotCounted() async throws {
        let budget = Budget(limit: .usd(5))
        try await budget.charge(.usd(4), for: "first", provider: Self.provider)

        let error = await #expect(throws: MediaGenError.self) {
            try await budget.charge(.usd(2), for: "truefusion-video-pro", provider: Self.provider)
        }

        #expect(error?.kind == .budgetExceeded(estimate: .usd(2), remaining: .usd(1)))
        #expect(error?.provider == Self.provider)
        #expect(error?.message.contains("truefusion-video-pro") == true)
        #expect(await budget.spent == .usd(4))
    }

    @Test func refundGivesTheCountedAmountBack() async throws {
        let budget = Budget(limit: .usd(5))
        try await budget.charge(.usd(1), for: "kept", provider: Self.provider)
        let counted = try await budget.charge(.usd(2), for: "refused", provider: Self.provider)

        await budget.refund(counted)

        #expect(await budget.spent == .usd(1))
        #expect(await budget.remaining == .usd(4))
    }

    @Test func refundNeverTakesSpendingBelowZero() async {
        let budget = Budget(limit: .usd(5))
        await budget.refund(.usd(3))
        #expect(await budget.spent == .zero(.usd))
    }

    @Test func refundInCreditsIsConverted() async throws {
        let budget = Budget(limit: .usd(5))
        try await budget.charge(.usd(2), for: "m", provider: Self.provider)
        await budget.refund(Money(500, Self.beatra))
        #expect(await budget.spent == .usd(decimal("1.5")))
    }

    @Test func unknownPriceIsRefusedByDefault() async {
        let budget = Budget(limit: .usd(5))

        let error = await #expect(throws: MediaGenError.self) {
            try await budget.charge(nil, for: "mystery-model", provider: Self.provider)
        }

        #expect(error?.kind == .budgetExceeded(estimate: nil, remaining: .usd(5)))
        #expect(error?.message.contains("mystery-model") == true)
        #expect(error?.message.contains("unknownPrices: .allow") == true)
        #expect(await budget.spent == .zero(.usd))
    }

    @Test func unknownPriceIsLetThroughUncountedWhenAllowed() async throws {
        let budget = Budget(limit: .usd(5), unknownPrices: .allow)
        try await budget.charge(.usd(1), for: "known", provider: Self.provider)

        let counted = try await budget.charge(nil, for: "mystery-model", provider: Self.provider)

        #expect(counted == .zero(.usd))
        #expect(await budget.spent == .usd(1))
    }

    @Test func creditsAreConvertedIntoADollarBudget() async throws {
        let budget = Budget(limit: .usd(1))

        let counted = try await budget.charge(Money(80, Self.beatra), for: "beatra-music", provider: Self.provider)

        #expect(counted == .usd(decimal("0.08")))
        #expect(await budget.spent == .usd(decimal("0.08")))
    }

    @Test func creditsBeyondADollarBudgetAreRefusedWithTheOriginalEstimate() async throws {
        let budget = Budget(limit: .usd(1))

        let error = await #expect(throws: MediaGenError.self) {
            try await budget.charge(Money(1001, Self.beatra), for: "beatra-music", provider: Self.provider)
        }

        #expect(error?.kind == .budgetExceeded(estimate: Money(1001, Self.beatra), remaining: .usd(1)))
        #expect(await budget.spent == .zero(.usd))
    }

    @Test func dollarsAreConvertedIntoACreditBudget() async throws {
        let budget = Budget(limit: Money(1000, Self.beatra))
        try await budget.charge(.usd(decimal("0.25")), for: "m", provider: Self.provider)
        #expect(await budget.spent == Money(250, Self.beatra))
    }

    @Test func creditsWithAnUnknownRateAreRefused() async {
        let budget = Budget(limit: .usd(5))

        let error = await #expect(throws: MediaGenError.self) {
            try await budget.charge(Money(10, Self.beatAPI), for: "music-video", provider: Self.provider)
        }

        #expect(error?.kind == .budgetExceeded(estimate: Money(10, Self.beatAPI), remaining: .usd(5)))
        #expect(error?.message.contains("BeatAPI credits") == true)
        #expect(error?.message.contains("unknownPrices: .allow") == true)
        #expect(await budget.spent == .zero(.usd))
    }

    @Test func creditsWithAnUnknownRateAreUncountedWhenAllowed() async throws {
        let budget = Budget(limit: .usd(5), unknownPrices: .allow)
        let counted = try await budget.charge(Money(10, Self.beatAPI), for: "music-video", provider: Self.provider)
        #expect(counted == .zero(.usd))
        #expect(await budget.spent == .zero(.usd))
    }

    @Test func concurrentChargesNeverExceedTheLimit() async {
        let budget = Budget(limit: .usd(10))
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<100 {
                group.addTask {
                    do {
                        try await budget.charge(.usd(decimal("0.25")), for: "task-\(index)", provider: Self.provider)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(accepted == 40)
        #expect(await budget.spent == .usd(10))
        #expect(await budget.remaining == .zero(.usd))
    }

    @Test func concurrentChargesAndRefundsBalanceOut() async {
        let budget = Budget(limit: .usd(10))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    // Some may be refused while others are outstanding; whatever is counted is given back.
                    if let counted = try? await budget.charge(.usd(decimal("0.5")), for: "m", provider: Self.provider) {
                        await budget.refund(counted)
                    }
                }
            }
        }
        #expect(await budget.spent == .zero(.usd))
    }
}

@Suite("Budget checks without counting")
struct BudgetCheckTests {
    @Test func aPlanThatFitsIsAcceptedAndNothingIsCounted() async throws {
        let budget = Budget(limit: .usd(5))
        try await budget.ensureAffordable(.usd(cents: 225), for: "the pipeline")
        #expect(await budget.spent == .usd(0))
    }

    @Test func aPlanOverTheRemainderIsRefusedNamingIt() async throws {
        let budget = Budget(limit: .usd(3))
        try await budget.charge(.usd(cents: 150), for: "an earlier video", provider: .acme)
        await #expect {
            try await budget.ensureAffordable(.usd(cents: 225), for: "the pipeline")
        } throws: { error in
            guard let error = error as? MediaGenError, let remaining = error.kind.remaining else {
                return false
            }
            return remaining == .usd(cents: 150) && error.message.contains("the pipeline would cost $2.25")
        }
    }

    @Test func anUnknownTotalFollowsTheUnknownPricePolicy() async throws {
        await #expect(throws: MediaGenError.self) {
            try await Budget(limit: .usd(5)).ensureAffordable(nil, for: "the pipeline")
        }
        try await Budget(limit: .usd(5), unknownPrices: .allow).ensureAffordable(nil, for: "the pipeline")
    }
}
