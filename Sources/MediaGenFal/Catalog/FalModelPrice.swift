import Foundation
import MediaGenCore

/// One app's price as fal's Platform API publishes it (`GET https://api.fal.ai/v1/models/pricing`):
/// so much per billing unit, in a currency.
///
/// ```swift
/// let fal = FalClient()
/// let prices = try await fal.modelPrices(for: [FalAppID(rawValue: "fal-ai/flux/dev")])
/// for (app, price) in prices {
///     print(app, price.unitPrice, "per", price.unit, price.price ?? "not countable here")
/// }
/// ```
///
/// ``price`` is the same figure in MediaGenKit's vocabulary when the SDK can count it from a
/// request: a price per image, video or other output is per output, per second of output per
/// output second, per request per task — in US dollars. A unit the request does not tell
/// (megapixels, characters, GPU seconds) or another currency gives `nil`, and a budget then says
/// the price is unknown rather than guessing.
public struct FalModelPrice: Hashable, Sendable {
    /// The app the price is for, as fal names it: `fal-ai/flux/dev`.
    public var endpointID: String
    /// What one ``unit`` costs, in ``currency``.
    public var unitPrice: Decimal
    /// fal's billing unit, as fal spells it: `image`, `video`, `second`, `megapixel`…
    public var unit: String
    /// The ISO 4217 code fal gives: `USD`.
    public var currency: String

    /// A price, for one you know better than fal's answer (a negotiated rate).
    ///
    /// ```swift
    /// let mine = FalModelPrice(endpointID: "fal-ai/flux/dev", unitPrice: 0.02, unit: "image", currency: "USD")
    /// ```
    public init(endpointID: String, unitPrice: Decimal, unit: String, currency: String = "USD") {
        self.endpointID = endpointID
        self.unitPrice = unitPrice
        self.unit = unit
        self.currency = currency
    }

    /// Billing units counted per produced file.
    static let outputUnits: Set<String> = ["image", "images", "video", "videos", "audio", "output", "outputs", "file"]
    /// Billing units counted per second of produced media.
    static let secondUnits: Set<String> = [
        "second", "seconds", "video_second", "video_seconds", "audio_second", "audio_seconds", "output_second",
    ]
    /// Billing units counted per call.
    static let taskUnits: Set<String> = ["request", "requests", "call", "calls", "run", "runs", "task"]

    /// The price in MediaGenKit's vocabulary, or `nil` when it cannot be counted from a request.
    ///
    /// ```swift
    /// FalModelPrice(endpointID: "fal-ai/flux/dev", unitPrice: 0.025, unit: "image").price  // $0.025 per output
    /// FalModelPrice(endpointID: "fal-ai/x", unitPrice: 0.01, unit: "megapixel").price       // nil
    /// ```
    public var price: Price? {
        guard currency.uppercased() == "USD", unitPrice >= 0 else { return nil }
        let unit = unit.trimmingCharacters(in: .whitespaces).lowercased()
        if Self.outputUnits.contains(unit) { return Price(.usd(unitPrice), per: .output) }
        if Self.secondUnits.contains(unit) { return Price(.usd(unitPrice), per: .outputSecond) }
        if Self.taskUnits.contains(unit) { return Price(.usd(unitPrice), per: .task) }
        return nil
    }

    /// The entries of a pricing answer, `{"prices": [{"endpoint_id", "unit_price", "unit",
    /// "currency"}], "next_cursor", "has_more"}`; an entry missing a field is skipped.
    static func entries(in answer: JSONValue) -> [FalModelPrice] {
        (answer["prices"]?.arrayValue ?? []).compactMap { entry in
            guard let endpointID = entry["endpoint_id"]?.stringValue, !endpointID.isEmpty,
                let unitPrice = entry["unit_price"]?.decimalValue,
                let unit = entry["unit"]?.stringValue
            else { return nil }
            return FalModelPrice(
                endpointID: endpointID, unitPrice: unitPrice, unit: unit,
                currency: entry["currency"]?.stringValue ?? "USD")
        }
    }
}
