/// What a model makes.
public struct ModelKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let music = ModelKind(rawValue: "music")
    public static let video = ModelKind(rawValue: "video")
    public static let lipSync = ModelKind(rawValue: "lip-sync")
    public static let musicVideo = ModelKind(rawValue: "music-video")
    public static let productVideo = ModelKind(rawValue: "product-video")

    public var description: String { rawValue }
}

/// One model of a provider's catalog: what it makes, what it costs, how long it takes, what it accepts.
///
/// ```swift
/// let model = ModelDescriptor(
///     id: "beatfusion-2.0", provider: .skytells, displayName: "BeatFusion 2.0", kind: .music,
///     price: Price(.usd(0.75), per: .task), typicalLatency: .seconds(20)...(.seconds(60)),
///     durationRange: .seconds(5)...(.seconds(120)))
/// print(model.estimateCost(duration: .seconds(30)) ?? "price unknown")  // $0.75
/// let policy = model.pollingPolicy  // paced by the typical latency
/// ```
///
/// Unknown facts stay `nil`: a price nobody published is never invented.
public struct ModelDescriptor: Hashable, Sendable, Codable, Identifiable, CustomStringConvertible {
    /// The id the provider's API takes, such as `"truefusion-video-pro"`.
    public var id: String
    public var provider: Provider
    public var displayName: String
    public var kind: ModelKind
    /// `nil` when the provider has not published a price.
    public var price: Price?
    /// How long a task usually takes, from the provider's documentation.
    public var typicalLatency: ClosedRange<Duration>?
    /// The output durations the model accepts.
    public var durationRange: ClosedRange<Duration>?
    /// Accepted aspect ratios such as `"16:9"`; empty when not applicable or not limited.
    public var aspectRatios: [String]
    /// Accepted frame rates; empty when not applicable or not limited.
    public var frameRates: [Int]
    /// How many files one task produces.
    public var outputsPerTask: Int
    /// What the provider recommends the model for.
    public var summary: String

    public init(
        id: String,
        provider: Provider,
        displayName: String,
        kind: ModelKind,
        price: Price?,
        typicalLatency: ClosedRange<Duration>? = nil,
        durationRange: ClosedRange<Duration>? = nil,
        aspectRatios: [String] = [],
        frameRates: [Int] = [],
        outputsPerTask: Int = 1,
        summary: String = ""
    ) {
        self.id = id
        self.provider = provider
        self.displayName = displayName
        self.kind = kind
        self.price = price
        self.typicalLatency = typicalLatency
        self.durationRange = durationRange
        self.aspectRatios = aspectRatios
        self.frameRates = frameRates
        self.outputsPerTask = outputsPerTask
        self.summary = summary
    }

    /// What one task would cost, or `nil` when the price is unknown (or per second and no duration is given).
    public func estimateCost(duration: Duration? = nil) -> Money? {
        price?.cost(duration: duration, outputs: outputsPerTask)
    }

    /// The polling pace for this model's tasks, from its typical latency.
    public var pollingPolicy: PollingPolicy {
        typicalLatency.map(PollingPolicy.init(typicalLatency:)) ?? .default
    }

    /// Checks `duration` against ``durationRange``; throws an invalid-request error naming `field`.
    public func validate(duration: Duration, field: String) throws(MediaGenError) {
        guard let range = durationRange, !range.contains(duration) else { return }
        throw .invalidInput(
            field,
            "\(displayName) accepts \(MediaGenError.format(range.lowerBound))–\(MediaGenError.format(range.upperBound)), got \(MediaGenError.format(duration))",
            provider: provider
        )
    }

    public var description: String {
        "\(displayName) [\(provider.rawValue)/\(id)] \(kind), \(price.map(String.init(describing:)) ?? "price unknown")"
    }
}
