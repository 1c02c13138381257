import Foundation
import MediaGenCore
import Testing

@Suite("ModelCatalog across providers")
struct ModelCatalogTests {
    static let other = Provider("other", displayName: "Other", apiKeyEnvironmentVariable: nil)
    static let credits = Currency.credits("Other credits", perUSD: 1000)

    static func model(
        _ id: String,
        _ provider: Provider,
        _ kind: ModelKind,
        price: Price?,
        latency: ClosedRange<Int64>? = nil,
        durations: ClosedRange<Int64>? = nil
    ) -> ModelDescriptor {
        ModelDescriptor(
            id: id,
            provider: provider,
            displayName: id,
            kind: kind,
            price: price,
            typicalLatency: latency.map { .seconds($0.lowerBound)...(.seconds($0.upperBound)) },
            durationRange: durations.map { .seconds($0.lowerBound)...(.seconds($0.upperBound)) }
        )
    }

    let catalog = ModelCatalog(
        [
            model("premium-music", .acme, .music, price: Price(.usd(cents: 75), per: .task), durations: 5...120),
            model("cheap-music", .acme, .music, price: Price(.usd(cents: 45), per: .task), durations: 5...120),
            model("fast-video", .acme, .video, price: Price(.usd(cents: 80), per: .task), latency: 45...45),
            model("slow-video", .acme, .video, price: Price(.usd(cents: 200), per: .task), latency: 120...300),
        ],
        [
            model("credit-music", other, .music, price: Price(Money(50, credits), per: .task), durations: 10...240),
            model("mystery-music", other, .music, price: nil),
            model(
                "unrated-music", other, .music,
                price: Price(Money(10, .credits("Unrated credits", perUSD: nil)), per: .task)),
            model(
                "per-second-video", other, .video, price: Price(.usd(cents: 5), per: .outputSecond), latency: 20...40),
        ]
    )

    @Test func theCheapestComparesCurrenciesInDollars() {
        // 50 credits at 1000 per dollar is $0.05: cheaper than $0.45.
        #expect(catalog.cheapest(.music)?.id == "credit-music")
    }

    @Test func theCheapestMustAcceptTheDuration() {
        // credit-music starts at 10 s; for 6 s the cheapest that takes it is cheap-music.
        #expect(catalog.cheapest(.music, duration: .seconds(6))?.id == "cheap-music")
        #expect(catalog.cheapest(.music, duration: .seconds(200))?.id == "credit-music")
        #expect(catalog.cheapest(.music, duration: .seconds(500)) == nil)
    }

    @Test func perSecondPricesUseTheDuration() {
        // 10 s at $0.05/s = $0.50, less than $0.80; 20 s = $1.00, more.
        #expect(catalog.cheapest(.video, duration: .seconds(10))?.id == "per-second-video")
        #expect(catalog.cheapest(.video, duration: .seconds(20))?.id == "fast-video")
    }

    @Test func unknownAndUnconvertiblePricesAreNeverTheCheapest() {
        let onlyUnknown = ModelCatalog(catalog.models.filter { $0.id == "mystery-music" || $0.id == "unrated-music" })
        #expect(onlyUnknown.cheapest(.music) == nil)
    }

    @Test func modelsUnderALatencyAreListedFastestFirst() {
        #expect(
            catalog.models(.video, typicalLatencyUnder: .seconds(60)).map(\.id) == ["per-second-video", "fast-video"])
        #expect(
            catalog.models(typicalLatencyUnder: .seconds(600)).map(\.id) == [
                "per-second-video", "fast-video", "slow-video",
            ])
    }

    @Test func modelsAreFoundByKindAndByProviderAndId() {
        #expect(catalog.models(.music).count == 5)
        #expect(catalog.model("slow-video", provider: .acme)?.price == Price(.usd(cents: 200), per: .task))
        #expect(catalog.model("slow-video", provider: Self.other) == nil)
    }
}
