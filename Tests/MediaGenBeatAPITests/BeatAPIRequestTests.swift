import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("BeatAPI requests")
struct BeatAPIRequestTests {
    @Test func createMusicVideoSendsTheSeedsRequestExactly() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)])
        let task = try await harness.client.createTask(Sample.seedInput)

        #expect(task.id == "task_8K2qA")
        let request = try #require(harness.requests.first)
        #expect(harness.requests.count == 1)
        #expect(request.method == .post)
        #expect(request.url.absoluteString == "https://api.beatapi.io/v1/music-video/tasks")
        #expect(request.headers["Authorization"] == "Bearer \(testKey)")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.headers["User-Agent"] == "MediaGenKit/\(MediaGenKitVersion.current) (beatapi)")
        let key = try #require(request.headers["Idempotency-Key"])
        #expect(UUID(uuidString: key) != nil)
        // Seed 002's `--data`, field for field.
        #expect(request.json == (try fixtureJSON("music-video-request")))
    }

    @Test func theSameInputAlwaysSendsTheSameBytes() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201), ("task-queued", 201)])
        _ = try await harness.client.createTask(Sample.seedInput)
        _ = try await harness.client.createTask(Sample.seedInput)
        let bodies = harness.requests.compactMap(\.body).map { String(decoding: $0, as: UTF8.self) }
        let expected =
            #"{"audio_url":"https://cdn.example.com/song-preview.mp3","images":["https://cdn.example.com/singer-reference.png"],"#
            + #""language":"en","prompt":"Neon rooftop performance with metro cutaways and cinematic light trails.","#
            + #""resolution":"720p"}"#
        #expect(bodies == [expected, expected])
    }

    @Test func aCallersIdempotencyKeyIsSentAsGiven() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)])
        _ = try await harness.client.createTask(Sample.seedInput, idempotencyKey: "order-1234-video")
        #expect(harness.requests.first?.headers["Idempotency-Key"] == "order-1234-video")
    }

    @Test func everyCreateGetsItsOwnKey() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201), ("task-queued", 201)])
        _ = try await harness.client.createTask(Sample.seedInput)
        _ = try await harness.client.createTask(Sample.seedInput)
        let keys = harness.requests.compactMap { $0.headers["Idempotency-Key"] }
        #expect(keys.count == 2)
        #expect(Set(keys).count == 2)
    }

    @Test func fieldsBeyondTheDescriptionGoInAdditionalFieldsAndResolutionMayBeLeftToBeatAPI() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)])
        var input = MusicVideoInput(
            imageURLs: [Sample.image, URL(string: "https://cdn.example.com/b.jpg")!], audioURL: Sample.audio,
            prompt: "Rainy city", language: .chinese, additionalFields: ["seed": 7])
        input.quality = .high
        input.lipSync = false
        _ = try await harness.client.createTask(input)
        #expect(
            harness.requests.first?.json == [
                "images": ["https://cdn.example.com/singer-reference.png", "https://cdn.example.com/b.jpg"],
                "audio_url": "https://cdn.example.com/song-preview.mp3",
                "prompt": "Rainy city",
                "language": "zh",
                "quality": "high",
                "lip_sync": false,
                "seed": 7,
            ])
    }

    @Test func createEcommerceVideoSendsItsFields() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-ecommerce-queued", 201)])
        let task = try await harness.client.createTask(Sample.ecommerce)
        #expect(task.workflow == .ecommerceVideo)
        let request = try #require(harness.requests.first)
        #expect(request.route == "POST /v1/ecommerce-video/tasks")
        #expect(request.headers["Idempotency-Key"] != nil)
        #expect(request.headers["Authorization"] == "Bearer \(testKey)")
        #expect(
            request.json == [
                "images": ["https://cdn.example.com/bottle.png"],
                "prompt": "Launch ad",
                "language": "en",
                "duration": 15,
                "aspect_ratio": "9:16",
            ])
    }

    @Test func readsUseTheirDocumentedRoutesWithoutBodyOrKey() async throws {
        let harness = BeatAPIHarness(fixtures: [
            ("workflows", 200), ("task-processing", 200), ("usage", 200), ("webhook-endpoints", 200),
            ("webhook-endpoint", 200),
        ])
        let workflows = try await harness.client.listWorkflows()
        let task = try await harness.client.task(id: "task_8K2qA")
        let usage = try await harness.client.usage()
        let endpoints = try await harness.client.listWebhookEndpoints()
        let endpoint = try await harness.client.webhookEndpoint(id: "wh_Hk3mP9qZ")

        #expect(workflows.data.map(\.id) == [.musicVideo, .ecommerceVideo])
        #expect(task.rawStatus == "processing")
        #expect(usage.concurrency?.limit == 10)
        #expect(endpoints.data.map(\.id) == ["wh_Hk3mP9qZ"])
        #expect(endpoint.status == .disabled)
        #expect(
            harness.routes == [
                "GET /v1/workflows", "GET /v1/tasks/task_8K2qA", "GET /v1/usage", "GET /v1/webhooks",
                "GET /v1/webhooks/wh_Hk3mP9qZ",
            ])
        for request in harness.requests {
            #expect(request.body == nil)
            #expect(request.headers["Idempotency-Key"] == nil)
            #expect(request.headers["Authorization"] == "Bearer \(testKey)")
            #expect(request.url.query == nil)
        }
    }

    @Test func idsArePercentEncodedIntoOnePathSegment() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-processing", 200)])
        _ = try await harness.client.task(id: "task/../usage")
        #expect(harness.requests.first?.url.absoluteString == "https://api.beatapi.io/v1/tasks/task%2F..%2Fusage")
    }

    @Test func webhookEndpointsAreCreatedUpdatedAndDeletedAsDocumented() async throws {
        let harness = BeatAPIHarness(fixtures: [
            ("webhook-endpoint-created", 201), ("webhook-endpoint", 200), ("webhook-endpoint-deleted", 200),
        ])
        let hook = try #require(URL(string: "https://app.example.com/hooks/beatapi?team=a+b"))
        let created = try await harness.client.createWebhookEndpoint(
            url: hook, events: [.taskSucceeded, .taskFailed], description: "production", status: .active)
        let updated = try await harness.client.updateWebhookEndpoint(
            id: created.endpoint.id, events: [.taskSucceeded], status: .disabled)
        let deleted = try await harness.client.deleteWebhookEndpoint(id: created.endpoint.id)

        #expect(created.secret?.value == "whsec_TEST_ONLY_dummy_value_0000")
        #expect(updated.events == [.taskSucceeded])
        #expect(deleted.deleted)
        #expect(
            harness.routes == [
                "POST /v1/webhooks", "PATCH /v1/webhooks/wh_Hk3mP9qZ", "DELETE /v1/webhooks/wh_Hk3mP9qZ",
            ])
        let create = harness.requests[0]
        // BeatAPI documents no Idempotency-Key for webhook endpoints: none is sent.
        #expect(create.headers["Idempotency-Key"] == nil)
        #expect(
            create.json == [
                "url": "https://app.example.com/hooks/beatapi?team=a+b",
                "events": ["task.succeeded", "task.failed"],
                "description": "production",
                "status": "active",
            ])
        #expect(harness.requests[1].json == ["events": ["task.succeeded"], "status": "disabled"])
        #expect(harness.requests[1].headers["Idempotency-Key"] == nil)
        #expect(harness.requests[2].body == nil)
    }

    @Test func aBodilessDeleteAnswerIsADeletion() async throws {
        let harness = BeatAPIHarness { _ in HTTPResponse(status: 204) }
        let deleted = try await harness.client.deleteWebhookEndpoint(id: "wh_1")
        #expect(deleted.deleted)
        #expect(deleted.id == "wh_1")
    }

    @Test func theBaseURLCanBeOverridden() async throws {
        let base = try #require(URL(string: "http://127.0.0.1:8089/beatapi/v1/"))
        let harness = BeatAPIHarness(baseURL: base) { _ in try fixtureResponse("usage") }
        _ = try await harness.client.usage()
        #expect(harness.requests.first?.url.absoluteString == "http://127.0.0.1:8089/beatapi/v1/usage")
    }

    @Test func theKeyIsReadFromTheEnvironmentByDefault() async throws {
        let stub = StubTransport { _ in try fixtureResponse("usage") }
        let client = BeatAPIClient(
            configuration: ClientConfiguration(transport: stub), environment: ["BEATAPI_API_KEY": "env-BEATAPI-key"])
        _ = try await client.usage()
        #expect(stub.requests.first?.headers["Authorization"] == "Bearer env-BEATAPI-key")
        #expect(Provider.beatAPI.apiKeyEnvironmentVariable == "BEATAPI_API_KEY")
    }

    @Test func withoutAKeyNothingIsSent() async {
        let harness = BeatAPIHarness(apiKey: nil) { _ in try fixtureResponse("usage") }
        let error = await mediaError { try await harness.client.usage() }
        #expect(error?.kind == .authentication)
        #expect(error?.description.contains("BEATAPI_API_KEY") == true)
        #expect(harness.requests.isEmpty)
    }

    @Test func cancellingIsUnsupportedAndSendsNothing() async {
        let harness = BeatAPIHarness { _ in try fixtureResponse("task-processing") }
        let error = await mediaError {
            try await harness.client.cancel(TaskHandle(provider: .beatAPI, id: "task_8K2qA"))
        }
        #expect(error?.kind == .unsupported)
        #expect(error?.taskID == "task_8K2qA")
        #expect(harness.requests.isEmpty)
    }
}
