import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport
import Testing

/// The reads Skytells' sources document beyond the seeds: the list in both answers and with a page
/// size, the models with every pricing unit and input-dependent prices, a model by either route,
/// and `POST /v1/predict` with `await` answered finished or still pending.
@Suite("Skytells reads")
struct SkytellsReadTests {
    // MARK: - List

    @Test func theReferencesBareArrayIsOnePageWithoutPagination() async throws {
        let harness = SkytellsHarness(fixtures: [("predictions-list-array", 200)])
        let page = try await harness.client.predictionPage()
        #expect(page.items.map(\.id) == ["pred_abc123", "pred_abc124"])
        #expect(page.items.map(\.status.case) == [.succeeded, .running])
        #expect(page.items.first?.outputs.map(\.url.lastPathComponent) == ["pred_abc123.png"])
        #expect(page.pagination == nil)
        #expect(!page.hasMore)
        #expect(page.nextCursor == nil)
    }

    @Test func listingABareArrayAsksOnce() async throws {
        let harness = SkytellsHarness(fixtures: [("predictions-list-array", 200)])
        var ids: [String] = []
        for try await prediction in harness.client.predictions() { ids.append(prediction.id) }
        #expect(ids == ["pred_abc123", "pred_abc124"])
        #expect(harness.requests.count == 1)
    }

    @Test func aPageSizeIsSentAsPerPage() async throws {
        let harness = SkytellsHarness(fixtures: [("predictions-page-1", 200)])
        _ = try await harness.client.predictionPage(PredictionFilter(model: .beatFusion2, perPage: 2), page: 3)
        let query = harness.requests.first?.queryItems.map { "\($0.name)=\($0.value ?? "")" }
        #expect(query == ["page=3", "per_page=2", "model=beatfusion-2.0"])
    }

    @Test(arguments: [0, -1, 51, Int.max, Int.min])
    func aPageSizeOutsideOneToFiftyIsRefusedBeforeSending(perPage: Int) async {
        let harness = SkytellsHarness(fixtures: [])
        let error = await mediaError { try await harness.client.predictionPage(PredictionFilter(perPage: perPage)) }
        #expect(error?.kind == .invalidRequest(field: "per_page", reason: "\(perPage) is outside 1–50"))
        #expect(harness.requests.isEmpty)
    }

    /// The list's own errors (API reference, prediction errors, "GET /v1/predictions — list").
    @Test(
        arguments: [
            ("error-list-per-page", 400, "invalidRequest", "INVALID_PARAMETER"),
            ("error-list-date-format", 400, "invalidRequest", "INVALID_DATE_FORMAT"),
            ("error-list-parameter-combination", 400, "invalidRequest", "INVALID_PARAMETER_COMBINATION"),
            ("error-list-model-filter", 404, "notFound", "MODEL_NOT_FOUND"),
        ] as [(String, Int, String, String)])
    func theListsErrorsKeepTheirCode(fixtureName: String, status: Int, kind: String, code: String) async throws {
        let harness = SkytellsHarness(fixtures: [(fixtureName, status)])
        let error = await mediaError { try await harness.client.predictionPage() }
        let message = try JSONReader().decode(JSONValue.self, from: try fixture(fixtureName))["error"]?["message"]
        #expect(error.map { SkytellsErrorTests.name(of: $0.kind) } == kind)
        #expect(error?.providerCode == code)
        #expect(error?.message == message?.stringValue)
        #expect(error?.httpStatus == status)
        #expect(harness.requests.count == 1)  // a 4xx is not asked again
    }

    // MARK: - Models

    @Test(
        arguments: [
            ("truefusion-video", "video", Price(.usd(cents: 60), per: .output)),
            ("truefusion", "image", Price(.usd(cents: 2), per: .output)),
            ("longform", "minute", Price(.usd(Decimal(string: "0.015") ?? 0), per: .outputSecond)),
            ("mars-video", "video_second", Price(.usd(cents: 10), per: .outputSecond)),
            ("upscaler", "image_megapixel", nil),
            ("deepbrain", "million_token", nil),
        ] as [(String, String, Price?)])
    func everyPricingUnitIsReadOrSaidUnknowable(name: String, unit: String, price: Price?) throws {
        let models = try JSONReader().decode([SkytellsModel].self, from: try fixture("models-pricing-units"))
        let model = try #require(models.first { $0.name == name })
        #expect(model.pricing?.unit == unit)
        #expect(model.price == price)
        #expect(model.vendor?.slug == "skytells")
    }

