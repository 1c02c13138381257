import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport
import Testing

@Suite("Skytells catalog, costs and budget")
struct SkytellsCatalogTests {
    // Seeds 000 and 004: id, price in cents, typical time in seconds (nil: not published), kind.
    static let documented: [(SkytellsModelID, Int, ClosedRange<Int64>?, ModelKind)] = [
        (.beatFusion2, 75, nil, .music),
        (.beatFusion1, 45, nil, .music),
        (.trueFusionVideoPro, 150, 60...60, .video),
        (.trueFusionVideo, 80, 45...45, .video),
        (.mera, 200, 120...300, .video),
        (.lumo, 120, 60...60, .video),
        (.lipFusion, 60, 30...60, .lipSync),
        (.veo31, 300, 120...240, .video),
        (.sora2, 250, 120...180, .video),
    ]

    @Test(arguments: documented)
    func everyDocumentedModelHasItsPriceLatencyAndKind(
        id: SkytellsModelID,
        cents: Int,
        seconds: ClosedRange<Int64>?,
        kind: ModelKind
    ) throws {
        let model = try #require(id.descriptor)
        #expect(model.price == Price(.usd(cents: cents), per: .task))
        #expect(model.typicalLatency == seconds.map { .seconds($0.lowerBound)...(.seconds($0.upperBound)) })
        #expect(model.kind == kind)
        #expect(model.provider == .skytells)
        #expect(model.estimateCost(duration: .seconds(10)) == .usd(cents: cents))
    }

    @Test func theCatalogListsExactlyTheNineDocumentedModels() {
        #expect(SkytellsCatalog.models.count == 9)
        #expect(Set(SkytellsCatalog.models.map(\.id)).count == 9)
        #expect(SkytellsClient(apiKey: testKey).catalog == SkytellsCatalog.models)
    }

    @Test func videoModelsListTheirInputLimits() throws {
        let model = try #require(SkytellsModelID.veo31.descriptor)
        #expect(model.aspectRatios == ["16:9", "9:16", "1:1", "4:3"])
        #expect(model.frameRates == [24, 30])
        #expect(model.durationRange == .seconds(3)...(.seconds(30)))
    }

    @Test func anUnlistedModelStillWorksWithAnUnknownPrice() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let model: SkytellsModelID = "truefusion-video-next"
        #expect(model.descriptor == nil)
        let input: JSONValue = ["prompt": "a forest", "duration_seconds": 8]
        _ = try await harness.client.createPrediction(model, input: input)
        #expect(harness.requests.first?.jsonBody?["model"] == "truefusion-video-next")
        #expect(try harness.client.estimateCost(of: VideoRequest(prompt: "x", model: "truefusion-video-next")) == nil)
    }

    @Test func costsAreEstimatedBeforeRunning() throws {
        let client = SkytellsClient(apiKey: testKey)
        #expect(try client.estimateCost(of: MusicRequest(prompt: "jazz", duration: .seconds(60))) == .usd(cents: 75))
        #expect(try client.estimateCost(of: MusicRequest(prompt: "jazz", model: "beatfusion-1.0")) == .usd(cents: 45))
        #expect(try client.estimateCost(of: VideoRequest(prompt: "x", model: "mera")) == .usd(cents: 200))
    }

    @Test func theBudgetRefusesAPredictionPastItWithoutSending() async {
        let budget = Budget(limit: .usd(cents: 200))
        let harness = SkytellsHarness(
            fixtures: [("prediction-queued", 201), ("prediction-queued", 201)], budget: budget)
        _ = try? await harness.client.generateVideo(VideoRequest(prompt: "x", model: "truefusion-video-pro"))
        let error = await mediaError {
            try await harness.client.generateVideo(VideoRequest(prompt: "y", model: "truefusion-video-pro"))
        }
        #expect(error?.kind == .budgetExceeded(estimate: .usd(cents: 150), remaining: .usd(cents: 50)))
        #expect(harness.requests.count == 1)
        #expect(await budget.spent == .usd(cents: 150))
    }

    @Test func theBudgetRefusesAnUnlistedModelWhosePriceIsUnknown() async {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)], budget: Budget(limit: .usd(10)))
        let input: JSONValue = ["prompt": "x"]
        let error = await mediaError { try await harness.client.createPrediction("mystery-model", input: input) }
        #expect(error?.message.contains("the price of mystery-model is unknown") == true)
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: [
        ("beatfusion-2.0", Price(.usd(cents: 75), per: .task)),
        ("truefusion-video-pro", Price(.usd(cents: 150), per: .task)),
        ("voice-clone", Price(.usd(Decimal(string: "0.002") ?? 0), per: .outputSecond)),
        ("clip-extender", Price(.usd(cents: 2), per: .outputSecond)),
    ])
    func modelsAPIPricingBecomesAPrice(name: String, price: Price) throws {
        let models = try JSONReader().decode([SkytellsModel].self, from: try fixture("models-list"))
        #expect(models.first { $0.name == name }?.price == price)
    }

    @Test func aModelsIdIsWhicheverOfNameAndNamespaceLooksLikeOne() throws {
        let models = try JSONReader().decode([SkytellsModel].self, from: try fixture("models-list"))
        #expect(models.first?.id == .beatFusion2)  // the id as `name`
        let display = try JSONReader().decode(
            SkytellsModel.self,
            from: Data(#"{"name": "BeatFusion 2.0", "namespace": "beatfusion-2.0", "type": "music"}"#.utf8)
        )
        #expect(display.id == .beatFusion2)  // a display name, the id as `namespace`
    }

    @Test func gpuPricingCannotBeEstimatedAndSaysSo() throws {
        let models = try JSONReader().decode([SkytellsModel].self, from: try fixture("models-list"))
        let gpu = try #require(models.first { $0.name == "gpu-sandbox" })
        #expect(gpu.pricing?.unit == "gpu")
        #expect(gpu.price == nil)
    }
}
