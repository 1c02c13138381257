import Foundation
import MediaGenCore

/// BeatAPI's `TaskUsage` schema: the credits a task reserved, settled and refunded, as `Money`
/// in `Currency.beatAPICredits`.
///
/// ```swift
/// let task = try await beatAPI.createTask(input)
/// print(task.usage?.creditsReserved ?? "unknown")   // 450 BeatAPI credits
/// let done = try await beatAPI.wait(for: task)
/// print(done.usage?.creditsSettled ?? "unknown", done.usage?.creditsRefunded ?? "unknown")
/// ```
///
/// BeatAPI's API reference shows `credits_reserved`, `credits_settled` and `credits_refunded`; BeatAPI's
/// published description adds `credits_charged` and `billable_duration_seconds`. Each is `nil`
/// when absent, and numbers sent as text are read too.
public struct BeatAPITaskUsage: Hashable, Sendable, Decodable {
    /// Held when the task was accepted.
    public let creditsReserved: Money?
    /// Taken for good once the task reached a stop state.
    public let creditsSettled: Money?
    /// Given back (a failed task is refunded).
    public let creditsRefunded: Money?
    /// What BeatAPI says it charged, when it says.
    public let creditsCharged: Money?
    /// The seconds billed, when BeatAPI says.
    public let billableDurationSeconds: Decimal?

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
        func credits(_ key: CodingKeys) -> Money? {
            Lenient.decimal(try? container.decodeIfPresent(JSONValue.self, forKey: key))
                .map { Money($0, .beatAPICredits) }
        }
        creditsReserved = credits(.creditsReserved)
        creditsSettled = credits(.creditsSettled)
        creditsRefunded = credits(.creditsRefunded)
        creditsCharged = credits(.creditsCharged)
        billableDurationSeconds = Lenient.decimal(
            try? container.decodeIfPresent(JSONValue.self, forKey: .billableDurationSeconds))
    }
}
