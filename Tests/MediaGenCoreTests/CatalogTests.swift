import Foundation
import MediaGenCore
import Testing

/// An exact decimal from its text (a float literal would go through `Double`).
private func decimal(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
}

extension MediaGenError {
    /// The field and reason of an `.invalidRequest`; `nil` for every other kind.
    fileprivate var invalidRequest: (field: String?, reason: String)? {
        guard case .invalidRequest = kind, let reason = kind.reason else { return nil }
        return (kind.field, reason)
    }
}

struct CatalogTests {
    static let provider = Provider("catalog", displayName: "Catalog Test", apiKeyEnvironmentVariable: nil)
    static let beatra = Currency.credits("Beatra credits", perUSD: 1000)

    static func model(
        price: Price?,
        typicalLatency: ClosedRange<Duration>? = nil,
        durationRange: ClosedRange<Duration>? = nil,
        outputsPerTask: Int = 1
    ) -> ModelDescriptor {
        ModelDescriptor(
            id: "beatfusion-2.0",
            provider: provider,
            displayName: "BeatFusion 2.0",
            kind: .music,
            price: price,
            typicalLatency: typicalLatency,
            durationRange: durationRange,
            outputsPerTask: outputsPerTask
        )
    }

    // MARK: Price

    @Test func perTaskPriceIgnoresDurationAndOutputs() {
        let price = Price(.usd(decimal("0.75")), per: .task)
        #expect(price.cost() == .usd(decimal("0.75")))
        #expect(price.cost(duration: .seconds(30)) == .usd(decimal("0.75")))
        #expect(price.cost(duration: .seconds(240), outputs: 4) == .usd(decimal("0.75")))
    }

    @Test func perOutputPriceCountsOutputs() {
        let price = Price(.usd(decimal("0.04")), per: .output)
        #expect(price.cost() == .usd(decimal("0.04")))
        #expect(price.cost(outputs: 4) == .usd(decimal("0.16")))
        #expect(price.cost(duration: .seconds(10), outputs: 2) == .usd(decimal("0.08")))
        #expect(price.cost(outputs: 0) == .zero(.usd))
        #expect(price.cost(outputs: -3) == .zero(.usd))
    }

