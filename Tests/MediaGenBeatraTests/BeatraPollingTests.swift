import Foundation
import MediaGenBeatra
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("Beatra polling")
struct BeatraPollingTests {
    @Test func runCreatesThenFollowsTheTaskReportingEachProgressMessage() async throws {
        let harness = BeatraHarness(fixtures: [
            ("create-accepted", 202), ("task-queued", 200), ("task-running", 200), ("task-running", 200),
            ("task-running-late", 200), ("task-succeeded-suno", 200),
        ])
        let seen = Locked<[String]>([])
        let done = try await harness.client.run(seedRequest) { task in
            seen.withLock { $0.append("\(task.rawStatus): \(task.logs.last?.message ?? "-")") }
        }
        #expect(done.status == .succeeded)
        #expect(done.outputs.count == 2)
        // The unchanged second `running` is not repeated; a new message at the same status is shown.
        #expect(
            seen.current == [
                "queued: -", "queued: Waiting for an available worker.", "running: Generating audio.",
                "running: Mastering the mix.", "succeeded: Done.",
            ])
        #expect(harness.requests.map(\.method) == [.post, .get, .get, .get, .get, .get])
        #expect(harness.routes.dropFirst().allSatisfy { $0 == "GET /v1/tasks/task_01JBEATRA0000000000000001" })
    }

    @Test func tasksArePolledWithTheDocumentedPolicy() async throws {
        let harness = BeatraHarness(fixtures: [
            ("create-accepted", 202), ("task-queued", 200), ("task-running", 200), ("task-running", 200),
            ("task-running", 200), ("task-succeeded-suno", 200),
        ])
        let created = try await harness.client.createTask(seedRequest)
        _ = try await harness.client.wait(for: created)
        // No latency is published: 2 s, then waits growing 1.5× (to at most 30 s).
        #expect(BeatraCatalog.pollingPolicy == .default)
        #expect(
            harness.clock.sleeps == [.seconds(2), .seconds(2), .seconds(3), .milliseconds(4500), .milliseconds(6750)])
    }

    @Test func aFailedTaskThrowsWithItsReasonRetryableVerdictAndID() async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202), ("task-failed-final", 200)])
        let error = await mediaError { try await harness.client.run(seedRequest, rerunsOfRetryableFailures: 2) }
        #expect(
            error?.kind
                == .taskFailed(
                    TaskFailure(
                        code: "content_rejected", message: "The prompt was rejected by the content policy.",
                        retryable: false)))
        #expect(error?.taskID == "task_01JBEATRA0000000000000001")
        // Not retryable: never created again.
        #expect(harness.requests.count == 2)
    }

    @Test func aRetryableFailureIsCreatedAgainWithANewKeyWhenAsked() async throws {
        let harness = BeatraHarness(fixtures: [
            ("create-accepted", 202), ("task-failed", 200), ("create-accepted-id", 202), ("task-succeeded-suno", 200),
        ])
        let done = try await harness.client.run(seedRequest, rerunsOfRetryableFailures: 1)
        #expect(done.status == .succeeded)
        #expect(
            harness.routes == [
                "POST /v1/music/text-to-music", "GET /v1/tasks/task_01JBEATRA0000000000000001",
                "POST /v1/music/text-to-music", "GET /v1/tasks/task_01JBEATRA0000000000000002",
            ])
        // The same key would only give back the failed task: a rerun is a new logical call.
        let keys = [harness.requests[0], harness.requests[2]].map { $0.headers["Idempotency-Key"] }
        #expect(keys[0] != keys[1])
        #expect(harness.json(0) == harness.json(2))
    }

    @Test func aRetryableFailureIsNotCreatedAgainByDefault() async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202), ("task-failed", 200)])
        let error = await mediaError { try await harness.client.run(seedRequest) }
        guard let failure = error?.kind.failure else {
            Issue.record("expected a failed task, got \(String(describing: error))")
            return
        }
        #expect(failure.retryable == true)
        #expect(harness.requests.count == 2)
    }

    @Test func runWithALocalReferenceUploadsOnceEvenWhenRerun() async throws {
        let harness = BeatraHarness(fixtures: [
            ("upload-artifact", 201), ("create-accepted", 202), ("task-failed", 200), ("create-accepted", 202),
            ("task-succeeded-suno", 200),
        ])
        _ = try await harness.client.run(
            seedRequest, referenceAudio: .file(.data(Data([1, 2]), fileName: "ref.wav")), rerunsOfRetryableFailures: 1)
        #expect(harness.routes.filter { $0 == "POST /v1/uploads" }.count == 1)
        #expect(harness.routes.filter { $0 == "POST /v1/music/reference-audio-to-music" }.count == 2)
        #expect(harness.json(1)?["reference_audio"] == ["type": "artifact", "artifact_id": "artifact_01JREFERENCE"])
    }

    @Test func aCanceledTaskEndsTheWait() async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202), ("task-canceled-top-level-refund", 200)])
        let error = await mediaError {
            try await harness.client.run(BeatraMusicRequest(model: .minimaxMusic26, prompt: "x"))
        }
        #expect(error?.kind == .canceled)
    }

    @Test func updatesFollowAPersistedHandle() async throws {
        let harness = BeatraHarness(fixtures: [("task-running", 200), ("task-succeeded-suno", 200)])
        let handle = TaskHandle(provider: .beatra, id: "task_01JBEATRA0000000000000001", model: "suno-5.5")
        var statuses: [TaskStatus] = []
        for try await task in harness.client.updates(of: handle) { statuses.append(task.status) }
        #expect(statuses == [.running(progress: 0.5), .succeeded])
    }

    @Test func theHandlesModelFillsInWhenTheTaskOmitsIt() async throws {
        let harness = BeatraHarness { _ in .json(#"{"task_id": "t1", "status": "running"}"#) }
        let task = try await harness.client.task(TaskHandle(provider: .beatra, id: "t1", model: "minimax-music-2.6"))
        #expect(task.model == "minimax-music-2.6")
    }

    @Test func cancellingThroughTheProtocolPostsToCancel() async throws {
        let harness = BeatraHarness(fixtures: [("task-canceled-top-level-refund", 200)])
        try await harness.client.cancel(TaskHandle(provider: .beatra, id: "task_01JBEATRA0000000000000004"))
        #expect(harness.routes == ["POST /v1/tasks/task_01JBEATRA0000000000000004/cancel"])
    }
}
