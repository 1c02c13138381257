import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// Every fixture, mutated thousands of times (``JSONMutator``), through the SDK's real decoding:
/// a client on a stub transport answering the mutated body to the calls the fixture belongs to,
/// and the webhook decoder with the mutated body signed. Nothing may crash; every failure must
/// be a typed `MediaGenError` (see ``DecoderFuzzTally``).
@Suite("BeatAPI decoder fuzzing", .timeLimit(.minutes(10)))
struct BeatAPIDecoderFuzzTests {
    static let seed: UInt64 = 0xBEA7_A01
    static let minimumMutations = 10_000
    static let secret = BeatAPIWebhookSecret("whsec_TEST_ONLY_dummy_value_0000")
    static let now = Date(timeIntervalSince1970: 1_782_210_100)

    typealias Target = FuzzTarget<BeatAPIClient>

    static func task(_ client: BeatAPIClient, _: Data) async throws {
        try inspect(try await client.task(id: "task_fuzz"))
    }

    static func createMusicVideo(_ client: BeatAPIClient, _: Data) async throws {
        try inspect(try await client.createTask(Sample.seedInput))
    }

    static func createEcommerceVideo(_ client: BeatAPIClient, _: Data) async throws {
        try inspect(try await client.createTask(Sample.ecommerce))
    }

    static func uploadFile(_ client: BeatAPIClient, _: Data) async throws {
        let file = try await client.upload(.data(Data(repeating: 7, count: 64), fileName: "song.mp3"))
        _ = (file.url, String(describing: file))
    }

    static func event(_: BeatAPIClient, _ body: Data) async throws {
        // Signed as BeatAPI signs, so that the decoder, not the signature check, meets the body.
        let timestamp = "1782210095"
        let signature = SecureHash.hmacSHA256(
            key: Data(secret.value.utf8), message: Data("\(timestamp).".utf8) + body
        ).hexEncodedString
        let event = try BeatAPIWebhook.event(
            body: body, headers: ["x-beatapi-timestamp": timestamp, "x-beatapi-signature": signature],
            secret: secret, now: now)
        _ = (event.id, event.type, event.createdAt)
        try inspect(event.task)
    }

    static let tasks = [
        "task-ecommerce-queued", "task-failed", "task-lenient-types", "task-output-url-object",
        "task-output-url-string", "task-processing", "task-queued", "task-requires-action", "task-running",
        "task-storyboard-ready", "task-succeeded", "task-unknown-status",
    ]

    /// Error answers with the status each was documented with, and the kind a read and a create end in
    /// (a create that failed on 5xx after its retries may have created the task: `.outcomeUnknown`).
    static let errors: [(String, Int, String, String)] = [
        ("error-400", 400, "invalidRequest", "invalidRequest"),
        ("error-401", 401, "authentication", "authentication"),
        ("error-402", 402, "insufficientCredits", "insufficientCredits"),
        ("error-404", 404, "notFound", "notFound"),
        ("error-409", 409, "conflict", "conflict"),
        ("error-409-idempotency-conflict", 409, "conflict", "conflict"),
        ("error-429-concurrency", 429, "rateLimited", "rateLimited"),
        ("error-429-rate-limit", 429, "rateLimited", "rateLimited"),
        ("error-429-huge-retry-after", 429, "rateLimited", "rateLimited"),
        ("error-500", 500, "server", "outcomeUnknown"),
        ("error-400-spec", 400, "invalidRequest", "invalidRequest"),
        ("error-401-spec", 401, "authentication", "authentication"),
        ("error-402-spec", 402, "insufficientCredits", "insufficientCredits"),
        ("error-404-spec", 404, "notFound", "notFound"),
        ("error-429-rate-limit-spec", 429, "rateLimited", "rateLimited"),
        ("error-429-concurrency-spec", 429, "rateLimited", "rateLimited"),
        ("error-500-spec", 500, "server", "outcomeUnknown"),
        ("error-502-processing-unavailable-spec", 502, "server", "outcomeUnknown"),
    ]

