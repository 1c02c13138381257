import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// Every public BeatAPI call that puts an id in a URL path. (``BeatAPIClient/cancel(_:)`` sends
/// nothing at all: BeatAPI has no cancel endpoint.)
enum BeatAPIIDCall: String, CaseIterable, Sendable {
    case task, taskHandle, waitFor, webhookEndpoint, updateWebhookEndpoint, deleteWebhookEndpoint

    func call(_ client: BeatAPIClient, id: String) async throws {
        let handle = TaskHandle(provider: .beatAPI, id: id)
        switch self {
        case .task: _ = try await client.task(id: id)
        case .taskHandle: _ = try await client.task(handle)
        case .waitFor: _ = try await client.wait(for: handle)
        case .webhookEndpoint: _ = try await client.webhookEndpoint(id: id)
        case .updateWebhookEndpoint: _ = try await client.updateWebhookEndpoint(id: id, status: .disabled)
        case .deleteWebhookEndpoint: _ = try await client.deleteWebhookEndpoint(id: id)
        }
    }
}

struct BeatAPIIdentifierTests {
    @Test(arguments: BeatAPIIDCall.allCases, hostileIDs)
    func aHostileIDIsRefusedBeforeSending(call: BeatAPIIDCall, id: String) async {
        let harness = BeatAPIHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError { try await call.call(harness.client, id: id) }
        #expect(error?.refusedField == "id")
        #expect(error?.provider == .beatAPI)
        #expect(harness.requests.isEmpty)
    }
}

struct BeatAPIHeaderInjectionTests {
    @Test(arguments: hostileHeaderValues)
    func anIdempotencyKeyWithAControlCharacterIsRefusedBeforeSending(key: String) async {
        let harness = BeatAPIHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError {
            try await harness.client.createTask(Sample.seedInput, idempotencyKey: key)
        }
        #expect(error?.refusedField == "idempotencyKey")
        #expect(harness.requests.isEmpty)
    }

    @Test func aMaximalKeyIsSentOnTheCreateAndNotOnTheUploads() async throws {
        let harness = BeatAPIHarness(fixtures: [("file", 201), ("file-audio", 201), ("task-queued", 201)])
        let key = String(repeating: "k", count: 255)
        let input = MusicVideoInput(
            images: [.data(Data("PNG".utf8), fileName: "cover.png")],
            audio: .data(Data("RIFF....WAVE".utf8), fileName: "song.wav"),
            prompt: Sample.prompt,
            language: .english)

        _ = try await harness.client.createTask(input, idempotencyKey: key)

        // BeatAPI de-duplicates the create, not the uploads: only the create carries the key.
        #expect(harness.requests.map { $0.headers["Idempotency-Key"] } == [nil, nil, key])
    }

    @Test func aHostileFileNameAmongSeveralUploadsNothing() async {
        let harness = BeatAPIHarness { _ in HTTPResponse(status: 500) }
        let input = MusicVideoInput(
            images: [.data(Data("PNG".utf8), fileName: "cover.png")],
            audio: .data(Data("RIFF".utf8), fileName: "song\r\nContent-Type: text/html\r\n\r\n.wav"),
            prompt: Sample.prompt,
            language: .english)
        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(error?.refusedField == "fileName")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: hostileHeaderValues)
    func anUploadWithAHostileContentTypeIsRefusedBeforeSending(contentType: String) async {
        let harness = BeatAPIHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError {
            try await harness.client.upload(.data(Data("PNG".utf8), fileName: "a.png", contentType: contentType))
        }
        #expect(error?.refusedField == "contentType")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: hostileHeaderValues)
    func anAdditionalHeaderWithAControlCharacterIsRefusedBeforeSending(value: String) async {
        let transport = StubTransport { _ in HTTPResponse(status: 500) }
        let client = BeatAPIClient(
            apiKey: testKey,
            configuration: ClientConfiguration(transport: transport, additionalHeaders: ["X-Team": value]))
        let error = await mediaError { try await client.task(id: "task_1") }
        #expect(error?.refusedField == "X-Team")
        #expect(transport.requests.isEmpty)
    }
}
