import Foundation
import MediaGenCore

/// BeatAPI's `TaskUsage` schema: the US dollars a task reserved, charged, settled and refunded.
///
/// ```swift
/// let task = try await beatAPI.createTask(input)
/// print(task.usage?.creditsReserved ?? "unknown")   // $4.50
/// let done = try await beatAPI.wait(for: task)
/// if let settled = done.usage?.creditsSettled, let spent = settled.converted(to: .usd) {
///     print("spent", spent)                           // $4.50
/// }
/// ```
///
/// BeatAPI kept the field names of its credit era (`credits_reserved`, …) but its published
/// description says the amounts are US dollars ("1 Credit equals $1 USD"), so they decode as
/// `Money` in `.usd`. The seed's older body (`credits_reserved`, `credits_settled`,
/// `credits_refunded`, with no `credits_charged` or `billable_duration_seconds`, which the
/// description requires and adds) counted credits whose dollar rate was never published: such a
/// body decodes in `Currency.beatAPICredits`, and ``currency`` says which unit it was. Each
/// amount is `nil` when absent, and numbers sent as text are read too.
public struct BeatAPITaskUsage: Hashable, Sendable, Decodable {
    /// Held when the task was accepted.
    public let creditsReserved: Money?
    /// Taken for good once the task reached a stop state.
    public let creditsSettled: Money?
    /// Given back (a failed task is refunded).
    public let creditsRefunded: Money?
    /// What BeatAPI charged when it accepted the task or operation.
    public let creditsCharged: Money?
    /// The seconds billed (measured from the song, or the request's `duration`), when BeatAPI says.
    public let billableDurationSeconds: Decimal?
    /// The unit of every amount above: `.usd` for BeatAPI's current body, `.beatAPICredits` for the
    /// seed's credit-era body.
    public let currency: Currency

    public init(
        creditsReserved: Money?,
        creditsSettled: Money?,
        creditsRefunded: Money?,
        creditsCharged: Money? = nil,
        billableDurationSeconds: Decimal? = nil
    ) {
        self.creditsReserved = creditsReserved
        self.creditsSettled = creditsSettled
        self.creditsRefunded = creditsRefunded
        self.creditsCharged = creditsCharged
        self.billableDurationSeconds = billableDurationSeconds
        self.currency =
            [creditsReserved, creditsSettled, creditsRefunded, creditsCharged]
            .compactMap { $0?.currency }.first ?? .usd
    }

    private enum CodingKeys: String, CodingKey {
        case creditsReserved = "credits_reserved"
        case creditsSettled = "credits_settled"
        case creditsRefunded = "credits_refunded"
        case creditsCharged = "credits_charged"
        case billableDurationSeconds = "billable_duration_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // The description's body always carries `credits_charged` (required) and may carry
        // `billable_duration_seconds`; the seed's credit-era body has neither.
        let currency: Currency =
            container.contains(.creditsCharged) || container.contains(.billableDurationSeconds)
            ? .usd : .beatAPICredits
        func amount(_ key: CodingKeys) -> Money? {
            Lenient.decimal(try? container.decodeIfPresent(JSONValue.self, forKey: key)).map { Money($0, currency) }
        }
        creditsReserved = amount(.creditsReserved)
        creditsSettled = amount(.creditsSettled)
        creditsRefunded = amount(.creditsRefunded)
        creditsCharged = amount(.creditsCharged)
        billableDurationSeconds = Lenient.decimal(
            try? container.decodeIfPresent(JSONValue.self, forKey: .billableDurationSeconds))
        self.currency = currency
    }
}
