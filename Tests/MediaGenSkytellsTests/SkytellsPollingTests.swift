import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport
import Testing

@Suite("Skytells polling")
struct SkytellsPollingTests {
    @Test func runCreatesThenFollowsThePredictionReportingEachChange() async throws {
        let harness = SkytellsHarness(fixtures: [
            ("prediction-queued", 201), ("prediction-starting", 200), ("prediction-processing-progress", 200),
            ("prediction-processing-progress", 200), ("prediction-succeeded-string", 200),
        ])
        let updates = Locked<[String]>([])
        let input = SkytellsVideoInput(prompt: "forest", duration: .seconds(5))
        let done = try await harness.client.run(.trueFusionVideoPro, input: input) { prediction in
            updates.withLock { $0.append(prediction.rawStatus) }
        }
        #expect(done.status == .succeeded)
        #expect(updates.current == ["queued", "starting", "processing", "succeeded"])
        #expect(harness.requests.map(\.method) == [.post, .get, .get, .get, .get])
    }

    @Test func videoIsPolledAtItsModelsPaceNotEveryTwoSeconds() async throws {
        let harness = SkytellsHarness(fixtures: [
            ("prediction-queued", 201), ("prediction-processing-progress", 200), ("prediction-succeeded-string", 200),
        ])
        let created = try await harness.client.createPrediction(
            .trueFusionVideoPro, input: SkytellsVideoInput(prompt: "forest"))
        _ = try await harness.client.wait(for: created)
        // TrueFusion Video Pro takes about 60 s: first look after 36 s, then every ~4.8 s.
        #expect(harness.clock.sleeps == [.seconds(36), .milliseconds(4800)])
    }

    @Test func aFailedPredictionThrowsWithItsIdAndReason() async {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201), ("prediction-failed-object", 200)])
        let error = await mediaError {
            try await harness.client.run(.trueFusionVideoPro, input: SkytellsVideoInput(prompt: "forest"))
        }
        #expect(
            error?.kind
                == .taskFailed(TaskFailure(code: "INFERENCE_TIMEOUT", message: "Model took too long to respond")))
        #expect(error?.taskID == "pred_vid_abc123")
    }

    @Test func updatesFollowAPersistedHandle() async throws {
        let harness = SkytellsHarness(fixtures: [
            ("prediction-processing-progress", 200), ("prediction-cancelled", 200),
        ])
        let handle = TaskHandle(provider: .skytells, id: "pred_vid_abc123", model: "truefusion-video-pro")
        var statuses: [TaskStatus] = []
        for try await prediction in harness.client.updates(of: handle) { statuses.append(prediction.status) }
        #expect(statuses == [.running(progress: 0.42), .canceled])
    }

    @Test func cancellingThroughTheProtocolPostsToCancel() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-cancelled", 200)])
        try await harness.client.cancel(TaskHandle(provider: .skytells, id: "pred_9"))
        #expect(harness.requests.first.map { "\($0.method) \($0.url.path)" } == "POST /v1/predictions/pred_9/cancel")
    }
}