    @Test(
        arguments: [
            (["prompt": "a lighthouse"] as JSONValue, Price(.usd(cents: 10), per: .outputSecond)),
            (
                ["prompt": "a lighthouse", "resolution": "1080p"] as JSONValue,
                Price(.usd(cents: 20), per: .outputSecond)
            ),
            (["prompt": "a lighthouse", "audio": true] as JSONValue, Price(.usd(cents: 15), per: .outputSecond)),
            // Both criteria met: the higher price, so a budget never counts less than the charge.
            (["resolution": "1080p", "audio": true] as JSONValue, Price(.usd(cents: 20), per: .outputSecond)),
            (["resolution": "720p", "audio": false] as JSONValue, Price(.usd(cents: 10), per: .outputSecond)),
        ] as [(JSONValue, Price)])
    func aCriterionTheInputMeetsSetsThePrice(input: JSONValue, price: Price) throws {
        let models = try JSONReader().decode([SkytellsModel].self, from: try fixture("models-pricing-units"))
        let model = try #require(models.first { $0.name == "mars-video" })
        #expect(model.pricing?.criteria.map(\.field) == ["resolution", "audio"])
        #expect(
            model.pricing?.criteria.map(\.billablePrice) == [Decimal(string: "0.2") ?? 0, Decimal(string: "0.15") ?? 0])
        #expect(model.price(for: input) == price)
        #expect(model.capabilities == ["text-to-video"])
    }

    @Test func aModelIsReadAtTheSDKsRouteWithSchemasWhenAsked() async throws {
        let harness = SkytellsHarness(fixtures: [("model-detail", 200)])
        let model = try await harness.client.model(named: .beatFusion2, includeSchemas: true)
        #expect(model.inputSchema?["required"] == ["prompt"])
        #expect(
            harness.requests.map(\.url.absoluteString) == [
                "https://api.skytells.ai/v1/model/beatfusion-2.0?fields=input_schema%2Coutput_schema"
            ])
    }

    @Test func whenTheSDKsRouteDoesNotExistTheReferencesRouteIsAsked() async throws {
        let harness = SkytellsHarness(fixtures: [("error-endpoint-not-found", 404), ("model-detail", 200)])
        let model = try await harness.client.model(named: .beatFusion2)
        #expect(model.id == .beatFusion2)
        #expect(
            harness.requests.map(\.url.path) == ["/v1/model/beatfusion-2.0", "/v1/models/beatfusion-2.0"])
    }

    @Test func anUnknownModelIsNotAskedTwice() async {
        let harness = SkytellsHarness(fixtures: [("error-structured-model-not-found", 404)])
        let error = await mediaError { try await harness.client.model(named: "no-such-model") }
        #expect(error?.kind == .notFound)
        #expect(error?.providerCode == "MODEL_NOT_FOUND")
        #expect(harness.requests.count == 1)
    }

    // MARK: - POST /v1/predict with await

    @Test func anAwaitedImageComesBackFinished() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-await-succeeded", 200)])
        let prediction = try await harness.client.createPrediction(
            "truefusion", input: ["prompt": "a cat in a spaceship"] as JSONValue,
            endpoint: .predict(waitForCompletion: true))
        #expect(prediction.status == .succeeded)
        #expect(prediction.outputs.map(\.url.absoluteString) == ["https://cdn.skytells.ai/outputs/pred_abc123.png"])
        #expect(harness.requests.count == 1)
    }

    /// Skytells' TypeScript SDK (docs/Prediction.md): video and audio models ignore `await` and
    /// answer pending; the prediction is then followed like any other, and created once.
    @Test func anAwaitedVideoThatComesBackPendingIsFollowedToItsEnd() async throws {
        let answers = Locked([
            ("prediction-await-video-pending", 200), ("prediction-processing-progress", 200),
            ("prediction-succeeded-list", 200),
        ])
        let harness = SkytellsHarness { _ in
            let (name, status) = answers.withLock { $0.removeFirst() }
            return try fixtureResponse(name, status: status)
        }
        let pending = try await harness.client.createPrediction(
            .trueFusionVideoPro, input: SkytellsVideoInput(prompt: "a lighthouse at dusk"),
            endpoint: .predict(waitForCompletion: true))
        #expect(pending.status.case == .queued)
        let done = try await harness.client.wait(for: pending)
        #expect(done.status == .succeeded)
        #expect(harness.requests.filter { $0.method == .post }.count == 1)
        #expect(harness.requests.map(\.url.path).first == "/v1/predict")
    }
}