    static let targets: [Target] = {
        var targets: [Target] = []
        func add(
            _ fixture: String, _ route: DecoderFuzzTally.Route, _ call: String, _ pristine: String = "decoded",
            run: @escaping @Sendable (BeatAPIClient, Data) async throws -> Void
        ) {
            targets.append(Target(fixture: fixture, route: route, call: call, pristine: pristine, run: run))
        }
        for name in tasks {
            add(name, .answer(status: 200), "task(id:)", run: task)
        }
        add("task-queued", .answer(status: 201), "createTask(MusicVideoInput)", run: createMusicVideo)
        for name in ["task-ecommerce-queued", "task-ecommerce-created-usd"] {
            add(name, .answer(status: 201), "createTask(EcommerceVideoInput)", run: createEcommerceVideo)
        }
        // Request fixtures, answered as if they were the create's answer: they are no task.
        for name in ["music-video-request", "music-video-request-standard", "music-video-request-premium-sing"] {
            add(name, .answer(status: 201), "createTask(MusicVideoInput)", "decoding", run: createMusicVideo)
        }
        add(
            "ecommerce-video-request", .answer(status: 201), "createTask(EcommerceVideoInput)", "decoding",
            run: createEcommerceVideo)
        for name in ["file", "file-audio", "file-spec"] {
            add(name, .answer(status: 201), "uploadFile", run: uploadFile)
        }
        for name in ["usage", "usage-usd"] {
            add(name, .answer(status: 200), "usage") { client, _ in
                let usage = try await client.usage()
                _ = String(describing: usage)
            }
        }
        for name in ["workflows", "workflows-spec"] {
            add(name, .answer(status: 200), "listWorkflows") { client, _ in
                _ = String(describing: try await client.listWorkflows())
            }
        }
        for name in ["webhook-endpoints", "webhook-endpoints-spec"] {
            add(name, .answer(status: 200), "listWebhookEndpoints") { client, _ in
                _ = String(describing: try await client.listWebhookEndpoints())
            }
        }
        for name in ["webhook-endpoint", "webhook-endpoint-spec"] {
            add(name, .answer(status: 200), "webhookEndpoint(id:), updateWebhookEndpoint") { client, _ in
                _ = String(describing: try await client.webhookEndpoint(id: "we_fuzz"))
                _ = try await client.updateWebhookEndpoint(id: "we_fuzz", description: "fuzz")
            }
        }
        for name in ["webhook-endpoint-created", "webhook-endpoint-created-spec"] {
            add(name, .answer(status: 201), "createWebhookEndpoint") { client, _ in
                let url = URL(string: "https://app.example.com/hooks/beatapi")!
                _ = String(describing: try await client.createWebhookEndpoint(url: url))
            }
        }
        for name in ["webhook-endpoint-deleted", "webhook-endpoint-deleted-spec"] {
            add(name, .answer(status: 200), "deleteWebhookEndpoint") { client, _ in
                _ = try await client.deleteWebhookEndpoint(id: "we_fuzz")
            }
        }
        // Request fixtures, answered as if they were the answer: they are no endpoint (no `id`).
        add("webhook-endpoint-create-request", .answer(status: 201), "createWebhookEndpoint", "decoding") { client, _ in
            let url = URL(string: "https://app.example.com/hooks/beatapi")!
            _ = try await client.createWebhookEndpoint(url: url)
        }
        add("webhook-endpoint-update-request", .answer(status: 200), "updateWebhookEndpoint", "decoding") { client, _ in
            _ = try await client.updateWebhookEndpoint(id: "we_fuzz", status: .disabled)
        }
        add("shot-media", .answer(status: 200), "shotMedia(taskID:shotID:)") { client, _ in
            _ = String(describing: try await client.shotMedia(taskID: "task_fuzz", shotID: "shot_fuzz"))
        }
        // Request fixtures, answered as if they were the answer: they are no task.
        add("shot-edit-request", .answer(status: 202), "editShot", "decoding") { client, _ in
            _ = try await client.editShot(taskID: "task_fuzz", shotID: "shot_fuzz", prompt: "fuzz")
        }
        add("compose-request", .answer(status: 202), "compose", "decoding") { client, _ in
            _ = try await client.compose(taskID: "task_fuzz", shotIDs: ["shot_fuzz"])
        }
        for name in [
            "webhook-event-succeeded", "webhook-event-failed", "webhook-event-music-video-usd",
            "webhook-event-video-usd",
        ] {
            add(name, .delivery(), "BeatAPIWebhook.event", run: event)
        }
        for (name, status, read, create) in errors {
            add(name, .answer(status: status), "task(id:)", read, run: task)
            add(name, .answer(status: status), "createTask(MusicVideoInput)", create, run: createMusicVideo)
        }
        return targets
    }()

    /// The client, over a transport answering every request with `body`.
    static func client(answering body: Data, route: DecoderFuzzTally.Route) -> BeatAPIClient {
        guard case .answer(let status) = route else {
            return BeatAPIHarness { _ in HTTPResponse(status: 500) }.client
        }
        let headers: HTTPHeaders = ["Content-Type": "application/json"]
        return BeatAPIHarness { _ in HTTPResponse(status: status, headers: headers, body: body) }.client
    }

    static let campaign = DecoderFuzzCampaign(
        provider: "BeatAPI", seed: seed, minimumMutations: minimumMutations, targets: targets,
        client: client(answering:route:))

    @Test func everyFixtureIsFuzzed() throws {
        #expect(Set(Self.targets.map(\.fixture)) == Set(try allFixtureNames(in: .module)))
    }

    @Test(arguments: targets)
    func eachUnmutatedFixtureGivesItsDocumentedOutcome(target: Target) async throws {
        await Self.campaign.expectPristineOutcome(of: target, body: try fixture(target.fixture))
    }

    /// Found by this fuzzing: a `retry_after_seconds` beyond `Int64` seconds crashed the process
    /// when the error was described (`Duration.components` traps).
    @Test func aHugeRetryAfterInTheBodyIsCappedNotACrash() async throws {
        let harness = BeatAPIHarness(fixtures: [("error-429-huge-retry-after", 429)])
        let error = try #require(await mediaError { try await harness.client.task(id: "task_fuzz") })
        #expect(error.kind == .rateLimited(retryAfter: .seconds(1_000_000_000)))
        #expect(error.description.contains("Retry after 1000000000 s"))
    }

    @Test func tenThousandMutantsDecodeOrFailWithTypedErrors() async throws {
        try await Self.campaign.expectMutantsDecodeOrFailTyped(fixture: fixture)
    }
}
