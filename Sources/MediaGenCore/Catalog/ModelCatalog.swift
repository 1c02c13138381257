/// The models of every provider you use, in one place, to choose by kind, price and speed.
///
/// ```swift
/// import MediaGenSkytells
/// import MediaGenBeatra
///
/// let catalog = ModelCatalog(SkytellsCatalog.models, BeatraCatalog.models)
/// let music = catalog.cheapest(.music, duration: .seconds(30))     // the lowest known price
/// let quick = catalog.models(.video, typicalLatencyUnder: .seconds(90))
/// ```
///
/// Prices in different currencies are compared in US dollars; a model whose price is unknown, or
/// in credits without a dollar rate, is never called the cheapest.
public struct ModelCatalog: Hashable, Sendable {
    public var models: [ModelDescriptor]

    public init(_ lists: [ModelDescriptor]...) {
        self.models = lists.flatMap { $0 }
    }

    /// The models of `kind`.
    public func models(_ kind: ModelKind) -> [ModelDescriptor] {
        models.filter { $0.kind == kind }
    }

    /// The model of `kind` with the lowest known price (in US dollars) for one task, among those
    /// that accept `duration`; ties go to the faster model.
    public func cheapest(_ kind: ModelKind, duration: Duration? = nil) -> ModelDescriptor? {
        let priced = models(kind).compactMap { model -> (ModelDescriptor, Money)? in
            if let duration, let range = model.durationRange, !range.contains(duration) { return nil }
            guard let cost = model.estimateCost(duration: duration)?.converted(to: .usd) else { return nil }
            return (model, cost)
        }
        return priced.min { lhs, rhs in
            if lhs.1.amount != rhs.1.amount { return lhs.1.amount < rhs.1.amount }
            return (lhs.0.typicalLatency?.upperBound ?? .seconds(Int64.max))
                < (rhs.0.typicalLatency?.upperBound ?? .seconds(Int64.max))
        }?.0
    }

    /// The models (of `kind`, if given) whose typical time is at most `limit`, fastest first.
    /// Models with no published latency are left out.
    public func models(_ kind: ModelKind? = nil, typicalLatencyUnder limit: Duration) -> [ModelDescriptor] {
        models.filter { model in
            guard kind == nil || model.kind == kind, let latency = model.typicalLatency else { return false }
            return latency.upperBound <= limit
        }
        .sorted { ($0.typicalLatency?.upperBound ?? .zero) < ($1.typicalLatency?.upperBound ?? .zero) }
    }

    /// The entry for a provider's model id.
    public func model(_ id: String, provider: Provider) -> ModelDescriptor? {
        models.first { $0.id == id && $0.provider == provider }
    }
}
