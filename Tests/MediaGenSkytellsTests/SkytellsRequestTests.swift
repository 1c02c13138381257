import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport
import Testing

@Suite("Skytells requests")
struct SkytellsRequestTests {
    @Test func createSendsTheSeedsDocumentedRequestExactly() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let input = SkytellsVideoInput(
            prompt: "A golden retriever running through autumn leaves in a park, slow motion, cinematic, 4K",
            duration: .seconds(5),
            aspectRatio: .landscape,
            fps: 24
        )
        let webhook = PredictionWebhook(
            url: try #require(URL(string: "https://yourapp.com/api/webhooks/skytells")), events: [.completed])
        let prediction = try await harness.client.createPrediction(.trueFusionVideoPro, input: input, webhook: webhook)

        #expect(prediction.id == "pred_vid_abc123")
        let request = try #require(harness.requests.first)
        #expect(request.method == .post)
        #expect(request.url.absoluteString == "https://api.skytells.ai/v1/predictions")
        #expect(request.headers["x-api-key"] == testKey)
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.headers["User-Agent"] == "MediaGenKit/\(MediaGenKitVersion.current) (skytells)")
        #expect(request.headers["Authorization"] == nil)
        // Seed 004's body, field for field.
        #expect(
            request.jsonBody == [
                "model": "truefusion-video-pro",
                "input": [
                    "prompt": "A golden retriever running through autumn leaves in a park, slow motion, cinematic, 4K",
                    "duration_seconds": 5,
                    "aspect_ratio": "16:9",
                    "fps": 24,
                ],
                "webhook": "https://yourapp.com/api/webhooks/skytells",
                "webhook_events_filter": ["completed"],
            ]
        )
    }

    @Test func seed000MusicRequestIsSentAsDocumented() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let input = BeatFusionInput(
            prompt: "Upbeat corporate background music, light piano and strings, professional, 120 BPM",
            duration: .seconds(30)
        )
        _ = try await harness.client.createPrediction(.beatFusion2, input: input)
        #expect(
            harness.requests.first?.jsonBody == [
                "model": "beatfusion-2.0",
                "input": [
                    "prompt": "Upbeat corporate background music, light piano and strings, professional, 120 BPM",
                    "duration_seconds": 30,
                ],
            ]
        )
    }

    @Test func predictEndpointSendsTheOfficialClientsWebhookObjectAndAwait() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-succeeded-list", 200)])
        let webhook = PredictionWebhook(
            url: try #require(URL(string: "https://yourapp.com/hooks")), events: [.completed, .failed])
        let input = BeatFusionInput(
            prompt: "ambient pads", duration: .seconds(10), seed: 7, bpm: 70, key: "A minor", lyrics: "la la")
        let prediction = try await harness.client.createPrediction(
            .beatFusion1,
            input: input,
            webhook: webhook,
            endpoint: .predict(waitForCompletion: true)
        )
        #expect(prediction.status == .succeeded)
        let request = try #require(harness.requests.first)
        #expect(request.url.path == "/v1/predict")
        #expect(
            request.jsonBody == [
                "model": "beatfusion-1.0",
                "input": [
                    "prompt": "ambient pads", "duration_seconds": 10, "seed": 7, "bpm": 70, "key": "A minor",
                    "lyrics": "la la",
                ],
                "webhook": ["url": "https://yourapp.com/hooks", "events": ["completed", "failed"]],
                "await": true,
            ]
        )
        // Waiting server-side: the timeout covers three times the model's longest typical time.
        #expect(request.timeout == .seconds(600))
    }

    @Test func eitherWebhookFormCanBeChosenExplicitly() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201), ("prediction-queued", 201)])
        let url = try #require(URL(string: "https://app.test/h?a=1+2"))
        let input: JSONValue = ["prompt": "x"]
        _ = try await harness.client.createPrediction(
            "custom-model", input: input, webhook: PredictionWebhook(url: url, events: [], form: .object))
        _ = try await harness.client.createPrediction(
            "custom-model",
            input: input,
            webhook: PredictionWebhook(url: url, events: [.started], form: .urlWithEventsFilter),
            endpoint: .predict(waitForCompletion: false)
        )
        #expect(harness.requests[0].jsonBody?["webhook"] == ["url": "https://app.test/h?a=1+2", "events": []])
        #expect(harness.requests[1].jsonBody?["webhook"] == "https://app.test/h?a=1+2")
        #expect(harness.requests[1].jsonBody?["webhook_events_filter"] == ["started"])
        #expect(harness.requests[1].jsonBody?["await"] == nil)
        #expect(harness.requests[1].timeout == .seconds(60))
    }

    @Test func getCancelDeleteAndStreamUseTheirDocumentedRoutes() async throws {
        let harness = SkytellsHarness(fixtures: [
            ("prediction-processing-progress", 200), ("prediction-cancelled", 200), ("prediction-canceled", 200),
            ("stream", 200),
        ])
        _ = try await harness.client.prediction(id: "pred_vid_abc123")
        let canceled = try await harness.client.cancelPrediction(id: "pred_vid_abc123")
        try await harness.client.deletePrediction(id: "pred_vid_abc123")
        let stream = try await harness.client.streamURL(id: "pred_vid_abc123")

        #expect(canceled.status == .canceled)
        #expect(stream?.absoluteString == "https://stream.skytells.ai/v1/predictions/pred_vid_abc123")
        let routes = harness.requests.map { "\($0.method) \($0.url.path)" }
        #expect(
            routes == [
                "GET /v1/predictions/pred_vid_abc123",
                "POST /v1/predictions/pred_vid_abc123/cancel",
                "DELETE /v1/predictions/pred_vid_abc123/delete",
                "GET /v1/predictions/pred_vid_abc123/stream",
            ]
        )
        #expect(harness.requests.allSatisfy { $0.headers["x-api-key"] == testKey && $0.body == nil })
    }

    @Test func listSendsPageDaysAndModel() async throws {
        let harness = SkytellsHarness(fixtures: [("predictions-page-1", 200)])
        let filter = PredictionFilter(
            from: Date(timeIntervalSince1970: 1_795_000_000),  // 2026-11-18
            to: Date(timeIntervalSince1970: 1_795_600_000),  // 2026-11-25
            model: .beatFusion2
        )
        let page = try await harness.client.predictionPage(filter, page: 1)
        #expect(page.data.count == 2)
        #expect(page.hasMore)
        let query = harness.requests.first?.queryItems.map { "\($0.name)=\($0.value ?? "")" }
        #expect(query == ["page=1", "from=2026-11-18", "to=2026-11-25", "model=beatfusion-2.0"])
    }

    @Test func listingIteratesEveryPageOnce() async throws {
        let harness = SkytellsHarness(fixtures: [("predictions-page-1", 200), ("predictions-page-2", 200)])
        var ids: [String] = []
        for try await prediction in harness.client.predictions() { ids.append(prediction.id) }
        #expect(ids == ["pred_1", "pred_2", "pred_3"])
        #expect(harness.requests.map { $0.queryItems.first?.value } == ["1", "2"])
    }

    @Test func aReversedDateRangeIsRefusedBeforeSending() async {
        let harness = SkytellsHarness(fixtures: [])
        let filter = PredictionFilter(
            from: Date(timeIntervalSince1970: 1_795_600_000), to: Date(timeIntervalSince1970: 1_795_000_000))
        let error = await mediaError { try await harness.client.predictionPage(filter) }
        #expect(
            error?.kind
                == .invalidRequest(field: "from", reason: "the range starts (2026-11-25) after it ends (2026-11-18)"))
        #expect(harness.requests.isEmpty)
    }

    @Test func modelsAPIAsksForSchemasOnlyWhenWanted() async throws {
        let harness = SkytellsHarness(fixtures: [("models-list", 200), ("models-list", 200), ("model-detail", 200)])
        _ = try await harness.client.models()
        let models = try await harness.client.models(includeSchemas: true)
        let detail = try await harness.client.model(named: .beatFusion2)

        #expect(models.map(\.name).first == "beatfusion-2.0")
        #expect(detail.inputSchema?["required"] == ["prompt"])
        #expect(harness.requests[0].url.absoluteString == "https://api.skytells.ai/v1/models")
        #expect(
            harness.requests[1].url.absoluteString
                == "https://api.skytells.ai/v1/models?fields=input_schema%2Coutput_schema")
        #expect(harness.requests[2].url.absoluteString == "https://api.skytells.ai/v1/model/beatfusion-2.0")
    }

    @Test func aCustomBaseURLIsUsed() async throws {
        let stub = StubTransport { _ in try fixtureResponse("prediction-queued") }
        let client = SkytellsClient(
            apiKey: testKey,
            configuration: ClientConfiguration(
                baseURL: URL(string: "http://127.0.0.1:9999/skytells/v1"), transport: stub)
        )
        _ = try await client.prediction(id: "p1")
        #expect(stub.requests.first?.url.absoluteString == "http://127.0.0.1:9999/skytells/v1/predictions/p1")
    }

    @Test func withoutAKeyNothingIsSent() async {
        let stub = StubTransport { _ in try fixtureResponse("prediction-queued") }
        let client = SkytellsClient(apiKey: nil, configuration: ClientConfiguration(transport: stub), environment: [:])
        let error = await mediaError { try await client.prediction(id: "p1") }
        #expect(error?.kind == .authentication)
        #expect(error?.description.contains("SKYTELLS_API_KEY") == true)
        #expect(stub.requests.isEmpty)
    }
}
