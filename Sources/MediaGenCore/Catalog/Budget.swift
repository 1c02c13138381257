/// A spending limit shared by one or more clients: a create that would exceed it is refused
/// before anything is sent.
///
/// ```swift
/// let budget = Budget(limit: .usd(5))
/// let client = SkytellsClient(apiKey: key, configuration: .init(budget: budget))
/// _ = try await client.createPrediction(…)  // throws .budgetExceeded, with no request, past $5
/// print(await budget.spent)
/// ```
///
/// The budget counts each paid create at its catalog estimate when the create is sent, and gives
/// the amount back when the provider definitively refused it. A create whose price is unknown (or
/// in credits with no dollar rate) is refused by default, since the budget cannot vouch for it;
/// pass `unknownPrices: .allow` to let such requests through uncounted.
public actor Budget {
    /// What to do with a request whose cost cannot be counted against the limit.
    public enum UnknownPricePolicy: Sendable {
        case refuse
        case allow
    }

    public nonisolated let limit: Money
    public private(set) var spent: Money
    public nonisolated let unknownPrices: UnknownPricePolicy

    public init(limit: Money, unknownPrices: UnknownPricePolicy = .refuse) {
        self.limit = limit
        self.spent = .zero(limit.currency)
        self.unknownPrices = unknownPrices
    }

    public var remaining: Money {
        Money(limit.amount - spent.amount, limit.currency)
    }

    /// Counts `estimate` against the limit, or throws `.budgetExceeded` without counting it.
    /// Returns the amount counted (in the budget's currency), to hand back to ``refund(_:)``.
    @discardableResult
    public func charge(_ estimate: Money?, for model: String, provider: Provider) throws(MediaGenError) -> Money {
        let counted = try affordable(estimate, for: model, provider: provider)
        spent.amount += counted.amount
        return counted
    }

    /// Checks that `estimate` fits in what remains, without counting it — for a plan of several
    /// requests (a pipeline) that must not start unless all of it can be paid for.
    public func ensureAffordable(_ estimate: Money?, for what: String, provider: Provider? = nil) throws(MediaGenError)
    {
        _ = try affordable(estimate, for: what, provider: provider)
    }

    /// `estimate` in the budget's currency, or the error that refuses it.
    private func affordable(_ estimate: Money?, for what: String, provider: Provider?) throws(MediaGenError) -> Money {
        guard let estimate, let counted = estimate.converted(to: limit.currency) else {
            if unknownPrices == .allow { return .zero(limit.currency) }
            let reason =
                estimate.map { "\($0.currency.code) have no known rate to \(limit.currency.code)" }
                ?? "the price of \(what) is unknown"
            throw MediaGenError(
                .budgetExceeded(estimate: estimate, remaining: remaining),
                provider: provider,
                message: "cannot count \(what) against the budget: \(reason) (allow with `unknownPrices: .allow`)"
            )
        }
        guard spent.amount + counted.amount <= limit.amount else {
            throw MediaGenError(
                .budgetExceeded(estimate: estimate, remaining: remaining),
                provider: provider,
                message: "\(what) would cost \(estimate), over the \(limit) budget"
            )
        }
        return counted
    }

    /// Gives back an amount counted by ``charge(_:for:provider:)`` for a create the provider refused.
    public func refund(_ counted: Money) {
        guard let amount = counted.converted(to: limit.currency)?.amount else { return }
        spent.amount = max(0, spent.amount - amount)
    }
}
