import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// The music-video storyboard operations: shot edit, shot media and compose.
@Suite("BeatAPI storyboards")
struct BeatAPIStoryboardTests {
    @Test func aTasksStoryboardDecodesFromTheDescriptionsExample() throws {
        let event = try JSONReader().decode(
            BeatAPIWebhookEvent.self, from: try fixture("webhook-event-music-video-usd"))
        let shots = try #require(event.task.storyboard?.shots)
        #expect(shots.count == 1)
        let shot = try #require(shots.first)
        #expect(shot.id == "shot_xxx")
        #expect(shot.index == 0)
        #expect(shot.status == .succeeded)
        #expect(shot.durationSeconds == 5)
        #expect(shot.prompt == "Opening lyric shot.")
        #expect(shot.lyricText == "Intro")
        #expect(shot.media == nil)
        #expect(shot.createdAt == Date(timeIntervalSince1970: 1_782_210_000))
        #expect(shot.updatedAt == Date(timeIntervalSince1970: 1_782_210_300))
    }

    @Test func shotMediaIsMaterializedWithoutBodyOrKeyAndDecodes() async throws {
        let harness = BeatAPIHarness(fixtures: [("shot-media", 200)])
        let shot = try await harness.client.shotMedia(taskID: "task_8K2qA", shotID: "shot_xxx")
        let request = try #require(harness.requests.first)
        #expect(request.route == "POST /v1/music-video/tasks/task_8K2qA/shots/shot_xxx/media")
        #expect(request.body == nil)
        #expect(request.headers["Idempotency-Key"] == nil)
        #expect(shot.object == "shot_media")
        #expect(shot.taskID == "task_8K2qA")
        #expect(shot.shotID == "shot_xxx")
        #expect(shot.index == 0)
        #expect(shot.status == .succeeded)
        #expect(
            shot.media
                == RemoteFile(
                    url: URL(string: "https://media.beatapi.io/outputs/task_8K2qA/shots/shot_xxx/current.mp4")!,
                    contentType: "video/mp4"))
        #expect(shot.requestID == "req_abc123")
    }

    @Test func aShotEditSendsTheDescriptionsBodyWithAKey() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-processing", 202)])
        _ = try await harness.client.editShot(
            taskID: "task_8K2qA", shotID: "shot_xxx", prompt: "Night city chorus with brighter face lighting.",
            images: [.url(URL(string: "https://media.beatapi.io/samples/stage.png")!)],
            idempotencyKey: "music-edit-task_8K2qA-shot_xxx-01")
        let request = try #require(harness.requests.first)
        #expect(request.route == "POST /v1/music-video/tasks/task_8K2qA/shots/shot_xxx/edit")
        #expect(request.json == (try fixtureJSON("shot-edit-request")))
        #expect(request.headers["Idempotency-Key"] == "music-edit-task_8K2qA-shot_xxx-01")
    }

    @Test func aComposeSendsTheDescriptionsBodyAndIsCountedAtOneDollar() async throws {
        let budget = Budget(limit: Money(Decimal(150) / 100, .usd))
        let harness = BeatAPIHarness(fixtures: [("task-processing", 202)], budget: budget)
        _ = try await harness.client.compose(taskID: "task_8K2qA", shotIDs: ["shot_xxx", "shot_yyy"])
        let request = try #require(harness.requests.first)
        #expect(request.route == "POST /v1/music-video/tasks/task_8K2qA/compose")
        #expect(request.json == (try fixtureJSON("compose-request")))
        #expect(request.headers["Idempotency-Key"] != nil)
        #expect(await budget.spent == .usd(1))

        let refused = await mediaError { try await harness.client.compose(taskID: "task_8K2qA", shotIDs: ["shot_xxx"]) }
        #expect(refused?.kind == .budgetExceeded(estimate: .usd(1), remaining: Money(Decimal(50) / 100, .usd)))
        #expect(harness.requests.count == 1)
    }

    @Test func aComposeWhoseAnswerWasLostIsRetriedUnderItsKey() async throws {
        let harness = BeatAPIHarness(sequence: [
            .failure(TransportError(.connectionLost, "reset by peer")),
            .success(try fixtureResponse("task-processing", status: 202)),
        ])
        _ = try await harness.client.compose(taskID: "task_8K2qA", shotIDs: ["shot_xxx"], idempotencyKey: "compose-1")
        #expect(harness.requests.map { $0.headers["Idempotency-Key"] } == ["compose-1", "compose-1"])
    }

    static let refused: [(String, @Sendable (BeatAPIClient) async throws -> Void)] = [
        ("task_id", { _ = try await $0.compose(taskID: " ", shotIDs: ["shot_xxx"]) }),
        ("shot_ids", { _ = try await $0.compose(taskID: "task_8K2qA", shotIDs: []) }),
        ("shot_ids", { _ = try await $0.compose(taskID: "task_8K2qA", shotIDs: [""]) }),
        ("shot_id", { _ = try await $0.editShot(taskID: "task_8K2qA", shotID: "", prompt: "x") }),
        ("prompt", { _ = try await $0.editShot(taskID: "task_8K2qA", shotID: "shot_xxx", prompt: " ") }),
        (
            "images",
            {
                let stage = FileSource.url(URL(string: "https://cdn.example.com/stage.png")!)
                _ = try await $0.editShot(
                    taskID: "task_8K2qA", shotID: "shot_xxx", prompt: "x", images: Array(repeating: stage, count: 7))
            }
        ),
        ("shot_id", { _ = try await $0.shotMedia(taskID: "task_8K2qA", shotID: "") }),
    ]

    @Test(arguments: refused)
    func aBadStoryboardCallIsRefusedNamingItsFieldWithNothingSent(
        field: String, call: @Sendable (BeatAPIClient) async throws -> Void
    ) async {
        let harness = BeatAPIHarness(fixtures: [("task-processing", 202)])
        let error = await mediaError { try await call(harness.client) }
        #expect(error?.kind.field == field)
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: [BeatAPITaskStatus.editing, .composing])
    func editingAndComposingAreFollowedAsRunning(status: BeatAPITaskStatus) {
        let task = BeatAPITask(id: "task_8K2qA", workflow: .musicVideo, status: status)
        #expect(task.status == .running(progress: nil))
        #expect(!status.isStopState)
    }
}
