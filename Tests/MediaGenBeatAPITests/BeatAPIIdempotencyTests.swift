import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// BeatAPI's published description documents `Idempotency-Key` on the music-video and
/// ecommerce-video creates (and the storyboard edit and compose), not on file uploads or webhook
/// endpoints: only the former carry a key and are retried; the others are never sent twice once
/// they may have arrived.
@Suite("BeatAPI idempotency follows the published description")
struct BeatAPIIdempotencyTests {
    enum Create: String, CaseIterable, Sendable {
        case musicVideo, ecommerceVideo, upload, webhookEndpoint

        var route: String {
            switch self {
            case .musicVideo: "POST /v1/music-video/tasks"
            case .ecommerceVideo: "POST /v1/ecommerce-video/tasks"
            case .upload: "POST /v1/files"
            case .webhookEndpoint: "POST /v1/webhooks"
            }
        }

        var success: (String, Int) {
            switch self {
            case .musicVideo: ("task-queued", 201)
            case .ecommerceVideo: ("task-ecommerce-created-usd", 201)
            case .upload: ("file", 201)
            case .webhookEndpoint: ("webhook-endpoint-created", 201)
            }
        }

        /// Whether BeatAPI de-duplicates this create on `Idempotency-Key`.
        var isDeduplicated: Bool { self == .musicVideo || self == .ecommerceVideo }

        func send(_ client: BeatAPIClient) async throws {
            switch self {
            case .musicVideo: _ = try await client.createTask(Sample.seedInput)
            case .ecommerceVideo: _ = try await client.createTask(Sample.ecommerce)
            case .upload: _ = try await client.upload(.data(Data("PNG".utf8), fileName: "cover.png"))
            case .webhookEndpoint:
                _ = try await client.createWebhookEndpoint(url: URL(string: "https://app.example.com/hooks")!)
            }
        }
    }

    @Test(arguments: Create.allCases)
    func theKeyIsSentExactlyWhereBeatAPIHonoursIt(create: Create) async throws {
        let harness = BeatAPIHarness(fixtures: [create.success])
        try await create.send(harness.client)
        let request = try #require(harness.requests.first)
        #expect(request.route == create.route)
        #expect((request.headers["Idempotency-Key"] != nil) == create.isDeduplicated)
    }

    /// (create, what may have arrived): a dropped connection, or a 503 answer that may follow processing.
    static let mayHaveArrived: [(Create, Bool)] = Create.allCases.flatMap { [($0, true), ($0, false)] }

    @Test(arguments: mayHaveArrived)
    func aCreateThatMayHaveArrivedIsRetriedOnlyWhenBeatAPIDeduplicatesIt(create: Create, dropped: Bool) async throws {
        let failure: Result<HTTPResponse, TransportError> =
            dropped
            ? .failure(TransportError(.connectionLost, "reset by peer"))
            : .success(try fixtureResponse("error-500", status: 503))
        let harness = BeatAPIHarness(sequence: [
            failure, .success(try fixtureResponse(create.success.0, status: create.success.1)),
        ])
        let error = await mediaError { try await create.send(harness.client) }
        if create.isDeduplicated {
            #expect(error == nil)
            #expect(harness.requests.count == 2)
            let keys = harness.requests.map { $0.headers["Idempotency-Key"] }
            #expect(keys[0] != nil && keys[0] == keys[1])
        } else {
            #expect(error?.kind == .outcomeUnknown)
            #expect(error?.idempotencyKey == nil)
            #expect(harness.requests.count == 1)
        }
    }

    @Test func anUploadRefusedBeforeItArrivedIsRetried() async throws {
        let harness = BeatAPIHarness(sequence: [
            .failure(TransportError(.cannotConnect, "connection refused")),
            .success(try fixtureResponse("file", status: 201)),
        ])
        _ = try await harness.client.upload(.data(Data("PNG".utf8), fileName: "cover.png"))
        #expect(harness.requests.count == 2)
    }
}