    @Test func perSecondPriceNeedsADuration() {
        let price = Price(.usd(decimal("0.05")), per: .outputSecond)
        #expect(price.cost() == nil)
        #expect(price.cost(duration: nil, outputs: 2) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(10), "0.5"),
        (.seconds(0), "0"),
        (.milliseconds(2500), "0.125"),
        (.milliseconds(1), "0.00005"),
        (.seconds(1) + .nanoseconds(500_000_000), "0.075"),
    ])
    func perSecondPriceCountsFractionalSecondsExactly(_ duration: Duration, _ expected: String) {
        let price = Price(.usd(decimal("0.05")), per: .outputSecond)
        #expect(price.cost(duration: duration) == .usd(decimal(expected)))
    }

    @Test func perSecondPriceCountsEveryOutput() {
        let price = Price(.usd(decimal("0.05")), per: .outputSecond)
        #expect(price.cost(duration: .seconds(10), outputs: 3) == .usd(decimal("1.5")))
    }

    @Test func pricesInCreditsStayInCredits() {
        let price = Price(Money(80, Self.beatra), per: .task)
        #expect(price.cost() == Money(80, Self.beatra))
    }

    @Test func priceDescriptionNamesTheUnit() {
        #expect(Price(.usd(decimal("0.75")), per: .task).description == "$0.75 per task")
        #expect(Price(.usd(decimal("0.05")), per: .outputSecond).description == "$0.05 per second")
        #expect(Price(.usd(decimal("0.04")), per: .output).description == "$0.04 per output")
        #expect(Price(Money(80, Self.beatra), per: .task).description == "80 Beatra credits (≈ $0.08) per task")
    }

    @Test(arguments: [Price.Unit.task, .outputSecond, .output])
    func priceRoundTripsThroughJSON(_ unit: Price.Unit) throws {
        let price = Price(.usd(decimal("0.05")), per: unit)
        let data = try JSONEncoder().encode(price)
        #expect(try JSONDecoder().decode(Price.self, from: data) == price)
    }

    // MARK: ModelDescriptor cost

    @Test func estimateCostUsesOutputsPerTaskForPerOutputPrices() {
        let model = Self.model(price: Price(.usd(decimal("0.04")), per: .output), outputsPerTask: 4)
        #expect(model.estimateCost() == .usd(decimal("0.16")))
    }

    @Test func estimateCostUsesOutputsPerTaskForPerSecondPrices() {
        let model = Self.model(price: Price(.usd(decimal("0.05")), per: .outputSecond), outputsPerTask: 2)
        #expect(model.estimateCost(duration: .seconds(10)) == .usd(1))
        #expect(model.estimateCost() == nil)
    }

    @Test func estimateCostOfAPerTaskPriceIsThePrice() {
        let model = Self.model(price: Price(.usd(decimal("0.75")), per: .task), outputsPerTask: 2)
        #expect(model.estimateCost(duration: .seconds(30)) == .usd(decimal("0.75")))
    }

    @Test func estimateCostOfAnUnknownPriceIsNil() {
        #expect(Self.model(price: nil).estimateCost(duration: .seconds(30)) == nil)
    }

    // MARK: ModelDescriptor validation

    @Test(arguments: [Duration.seconds(5), .seconds(30), .milliseconds(119_500), .seconds(120)])
    func durationInsideTheRangeIsAccepted(_ duration: Duration) throws {
        let model = Self.model(price: nil, durationRange: .seconds(5)...(.seconds(120)))
        try model.validate(duration: duration, field: "duration")
    }

    @Test(arguments: [
        (Duration.seconds(3), "got 3 s"),
        (.milliseconds(4500), "got 4.5 s"),
        (.seconds(121), "got 121 s"),
        (.zero, "got 0 s"),
    ])
    func durationOutsideTheRangeNamesTheFieldAndTheRange(_ duration: Duration, _ got: String) {
        let model = Self.model(price: nil, durationRange: .seconds(5)...(.seconds(120)))
        let error = #expect(throws: MediaGenError.self) {
            try model.validate(duration: duration, field: "music_duration")
        }
        #expect(error?.invalidRequest?.field == "music_duration")
        #expect(error?.invalidRequest?.reason == "BeatFusion 2.0 accepts 5 s–120 s, \(got)")
        #expect(error?.provider == Self.provider)
        #expect(error?.description.contains("`music_duration`") == true)
    }

    @Test func anyDurationIsAcceptedWithoutARange() throws {
        try Self.model(price: nil).validate(duration: .seconds(100_000), field: "duration")
    }

    // MARK: ModelDescriptor polling

    @Test(arguments: [
        Duration.seconds(20)...(.seconds(60)),
        .seconds(120)...(.seconds(240)),
        .milliseconds(500)...(.seconds(2)),
    ])
    func pollingPolicyIsPacedByTheTypicalLatency(_ latency: ClosedRange<Duration>) {
        let model = Self.model(price: nil, typicalLatency: latency)
        #expect(model.pollingPolicy == PollingPolicy(typicalLatency: latency))
    }

    @Test func pollingPolicyWithoutALatencyIsTheDefault() {
        #expect(Self.model(price: nil).pollingPolicy == .default)
    }

    // MARK: ModelDescriptor identity and coding

    @Test func descriptorDescribesItselfOnOneLine() {
        let priced = Self.model(price: Price(.usd(decimal("0.75")), per: .task))
        #expect(priced.description == "BeatFusion 2.0 [catalog/beatfusion-2.0] music, $0.75 per task")
        #expect(Self.model(price: nil).description == "BeatFusion 2.0 [catalog/beatfusion-2.0] music, price unknown")
        #expect(priced.id == "beatfusion-2.0")
    }

    @Test func descriptorRoundTripsThroughJSON() throws {
        let model = ModelDescriptor(
            id: "truefusion-video-pro",
            provider: Self.provider,
            displayName: "TrueFusion Video Pro",
            kind: .video,
            price: Price(.usd(decimal("0.12")), per: .outputSecond),
            typicalLatency: .seconds(120)...(.milliseconds(240_500)),
            durationRange: .seconds(5)...(.seconds(10)),
            aspectRatios: ["16:9", "9:16", "1:1"],
            frameRates: [24, 30],
            outputsPerTask: 2,
            summary: "Cinematic clips with sound."
        )
        let data = try JSONEncoder().encode(model)
        let decoded = try JSONDecoder().decode(ModelDescriptor.self, from: data)
        #expect(decoded == model)
        #expect(decoded.typicalLatency == model.typicalLatency)
        #expect(decoded.durationRange == model.durationRange)
        #expect(decoded.price == model.price)
        #expect(decoded.provider.rawValue == "catalog")
    }

    @Test func descriptorWithUnknownFactsRoundTripsThroughJSON() throws {
        let model = Self.model(price: nil)
        let decoded = try JSONDecoder().decode(ModelDescriptor.self, from: JSONEncoder().encode(model))
        #expect(decoded == model)
        #expect(decoded.price == nil)
        #expect(decoded.typicalLatency == nil)
        #expect(decoded.durationRange == nil)
    }

    // MARK: ModelKind

    @Test(arguments: [
        (ModelKind.music, "music"), (.video, "video"), (.lipSync, "lip-sync"),
        (.musicVideo, "music-video"), (.productVideo, "product-video"),
    ])
    func modelKindsHaveStableRawValues(_ kind: ModelKind, _ rawValue: String) throws {
        #expect(kind.rawValue == rawValue)
        #expect(kind.description == rawValue)
        #expect(String(decoding: try JSONEncoder().encode(kind), as: UTF8.self) == "\"\(rawValue)\"")
    }

    @Test func unlistedModelKindStillDecodes() throws {
        let kind = try JSONDecoder().decode(ModelKind.self, from: Data(#""3d-scene""#.utf8))
        #expect(kind == ModelKind(rawValue: "3d-scene"))
        #expect(kind != .video)
    }
}
