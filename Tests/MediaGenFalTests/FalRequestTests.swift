import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

@Suite("fal requests")
struct FalRequestTests {
    @Test func submitSendsTheSeedsRequestExactly() async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let input = BeatovenInput(
            prompt: "Jazz music for a late-night restaurant setting", negativePrompt: "noise", duration: .seconds(90),
            refinement: 100, creativity: 16)
        let request = try await harness.client.createRequest(.beatovenMusicGeneration, input: input)

        #expect(request.requestID == requestID)
        #expect(request.status == .queued(position: 0))
        let sent = try #require(harness.requests.first)
        #expect(sent.method == .post)
        #expect(sent.url.absoluteString == "https://queue.fal.run/beatoven/music-generation")
        #expect(sent.headers["Authorization"] == "Key \(testKey)")
        #expect(sent.headers["Content-Type"] == "application/json")
        #expect(sent.headers["Accept"] == "application/json")
        #expect(sent.headers["User-Agent"] == "MediaGenKit/\(MediaGenKitVersion.current) (fal)")
        #expect(sent.headers["Idempotency-Key"] == nil)
        #expect(sent.headers["X-Fal-Queue-Priority"] == nil)
        // The seed's example input, field for field.
        #expect(
            sent.jsonBody == [
                "prompt": "Jazz music for a late-night restaurant setting",
                "negative_prompt": "noise",
                "duration": 90,
                "refinement": 100,
                "creativity": 16,
            ])
    }

    @Test func submitOptionsBecomeTheDocumentedHeadersAndAFullyEncodedWebhookQuery() async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let webhook = try #require(
            URL(string: "https://example.com/fal/hook?a=1+2&b=x y".replacingOccurrences(of: " ", with: "%20")))
        _ = try await harness.client.createRequest(
            .beatovenMusicGeneration,
            input: BeatovenInput(prompt: "jazz", duration: .milliseconds(12_500), seed: 7),
            webhookURL: webhook,
            priority: .low,
            startTimeout: .seconds(300),
            runnerHint: "runner-eu-1"
        )
        let sent = try #require(harness.requests.first)
        // Every reserved character is encoded: `+` arrives as `%2B`, not as a space.
        #expect(
            sent.url.absoluteString
                == "https://queue.fal.run/beatoven/music-generation?fal_webhook=https%3A%2F%2Fexample.com%2Ffal%2Fhook%3Fa%3D1%2B2%26b%3Dx%2520y"
        )
        #expect(sent.queryItems.first?.value == "https://example.com/fal/hook?a=1+2&b=x%20y")
        #expect(sent.headers["X-Fal-Queue-Priority"] == "low")
        #expect(sent.headers["X-Fal-Request-Timeout"] == "300")
        #expect(sent.headers["X-Fal-Runner-Hint"] == "runner-eu-1")
        #expect(sent.jsonBody == ["prompt": "jazz", "duration": 12.5, "seed": 7])
    }

    @Test func aFractionalStartTimeoutIsSentAsDecimalSeconds() async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        _ = try await harness.client.createRequest(
            FalJSONApp("fal-ai/some-app"), input: ["prompt": "x"], startTimeout: .milliseconds(2500))
        #expect(harness.requests.first?.headers["X-Fal-Request-Timeout"] == "2.5")
    }

    @Test func aSubpathIsSubmittedToButDroppedFromTheRequestsURLs() async throws {
        let harness = FalHarness(fixtures: [("submit-response-id-only", 200), ("status-in-queue", 202)])
        let app = FalJSONApp("fal-ai/whisper/stems/v2")
        let request = try await harness.client.createRequest(app, input: ["audio_url": "https://cdn.test/a.wav"])
        #expect(harness.requests[0].url.absoluteString == "https://queue.fal.run/fal-ai/whisper/stems/v2")
        // The answer had only an id: the URLs are built from {owner}/{alias}, as fal files it.
        let base = "https://queue.fal.run/fal-ai/whisper/requests/\(requestID)"
        #expect(request.handle.statusURL?.absoluteString == "\(base)/status")
        #expect(request.handle.resultURL?.absoluteString == base)
        #expect(request.handle.cancelURL?.absoluteString == "\(base)/cancel")
        #expect(request.handle.model == "fal-ai/whisper/stems/v2")
        _ = try await harness.client.request(request.handle)
        #expect(harness.requests[1].url.absoluteString == "\(base)/status?logs=false")
    }

    @Test func statusResultAndCancelUseTheURLsFalReturned() async throws {
        let harness = FalHarness(fixtures: [
            ("submit-response", 200), ("status-in-progress", 202), ("beatoven-output", 200), ("cancel-requested", 202),
        ])
        let submitted = try await harness.client.createRequest(
            .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        let status = try await harness.client.request(submitted.handle, logs: true)
        let result = try await harness.client.result(.beatovenMusicGeneration, of: submitted.handle)
        let cancel = try await harness.client.cancelRequest(submitted.handle)

        #expect(status.logs.map(\.message) == ["Loading model", "Generating 30 s of music"])
        #expect(result.requestID == requestID)
        #expect(result.data.audio.fileSize == 5_292_044)
        #expect(cancel == .cancellationRequested)
        #expect(
            harness.routes.dropFirst() == [
                "GET \(queueBase)/status?logs=true",
                "GET \(queueBase)",
                "PUT \(queueBase)/cancel",
            ])
        #expect(harness.requests.allSatisfy { $0.headers["Authorization"] == "Key \(testKey)" })
        #expect(harness.requests.dropFirst().allSatisfy { $0.body == nil })
    }

    @Test func aRequestKnownOnlyByItsIdIsAddressedUnderItsApp() async throws {
        let harness = FalHarness(fixtures: [("status-in-queue", 202), ("beatoven-output-seed", 200)])
        let handle = try harness.client.handle(app: "beatoven/music-generation/extra", requestID: requestID)
        _ = try await harness.client.request(handle)
        let bare = TaskHandle(provider: .fal, id: requestID, model: "beatoven/music-generation")
        let result = try await harness.client.result(of: bare)
        #expect(harness.routes == ["GET \(queueBase)/status?logs=false", "GET \(queueBase)"])
        #expect(result.data["prompt"] == "")
    }

    @Test func aHandleWithNeitherURLsNorAppIsRefusedBeforeSending() async {
        let harness = FalHarness(fixtures: [])
        let error = await mediaError { try await harness.client.request(TaskHandle(provider: .fal, id: requestID)) }
        #expect(error?.kind.field == "handle")
        let foreign = await mediaError {
            try await harness.client.request(TaskHandle(provider: Provider(rawValue: "other"), id: "x", model: "a/b"))
        }
        #expect(foreign?.kind.field == "handle")
        #expect(harness.requests.isEmpty)
    }

    @Test func aHandleWithEveryURLNeedsNoUsableAppId() async throws {
        let harness = FalHarness(fixtures: [("status-in-queue", 202)])
        var handle = seedHandle
        handle.model = "not-an-app-id"
        _ = try await harness.client.request(handle)
        #expect(harness.routes == ["GET \(queueBase)/status?logs=false"])
    }

    @Test(arguments: ["beatoven", "", "/", "a/..", "a/b?c"])
    func malformedAppIdsAreRefusedBeforeSending(app: String) async {
        let harness = FalHarness(fixtures: [])
        let error = await mediaError {
            try await harness.client.createRequest(FalJSONApp(FalAppID(rawValue: app)), input: ["prompt": "x"])
        }
        #expect(error?.kind.field == "app", "\(app)")
        #expect(harness.requests.isEmpty)
    }

    @Test func aCustomHostPairIsUsedForQueueAndRest() async throws {
        let stub = StubTransport { request in
            request.url.path.hasSuffix("initiate")
                ? try fixtureResponse("storage-initiate") : try fixtureResponse("submit-response-id-only")
        }
        let client = FalClient(
            apiKey: testKey,
            queueURL: URL(string: "http://127.0.0.1:9999/fal/queue"),
            restURL: URL(string: "http://127.0.0.1:9999/fal/rest"),
            configuration: ClientConfiguration(transport: stub, clock: ImmediateClock())
        )
        let request = try await client.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        _ = try await client.upload(.data(Data("hello".utf8), fileName: "a.txt"), options: .init(repositories: [.gcs]))
        #expect(stub.requests[0].url.absoluteString == "http://127.0.0.1:9999/fal/queue/beatoven/music-generation")
        #expect(
            request.handle.statusURL?.absoluteString
                == "http://127.0.0.1:9999/fal/queue/beatoven/music-generation/requests/\(requestID)/status")
        #expect(
            stub.requests[1].url.absoluteString
                == "http://127.0.0.1:9999/fal/rest/storage/upload/initiate?storage_type=gcs")
    }

    @Test(
        arguments: [
            (["FAL_KEY": "abc:def"], "abc:def"),
            (["FAL_KEY_ID": "abc", "FAL_KEY_SECRET": "def"], "abc:def"),
            (["FAL_KEY": "whole", "FAL_KEY_ID": "abc", "FAL_KEY_SECRET": "def"], "whole"),
            (["FAL_KEY": "", "FAL_KEY_ID": "abc", "FAL_KEY_SECRET": "def"], "abc:def"),
            (["FAL_KEY_ID": "abc"], nil),
            ([:], nil),
        ] as [([String: String], String?)])
    func credentialsComeFromFalKeyOrTheIdAndSecretPair(environment: [String: String], key: String?) {
        #expect(FalClient.key(from: environment) == key)
    }

    @Test func anIdAndSecretAreJoinedIntoTheKeyHeader() async throws {
        let stub = StubTransport { _ in try fixtureResponse("status-in-queue", status: 202) }
        let client = FalClient(
            keyID: "id-1", keySecret: "secret-2", configuration: ClientConfiguration(transport: stub))
        _ = try await client.request(seedHandle)
        #expect(stub.requests.first?.headers["Authorization"] == "Key id-1:secret-2")
    }

    @Test func withoutAKeyNothingIsSent() async {
        let stub = StubTransport { _ in try fixtureResponse("status-in-queue") }
        let client = FalClient(apiKey: nil, configuration: ClientConfiguration(transport: stub), environment: [:])
        let error = await mediaError { try await client.request(seedHandle) }
        #expect(error?.kind == .authentication)
        #expect(error?.description.contains("FAL_KEY") == true)
        #expect(stub.requests.isEmpty)
    }
}
