import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("BeatAPI polling")
struct BeatAPIPollingTests {
    @Test func runCreatesThenFollowsTheTaskReportingEachChange() async throws {
        let harness = BeatAPIHarness(fixtures: [
            ("task-queued", 201), ("task-processing", 200), ("task-processing", 200), ("task-succeeded", 200),
        ])
        let seen = Locked<[String]>([])
        let done = try await harness.client.run(Sample.seedInput) { task in seen.withLock { $0.append(task.rawStatus) }
        }
        #expect(done.status == .succeeded)
        #expect(seen.current == ["queued", "processing", "succeeded"])
        #expect(
            harness.routes == [
                "POST /v1/music-video/tasks", "GET /v1/tasks/task_8K2qA", "GET /v1/tasks/task_8K2qA",
                "GET /v1/tasks/task_8K2qA",
            ])
    }

    @Test func pollingNeverRunsFasterThanBeatAPIAsks() async throws {
        let harness = BeatAPIHarness(fixtures: [
            ("task-queued", 201), ("task-processing", 200), ("task-processing", 200), ("task-succeeded", 200),
        ])
        let created = try await harness.client.createTask(Sample.seedInput)
        _ = try await harness.client.wait(for: created)
        // From the catalog's planning latency (1–4 min): first poll at 36 s, then 12 s growing by 1.2.
        #expect(harness.clock.sleeps == [.seconds(36), .seconds(12), .milliseconds(14_400)])
        #expect(harness.clock.sleeps.allSatisfy { $0 >= .seconds(5) })
    }

    @Test(arguments: [BeatAPIWorkflowID.musicVideo, .ecommerceVideo])
    func theCatalogsPolicyRespectsTheDocumentedFloor(workflow: BeatAPIWorkflowID) throws {
        let policy = try #require(workflow.descriptor).pollingPolicy
        #expect(policy.firstDelay >= .seconds(5))
        #expect(policy.interval >= .seconds(5))
        #expect((1...50).allSatisfy { policy.delay(afterPolls: $0) >= .seconds(5) })
        let client = BeatAPIClient(apiKey: testKey)
        #expect(client.pollingPolicy(for: TaskHandle(provider: .beatAPI, id: "t", model: workflow.rawValue)) == policy)
    }

    @Test func theDocumentedCadenceIsFiveToTenSeconds() async throws {
        let policy = BeatAPIClient.documentedPolling
        #expect(policy.firstDelay == .seconds(5))
        #expect((1...50).allSatisfy { (.seconds(5)...(.seconds(10))).contains(policy.delay(afterPolls: $0)) })

        let harness = BeatAPIHarness(fixtures: [
            ("task-queued", 201), ("task-processing", 200), ("task-processing", 200), ("task-succeeded", 200),
        ])
        _ = try await harness.client.run(Sample.seedInput, policy: policy)
        #expect(harness.clock.sleeps == [.seconds(5), .seconds(5), .milliseconds(6250)])
    }

    @Test(arguments: ["task-storyboard-ready", "task-requires-action"])
    func aStopStateEndsTheWaitAwaitingAction(fixtureName: String) async throws {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201), (fixtureName, 200), ("task-succeeded", 200)])
        let stopped = try await harness.client.run(Sample.seedInput)
        guard let reason = stopped.status.actionReason else {
            Issue.record("expected awaitingAction, got \(stopped.status)")
            return
        }
        #expect(reason == stopped.rawStatus)
        #expect(stopped.taskStatus.isStopState)
        #expect(harness.requests.count == 2)
    }

    @Test func aFailedTaskThrowsWithItsIdAndReason() async {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201), ("task-failed", 200)])
        let error = await mediaError { try await harness.client.run(Sample.seedInput) }
        #expect(
            error?.kind
                == .taskFailed(TaskFailure(code: "processing_failed", message: "No usable output was produced.")))
        #expect(error?.taskID == "task_8K2qA")
        #expect(error?.providerCode == "processing_failed")
    }

    @Test func updatesFollowAPersistedHandle() async throws {
        let harness = BeatAPIHarness(fixtures: [
            ("task-running", 200), ("task-processing", 200), ("task-succeeded", 200),
        ])
        let saved = try JSONEncoder().encode(TaskHandle(provider: .beatAPI, id: "task_8K2qA", model: "music-video"))
        let handle = try JSONDecoder().decode(TaskHandle.self, from: saved)
        var statuses: [String] = []
        for try await task in harness.client.updates(of: handle) { statuses.append(task.rawStatus) }
        #expect(statuses == ["running", "processing", "succeeded"])
    }

    @Test func anEcommerceVideoRunsToo() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-ecommerce-queued", 201), ("task-succeeded", 200)])
        let done = try await harness.client.run(Sample.ecommerce)
        #expect(done.outputs.count == 1)
        #expect(harness.routes.first == "POST /v1/ecommerce-video/tasks")
    }
}
