import Foundation
import MediaGenCore

/// BeatAPI's `Usage` schema: the account's balance in US dollars and its concurrency (`GET /v1/usage`).
///
/// ```swift
/// let usage = try await beatAPI.usage()
/// print(usage.creditBalance ?? "unknown")                              // $21.60
/// if let limit = usage.concurrency?.limit, let active = usage.concurrency?.active, active >= limit {
///     print("at the concurrency limit: a new task would be refused")
/// }
/// ```
///
/// BeatAPI's API reference names the schema without its fields; these are BeatAPI's published
/// description's, which says the amounts are US dollars under their credit-era names ("1 Credit
/// equals $1 USD"; the balance may be negative). Its body always lists `by_capability`, `by_model`
/// and `by_api_key`; an older body without them counted credits of unpublished worth, and decodes
/// in `Currency.beatAPICredits` (``currency`` says which). Every field is optional, and the whole
/// answer is kept in ``json`` for anything else.
public struct BeatAPIUsage: Hashable, Sendable, Decodable {
    /// How many tasks may be active at once, and how many are.
    public struct Concurrency: Hashable, Sendable {
        public let limit: Int?
        public let active: Int?
    }

    /// One workflow's share.
    public struct WorkflowUsage: Hashable, Sendable {
        public let workflow: BeatAPIWorkflowID?
        public let tasks: Int?
        public let creditsSettled: Money?
    }

    public let creditBalance: Money?
    public let totalTasks: Int?
    public let creditsSettled: Money?
    public let creditsRefunded: Money?
    public let concurrency: Concurrency?
    public let byWorkflow: [WorkflowUsage]
    /// The unit of every amount: `.usd`, or `.beatAPICredits` for a credit-era body.
    public let currency: Currency
    /// The answer as sent.
    public let json: JSONValue

    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        guard json.objectValue != nil else {
            throw DecodingError.typeMismatch(
                [String: JSONValue].self,
                .init(codingPath: decoder.codingPath, debugDescription: "usage is a JSON object"))
        }
        self.json = json
        let currency: Currency =
            ["by_capability", "by_model", "by_api_key"].contains { json[$0] != nil } ? .usd : .beatAPICredits
        self.currency = currency
        func credits(_ value: JSONValue?) -> Money? { Lenient.decimal(value).map { Money($0, currency) } }
        creditBalance = credits(json["credit_balance"])
        totalTasks = Lenient.int(json["total_tasks"])
        creditsSettled = credits(json["credits_settled"])
        creditsRefunded = credits(json["credits_refunded"])
        concurrency = json["concurrency"].map {
            Concurrency(limit: Lenient.int($0["limit"]), active: Lenient.int($0["active"]))
        }
        byWorkflow = (json["by_workflow"]?.arrayValue ?? []).map {
            WorkflowUsage(
                workflow: $0["workflow"]?.stringValue.map { BeatAPIWorkflowID(rawValue: $0) },
                tasks: Lenient.int($0["tasks"]),
                creditsSettled: credits($0["credits_settled"]))
        }
    }
}
