import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// BeatAPI answers a keyed create `409 idempotency_conflict` both when the key was used before
/// with a different body and while a request under the key is still being processed (spec
/// `operations.createMusicVideoTask`, `createEcommerceVideoTask`, `editMusicVideoShot`,
/// `composeMusicVideoTask`, 409). The client resends the same bytes under the same key, after the
/// retry policy's backoff on the client's clock, and never makes a second task; when BeatAPI keeps
/// refusing, the call ends `.conflict`, saying what to do.
@Suite("BeatAPI's 409 idempotency_conflict is waited out under the same key")
struct BeatAPIIdempotencyConflictTests {
    /// The four creates that send `Idempotency-Key`.
    enum KeyedCreate: String, CaseIterable, Sendable {
        case musicVideo, ecommerceVideo, shotEdit, compose

        var route: String {
            switch self {
            case .musicVideo: "POST /v1/music-video/tasks"
            case .ecommerceVideo: "POST /v1/ecommerce-video/tasks"
            case .shotEdit: "POST /v1/music-video/tasks/task_8K2qA/shots/shot_xxx/edit"
            case .compose: "POST /v1/music-video/tasks/task_8K2qA/compose"
            }
        }

        var success: String { self == .ecommerceVideo ? "task-ecommerce-created-usd" : "task-queued" }

        func send(_ client: BeatAPIClient, key: String) async throws -> BeatAPITask {
            switch self {
            case .musicVideo: try await client.createTask(Sample.seedInput, idempotencyKey: key)
            case .ecommerceVideo: try await client.createTask(Sample.ecommerce, idempotencyKey: key)
            case .shotEdit:
                try await client.editShot(
                    taskID: "task_8K2qA", shotID: "shot_xxx", prompt: "Brighter face lighting", idempotencyKey: key)
            case .compose: try await client.compose(taskID: "task_8K2qA", shotIDs: ["shot_xxx"], idempotencyKey: key)
            }
        }
    }

    static func conflict() throws -> Result<HTTPResponse, TransportError> {
        .success(try fixtureResponse("error-409-idempotency-conflict", status: 409))
    }

    /// (create, how many 409s come before the task): each retry waits the policy's backoff.
    static let waits: [(KeyedCreate, Int)] = KeyedCreate.allCases.flatMap { [($0, 1), ($0, 2)] }

    @Test(arguments: waits)
    func aKeyStillBeingProcessedIsWaitedOutAndResentUnchanged(create: KeyedCreate, conflicts: Int) async throws {
        let answers =
            try Array(repeating: Self.conflict(), count: conflicts) + [
                .success(try fixtureResponse(create.success, status: 201))
            ]
        let harness = BeatAPIHarness(sequence: answers)
        let task = try await create.send(harness.client, key: "retry-\(create.rawValue)-01")
        #expect(!task.id.isEmpty)
        #expect(harness.requests.count == conflicts + 1)
        #expect(Set(harness.routes) == [create.route])
        #expect(Set(harness.requests.map { $0.headers["Idempotency-Key"] }) == ["retry-\(create.rawValue)-01"])
        #expect(Set(harness.requests.map(\.body)).count == 1, "every attempt sends the same bytes")
        // The default policy's backoff (500 ms doubling, up to half taken off by jitter), on the
        // injected clock: one wait per 409, and nothing really slept.
        let sleeps = harness.clock.sleeps
        #expect(sleeps.count == conflicts)
        for (index, sleep) in sleeps.enumerated() {
            let full = Duration.milliseconds(500 * (1 << index))
            #expect(sleep <= full && sleep >= full / 2)
        }
    }

    @Test(arguments: KeyedCreate.allCases)
    func aKeyRefusedOnEveryAttemptEndsAsATypedConflictSayingWhatToDo(create: KeyedCreate) async throws {
        let attempts = RetryPolicy.default.maxAttempts
        let harness = BeatAPIHarness(sequence: try Array(repeating: Self.conflict(), count: attempts))
        let error = await mediaError { try await create.send(harness.client, key: "reused-key-01") }
        #expect(error?.kind == .conflict)
        #expect(error?.providerCode == "idempotency_conflict")
        #expect(error?.httpStatus == 409)
        #expect(error?.requestID == "req_xxx")
        #expect(error?.idempotencyKey == "reused-key-01")
        #expect(error?.message.contains("used before with a different body") == true)
        #expect(error?.message.contains("new key") == true)
        #expect(error?.description.contains("Use a new idempotency key") == true)
        #expect(harness.requests.count == attempts)
        #expect(harness.clock.sleeps.count == attempts - 1)
    }

    @Test func aConflictIsNotRetriedPastAPolicyOfOneAttempt() async throws {
        let harness = try BeatAPIHarness(sequence: [Self.conflict()], retry: .none)
        let error = await mediaError { try await harness.client.createTask(Sample.ecommerce) }
        #expect(error?.kind == .conflict)
        #expect(harness.requests.count == 1)
        #expect(harness.clock.sleeps.isEmpty)
    }

    @Test func aBudgetGetsItsChargeBackWhenEveryAttemptWasRefusedOnTheKey() async throws {
        let budget = Budget(limit: .usd(cents: 1_000))
        let attempts = RetryPolicy.default.maxAttempts
        let harness = BeatAPIHarness(sequence: try Array(repeating: Self.conflict(), count: attempts), budget: budget)
        let error = await mediaError { try await harness.client.createTask(Sample.ecommerce) }
        #expect(error?.kind == .conflict)
        // No attempt of this call can have made a task: BeatAPI refused each on its key.
        #expect(await budget.spent == .usd(cents: 0))
    }

    @Test func aLostAttemptFollowedByConflictsUntilTheRetriesRunOutIsAnUnknownOutcomeWithTheKey() async throws {
        let attempts = RetryPolicy.default.maxAttempts
        let budget = Budget(limit: .usd(cents: 1_000))
        let harness = BeatAPIHarness(
            sequence: [.failure(TransportError(.connectionLost, "reset by peer"))]
                + (try Array(repeating: Self.conflict(), count: attempts - 1)),
            budget: budget)
        let error = await mediaError {
            try await harness.client.createTask(Sample.ecommerce, idempotencyKey: "lost-01")
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.idempotencyKey == "lost-01")
        #expect(error?.providerCode == "idempotency_conflict")
        #expect(error?.message.contains("same call again later with this key") == true)
        // The lost attempt may have made the task: its $4.50 stays counted.
        #expect(await budget.spent == .usd(cents: 450))
    }

    @Test func onlyBeatAPIsIdempotencyCodeIsRetriedAmong409s() async throws {
        let other = HTTPResponse(
            status: 409, headers: ["Content-Type": "application/json"],
            body: Data(#"{"error": {"code": "bad_request", "message": "conflict", "request_id": "req_1"}}"#.utf8))
        let harness = BeatAPIHarness(sequence: [.success(other)])
        let error = await mediaError { try await harness.client.createTask(Sample.ecommerce) }
        #expect(error?.kind == .conflict)
        #expect(harness.requests.count == 1)
    }
}
