import Foundation
import MediaGenBeatra
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// Every fixture, mutated thousands of times (``JSONMutator``), through the SDK's real decoding:
/// a client on a stub transport answering the mutated body to the calls the fixture belongs to.
/// (Beatra has no webhooks: polling is its delivery path.) Nothing may crash; every failure must
/// be a typed `MediaGenError` (see ``DecoderFuzzTally``).
@Suite("Beatra decoder fuzzing", .timeLimit(.minutes(10)))
struct BeatraDecoderFuzzTests {
    static let seed: UInt64 = 0xBEA7_7A02
    static let minimumMutations = 10_000

    typealias Target = FuzzTarget<BeatraClient>

    static func task(_ client: BeatraClient, _: Data) async throws {
        let task = try await client.task(id: "task_fuzz")
        try inspect(task)
        _ = (task.clips.map(\.file), task.billing, task.progress?.fraction)
        _ = (task.createdAt, task.updatedAt, task.completedAt)
    }

    static func textToMusic(_ client: BeatraClient, _: Data) async throws {
        try inspect(try await client.createTask(seedRequest))
    }

    static func cancelTask(_ client: BeatraClient, _: Data) async throws {
        try inspect(try await client.cancelTask(id: "task_fuzz"))
    }

    static func listTasks(_ client: BeatraClient, _: Data) async throws {
        let page = try await client.taskPage(limit: 2)
        _ = (page.nextCursor, page.hasMore)
        for task in page.data { try inspect(task) }
    }

    static func upload(_ client: BeatraClient, _: Data) async throws {
        let source = FileSource.data(
            Data(repeating: 7, count: 64), fileName: "reference.mp3", contentType: "audio/mpeg")
        let artifact = try await client.upload(source)
        _ = (artifact.referenceAudio, String(describing: artifact))
    }

    static let tasks = [
        "task-canceled-top-level-refund", "task-failed", "task-failed-final", "task-queued", "task-running",
        "task-running-late", "task-succeeded-minimax-url", "task-succeeded-suno", "task-unknown-status",
        "task-succeeded-huge-clip-duration",
    ]

    /// Error answers with the status each was documented with, and the kind a read and a create end in.
    static let errors: [(String, Int, String, String)] = [
        ("error-idempotency-conflict", 409, "conflict", "conflict"),
        ("error-insufficient-credits", 402, "insufficientCredits", "insufficientCredits"),
        ("error-invalid-request", 400, "invalidRequest", "invalidRequest"),
        ("error-not-cancelable", 409, "conflict", "conflict"),
        ("error-not-found", 404, "notFound", "notFound"),
        ("error-rate-limited", 429, "rateLimited", "rateLimited"),
        ("error-server-not-retryable", 500, "server", "server"),
        ("error-server-retryable", 503, "server", "outcomeUnknown"),
        ("error-unauthorized", 401, "authentication", "authentication"),
    ]

    static let targets: [Target] = {
        var targets: [Target] = []
        func add(
            _ fixture: String, _ status: Int, _ call: String, _ pristine: String = "decoded",
            run: @escaping @Sendable (BeatraClient, Data) async throws -> Void
        ) {
            targets.append(
                Target(fixture: fixture, route: .answer(status: status), call: call, pristine: pristine, run: run))
        }
        for name in tasks {
            add(name, 200, "task(id:)", run: task)
        }
        add("task-canceled-top-level-refund", 200, "cancelTask", run: cancelTask)
        for name in ["create-accepted", "create-accepted-id"] {
            add(name, 202, "textToMusic", run: textToMusic)
        }
        for name in ["tasks-page-1", "tasks-page-2"] {
            add(name, 200, "listTasks", run: listTasks)
        }
        for name in ["upload-artifact", "upload-artifact-id"] {
            add(name, 201, "uploadReferenceAudio", run: upload)
        }
        for (name, status, read, create) in errors {
            add(name, status, "task(id:)", read, run: task)
            add(name, status, "textToMusic", create, run: textToMusic)
        }
        add("error-not-cancelable", 409, "cancelTask", "conflict", run: cancelTask)
        return targets
    }()

    /// The client, over a transport answering every request with `body`.
    static func client(answering body: Data, route: DecoderFuzzTally.Route) -> BeatraClient {
        guard case .answer(let status) = route else { return BeatraHarness { _ in HTTPResponse(status: 500) }.client }
        let headers: HTTPHeaders =
            status == 429
            ? ["Content-Type": "application/json", "X-Request-Id": "req_fuzz", "Retry-After": "3"]
            : ["Content-Type": "application/json", "X-Request-Id": "req_fuzz"]
        return BeatraHarness { _ in HTTPResponse(status: status, headers: headers, body: body) }.client
    }

    static let campaign = DecoderFuzzCampaign(
        provider: "Beatra", seed: seed, minimumMutations: minimumMutations, targets: targets,
        client: client(answering:route:))

    @Test func everyFixtureIsFuzzed() throws {
        #expect(Set(Self.targets.map(\.fixture)) == Set(try allFixtureNames(in: .module)))
    }

    @Test(arguments: targets)
    func eachUnmutatedFixtureGivesItsDocumentedOutcome(target: Target) async throws {
        await Self.campaign.expectPristineOutcome(of: target, body: try fixture(target.fixture))
    }

    /// Found by this fuzzing: a clip `duration` beyond `Int64` milliseconds crashed decoding.
    @Test func aClipDurationNoClipCanHaveIsDroppedNotACrash() throws {
        let task = try decodeTask("task-succeeded-huge-clip-duration")
        let clip = try #require(task.clips.first)
        #expect(clip.duration == nil)
        #expect(clip.audioURL.absoluteString == "https://cdn.beatra.ai/clips/01JCLIPD/track.wav")
    }

    @Test func tenThousandMutantsDecodeOrFailWithTypedErrors() async throws {
        try await Self.campaign.expectMutantsDecodeOrFailTyped(fixture: fixture)
    }
}
