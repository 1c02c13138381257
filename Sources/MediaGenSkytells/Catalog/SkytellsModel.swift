import Foundation
import MediaGenCore

/// A model as the Skytells Models API describes it (`GET /v1/models`, `GET /v1/model/{slug}`).
///
/// ```swift
/// let models = try await skytells.models(includeSchemas: true)
/// for model in models where model.type == "video" {
///     print(model.name, model.price.map(String.init(describing:)) ?? "price not given")
/// }
/// ```
public struct SkytellsModel: Hashable, Sendable, Decodable {
    /// What the API says a model costs: an amount per unit (`prediction`, `second`, `audio_second`,
    /// `video_second`, `image`, `gpu`, `minute`, `5 seconds`…).
    public struct Pricing: Hashable, Sendable, Decodable {
        public let amount: Decimal
        public let currency: String?
        public let unit: String?
    }

    public let name: String
    public let description: String?
    public let namespace: String?
    /// `image`, `video`, `audio`, `music`, `text`, `code` or `multimodal`.
    public let type: String?
    public let privacy: String?
    public let status: String?
    public let billable: Bool?
    public let pricing: Pricing?
    /// JSON Schema of the input, when asked for with `includeSchemas`.
    public let inputSchema: JSONValue?
    public let outputSchema: JSONValue?

    private enum CodingKeys: String, CodingKey {
        case name, description, namespace, type, privacy, status, billable, pricing
        case inputSchema = "input_schema"
        case outputSchema = "output_schema"
    }

    /// The id to create predictions with. Answers differ: some give the id as `name`, others a
    /// display name there (`"BeatFusion 2.0"`) and the id as `namespace`. The one that looks like an
    /// id (no spaces, lowercase) wins.
    public var id: SkytellsModelID {
        let looksLikeID = { (text: String) in !text.contains(" ") && text == text.lowercased() }
        if looksLikeID(name) { return SkytellsModelID(rawValue: name) }
        return SkytellsModelID(rawValue: namespace.flatMap { looksLikeID($0) ? $0 : nil } ?? name)
    }

    /// The pricing as a `Price` when its unit and currency have a meaning here; `nil` otherwise
    /// (GPU time, for example, cannot be estimated before running).
    public var price: Price? {
        guard let pricing, (pricing.currency ?? "USD").uppercased() == "USD" else { return nil }
        let amount = Money.usd(pricing.amount)
        switch pricing.unit?.lowercased().trimmingCharacters(in: .whitespaces) {
        case nil, "prediction", "request", "run":
            return Price(amount, per: .task)
        case "second", "audio_second", "video_second":
            return Price(amount, per: .outputSecond)
        case "minute":
            return Price(Money(pricing.amount / 60, .usd), per: .outputSecond)
        case "5 seconds":
            return Price(Money(pricing.amount / 5, .usd), per: .outputSecond)
        case "image", "output", "file":
            return Price(amount, per: .output)
        default:
            return nil
        }
    }
}

/// The models list, as an array or wrapped in `{"data": [...]}`.
struct SkytellsModelList: Decodable {
    let models: [SkytellsModel]

    init(from decoder: any Decoder) throws {
        if let list = try? [SkytellsModel](from: decoder) {
            models = list
        } else {
            struct Wrapped: Decodable { let data: [SkytellsModel] }
            models = try Wrapped(from: decoder).data
        }
    }
}

/// A model answer, bare or wrapped in `{"data": {...}}`.
struct SkytellsModelEnvelope: Decodable {
    let model: SkytellsModel

    init(from decoder: any Decoder) throws {
        if let model = try? SkytellsModel(from: decoder) {
            self.model = model
        } else {
            struct Wrapped: Decodable { let data: SkytellsModel }
            model = try Wrapped(from: decoder).data
        }
    }
}
