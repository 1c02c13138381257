import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import Testing

@Suite("fal answers decoded")
struct FalDecodingTests {
    @Test(arguments: [
        ("status-in-queue", 202, TaskStatus.queued(position: 3), "IN_QUEUE"),
        ("status-in-progress", 202, .running(progress: nil), "IN_PROGRESS"),
        ("status-completed", 200, .succeeded, "COMPLETED"),
        (
            "status-completed-error", 200,
            .failed(TaskFailure(code: "runner_server_error", message: "Runner encountered an internal server error.")),
            "COMPLETED"
        ),
        (
            "status-completed-error-null-logs", 200,
            .failed(TaskFailure(code: "request_timeout", message: "Request timed out")), "COMPLETED"
        ),
        ("status-completed-cancelled", 200, .canceled, "COMPLETED"),
        ("status-unknown", 200, .running(progress: nil), "RESCHEDULED"),
    ])
    func everyStatusShapeMapsToTheSharedStatus(fixtureName: String, code: Int, status: TaskStatus, raw: String)
        async throws
    {
        let harness = FalHarness(fixtures: [(fixtureName, code)])
        let request = try await harness.client.request(seedHandle, logs: true)
        #expect(request.status == status)
        #expect(request.rawStatus == raw)
        #expect(request.requestID == requestID)
        #expect(request.handle == seedHandle)
    }

    @Test func aCompletedStatusCarriesLogsAndMetricsButNoOutput() async throws {
        let harness = FalHarness(fixtures: [("status-completed", 200)])
        let request = try await harness.client.request(seedHandle, logs: true)
        #expect(request.logs.count == 3)
        #expect(
            request.logs.first
                == TaskLog(message: "Loading model", timestamp: "2026-03-01T10:00:01.120Z", level: "INFO"))
        #expect(request.metrics?["inference_time"] == 19.42)
        #expect(request.output == nil)
        #expect(request.outputs.isEmpty)
    }

    /// fal answers `"logs": null` when logs were not asked for (fal's Python client keeps it as
    /// `None`): no log lines, the metrics and the typed error still read.
    @Test func aCompletedStatusWithNullLogsHasNoLinesAndKeepsItsTypedError() async throws {
        let harness = FalHarness(fixtures: [("status-completed-error-null-logs", 200)])
        let request = try await harness.client.request(seedHandle)
        #expect(request.logs.isEmpty)
        #expect(request.metrics?["inference_time"] == 1.5)
        #expect(request.errorType == "request_timeout")
        #expect(harness.routes == ["GET \(queueBase)/status?logs=false"])
    }

    @Test(arguments: ["submit-response", "submit-response-with-status"])
    func bothSubmitAnswerShapesStartQueued(fixtureName: String) async throws {
        let harness = FalHarness(fixtures: [(fixtureName, 200)])
        let request = try await harness.client.createRequest(
            .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        #expect(request.rawStatus == "IN_QUEUE")
        #expect(request.handle == seedHandle)
        if case .queued = request.status {
            #expect(request.status.queuePosition != nil)
        } else {
            Issue.record("expected queued, got \(request.status)")
        }
    }

    @Test func theFullBeatovenOutputDecodes() throws {
        let output = try JSONReader().decode(BeatovenOutput.self, from: fixture("beatoven-output"))
        #expect(output.audio.contentType == "audio/wav")
        #expect(output.audio.fileName == "music_ZfniDF.wav")
        #expect(output.audio.fileSize == 5_292_044)
        #expect(output.prompt == "Jazz music for a late-night restaurant setting")
        #expect(output.metadata?.duration == 30)
        #expect(output.metadata?.sampleRate == 44_100)
        #expect(output.metadata?.parameters?["seed"] == 7)
        #expect(output.audio.remoteFile.byteCount == 5_292_044)
    }

    @Test func theSeedsOwnExampleOutputDecodesThoughItLacksMetadata() throws {
        let output = try JSONReader().decode(BeatovenOutput.self, from: fixture("beatoven-output-seed"))
        #expect(
            output.audio.url.absoluteString
                == "https://v3b.fal.media/files/b/rabbit/DBesSNPP6NwfhwMftene-_music_ZfniDF.wav")
        #expect(output.prompt == "")
        #expect(output.metadata == nil)
        #expect(output.audio.remoteFile.suggestedFileName == "DBesSNPP6NwfhwMftene-_music_ZfniDF.wav")
    }

    @Test func filesAreFoundInAnyUntypedOutput() async throws {
        let output: JSONValue = [
            "images": [
                ["url": "https://cdn.test/a.png", "content_type": "image/png"], ["url": "https://cdn.test/b.png"],
            ],
            "audio": ["url": "https://cdn.test/c.wav", "file_size": 10],
            "seed": 7, "note": ["url": "not a url"],
        ]
        var request = try await FalHarness(fixtures: [("status-completed", 200)]).client.request(seedHandle)
        request.output = output
        // Keys in order, then array order.
        #expect(
            request.outputs.map(\.url.absoluteString) == [
                "https://cdn.test/c.wav", "https://cdn.test/a.png", "https://cdn.test/b.png",
            ])
        #expect(request.outputs.first?.byteCount == 10)
        #expect(request.outputs[1].contentType == "image/png")
    }

    @Test func aFileSizeSentAsTextIsStillRead() throws {
        let file = try JSONReader().decode(
            FalFile.self, from: Data(#"{"url": "https://cdn.test/a.wav", "file_size": "42"}"#.utf8))
        #expect(file.fileSize == 42)
        let encoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(file))
        #expect(encoded == ["url": "https://cdn.test/a.wav", "file_size": 42])
    }
}
