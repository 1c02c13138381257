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
    /// What the API says a model costs: an amount per unit (`prediction`, `image`, `video`,
    /// `second`, `audio_second`, `video_second`, `5 seconds`, `minute`, `gpu`, `computing_second`,
    /// `image_megapixel`, `token`, `million_token`), and the prices that replace it when an input
    /// takes a given value (`criterias`).
    public struct Pricing: Hashable, Sendable, Decodable {
        /// A price that applies when the input's `field` equals `value` (operator `equals` or `==`).
        public struct Criterion: Hashable, Sendable, Decodable {
            public let field: String
            public let description: String?
            public let `operator`: String?
            public let value: JSONValue
            public let billablePrice: Decimal
            public let unit: String?

            private enum CodingKeys: String, CodingKey {
                case field, description, `operator`, value, unit
                case billablePrice = "billable_price"
            }

            /// Whether `input` meets the criterion; unknown operators never match.
            func matches(_ input: JSONValue) -> Bool {
                guard [nil, "equals", "=="].contains(`operator`), let given = input[field] else { return false }
                return given == value
            }
        }

        public let amount: Decimal
        public let currency: String?
        public let unit: String?
        /// Input-dependent prices (the API's `criterias`); empty when the price does not depend on the input.
        public let criteria: [Criterion]

        private enum CodingKeys: String, CodingKey {
            case amount, currency, unit
            case criteria = "criterias"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            amount = try container.decode(Decimal.self, forKey: .amount)
            currency = try container.decodeIfPresent(String.self, forKey: .currency)
            unit = try container.decodeIfPresent(String.self, forKey: .unit)
            criteria = try container.decodeIfPresent([Criterion].self, forKey: .criteria) ?? []
        }
    }

    /// Who publishes the model.
    public struct Vendor: Hashable, Sendable, Decodable {
        public let name: String
        public let slug: String?
        public let verified: Bool?
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
    public let vendor: Vendor?
    /// What the model does (`text-to-video`, …), as the API lists it.
    public let capabilities: [String]?
    /// JSON Schema of the input, when asked for with `includeSchemas`.
    public let inputSchema: JSONValue?
    public let outputSchema: JSONValue?

    private enum CodingKeys: String, CodingKey {
        case name, description, namespace, type, privacy, status, billable, pricing, vendor, capabilities
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
    /// (GPU time, compute seconds, megapixels and tokens cannot be known before running).
    ///
    /// ```swift
    /// let video = try await skytells.model(named: .trueFusionVideoPro)
    /// if let price = video.price { print(price) }
    /// ```
    public var price: Price? {
        guard let pricing else { return nil }
        return Self.price(pricing.amount, unit: pricing.unit, currency: pricing.currency)
    }

    /// The price for one input: the base ``price``, or the price of the criterion the input meets
    /// (`{"resolution": "1080p"}` meets `resolution equals 1080p`). When the input meets several,
    /// the highest is taken, so a budget never counts less than Skytells may charge.
    ///
    /// ```swift
    /// let model = try await skytells.model(named: "mars-video")
    /// let price = model.price(for: ["prompt": "a lighthouse", "resolution": "1080p"])
    /// ```
    public func price(for input: JSONValue) -> Price? {
        guard let pricing else { return nil }
        let met = pricing.criteria.filter { $0.matches(input) }
        guard !met.isEmpty else { return price }
        let prices = met.compactMap {
            Self.price($0.billablePrice, unit: $0.unit ?? pricing.unit, currency: pricing.currency)
        }
        guard prices.count == met.count else { return nil }
        return prices.max { $0.amount.amount < $1.amount.amount }
    }

    private static func price(_ amount: Decimal, unit: String?, currency: String?) -> Price? {
        guard (currency ?? "USD").uppercased() == "USD" else { return nil }
        switch unit?.lowercased().trimmingCharacters(in: .whitespaces) {
        case nil, "prediction", "request", "run":
            return Price(.usd(amount), per: .task)
        case "second", "audio_second", "video_second":
            return Price(.usd(amount), per: .outputSecond)
        case "minute":
            return Price(Money(amount / 60, .usd), per: .outputSecond)
        case "5 seconds":
            return Price(Money(amount / 5, .usd), per: .outputSecond)
        case "image", "video", "output", "file":
            return Price(.usd(amount), per: .output)
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
