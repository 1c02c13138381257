import Foundation
import MediaGenBeatra
import MediaGenCore
import Testing

@Suite("Beatra task decoding")
struct BeatraDecodingTests {
    static let statuses: [(String, TaskStatus)] = [
        ("create-accepted", .queued(position: nil)),
        ("create-accepted-id", .queued(position: nil)),
        ("task-queued", .queued(position: nil)),
        ("task-running", .running(progress: 0.5)),
        ("task-running-late", .running(progress: 0.85)),
        ("task-succeeded-suno", .succeeded),
        ("task-succeeded-minimax-url", .succeeded),
        (
            "task-failed",
            .failed(
                TaskFailure(code: "generation_failed", message: "The model failed to generate audio.", retryable: true))
        ),
        (
            "task-failed-final",
            .failed(
                TaskFailure(
                    code: "content_rejected", message: "The prompt was rejected by the content policy.",
                    retryable: false))
        ),
        ("task-canceled-top-level-refund", .canceled),
        ("task-unknown-status", .running(progress: 0.05)),
    ]

    @Test(arguments: statuses)
    func everyDocumentedShapeDecodes(fixtureName: String, status: TaskStatus) throws {
        let task = try decodeTask(fixtureName)
        #expect(task.status == status)
        #expect(task.handle.provider == .beatra)
    }

    @Test(arguments: [
        ("create-accepted", "task_01JBEATRA0000000000000001"),
        ("create-accepted-id", "task_01JBEATRA0000000000000002"),
        ("task-succeeded-minimax-url", "task_01JBEATRA0000000000000003"),
    ])
    func theIdArrivesAsTaskIDOrID(fixtureName: String, id: String) throws {
        #expect(try decodeTask(fixtureName).id == id)
    }

    @Test func aBodyWithoutAnyIdIsADecodingError() {
        #expect(throws: DecodingError.self) {
            try JSONReader().decode(BeatraTask.self, from: Data(#"{"status": "queued"}"#.utf8))
        }
    }

    @Test func unknownStatusesKeepTheirRawText() throws {
        let task = try decodeTask("task-unknown-status")
        #expect(task.rawStatus == "rehosting_reference")
        #expect(task.progress?.stage == "rehosting")
    }

    @Test func progressBecomesAFractionAndItsMessageALogLine() throws {
        let task = try decodeTask("task-running")
        #expect(task.progress == BeatraProgress(percent: 50, stage: "generating", message: "Generating audio."))
        #expect(task.logs == [TaskLog(message: "Generating audio.", level: "generating")])
        #expect(try decodeTask("create-accepted").logs.isEmpty)
    }

    @Test func sunoReturnsTwoClipsWithTheirArtifactIDs() throws {
        let task = try decodeTask("task-succeeded-suno")
        #expect(task.clips.count == 2)
        #expect(task.clips.map(\.artifactID) == ["artifact_01JCLIPA", "artifact_01JCLIPB"])
        #expect(task.clips.map(\.duration) == [.milliseconds(184_500), .milliseconds(176_250)])
        #expect(
            task.outputs.map(\.url.absoluteString) == [
                "https://cdn.beatra.ai/clips/01JCLIPA/audio.mp3", "https://cdn.beatra.ai/clips/01JCLIPB/audio.mp3",
            ])
        // Both URLs end in audio.mp3: named after the artifacts, the downloads cannot collide.
        #expect(task.outputs.map(\.suggestedFileName) == ["artifact_01JCLIPA.mp3", "artifact_01JCLIPB.mp3"])
        #expect(task.title == "City Lights")
        #expect(task.metadata == ["campaign": "spring", "variant": 2])
        #expect(task.completedAt == Date(timeIntervalSince1970: 1_795_168_890))
    }

    @Test func minimaxReturnsOneClipWhoseURLMayBeCalledURL() throws {
        let task = try decodeTask("task-succeeded-minimax-url")
        #expect(task.outputs.map(\.url.absoluteString) == ["https://cdn.beatra.ai/clips/01JCLIPC/track.wav"])
        #expect(task.outputs.first?.suggestedFileName == "artifact_01JCLIPC.wav")
        #expect(task.clips.first?.duration == nil)
        #expect(task.type == "reference-audio-to-music")
    }

    @Test func aClipWithoutAURLIsSkipped() throws {
        let body =
            #"{"task_id": "t", "status": "succeeded", "output": {"clips": [{"artifact_id": "a"}, {"url": "https://x.test/b.mp3"}]}}"#
        let task = try JSONReader().decode(BeatraTask.self, from: Data(body.utf8))
        #expect(task.clips.count == 1)
        #expect(task.outputs.first?.suggestedFileName == "b.mp3")
    }

    @Test func billingIsMoneyInCreditsAndUSD() throws {
        let billing = try #require(try decodeTask("task-running").billing)
        #expect(billing.charged == Money(80, BeatraCatalog.credits))
        #expect(billing.chargedUSDReference == .usd(cents: 8))
        #expect(billing.refunded == nil)
        #expect(billing.net == Money(80, BeatraCatalog.credits))
        #expect(billing.charged?.description == "80 Beatra credits (≈ $0.08)")
    }

    @Test(arguments: ["task-failed", "task-canceled-top-level-refund"])
    func refundsAreReadInsideOrBesideBilling(fixtureName: String) throws {
        let billing = try #require(try decodeTask(fixtureName).billing)
        let charged = try #require(billing.charged)
        #expect(billing.refunded == charged)
        #expect(billing.refundedUSDReference == billing.chargedUSDReference)
        #expect(billing.net == Money(0, BeatraCatalog.credits))
    }

    @Test func numericStringsAreReadAsAmounts() throws {
        let billing = try #require(try decodeTask("task-succeeded-minimax-url").billing)
        #expect(billing.charged == Money(50, BeatraCatalog.credits))
        #expect(billing.chargedUSDReference == .usd(cents: 5))
    }

    @Test func aTaskWithoutBillingHasNone() throws {
        #expect(try decodeTask("create-accepted").billing == nil)
    }

    @Test func aHandleRoundTripsThroughJSON() throws {
        let task = try decodeTask("task-running")
        let restored = try JSONDecoder().decode(TaskHandle.self, from: JSONEncoder().encode(task.handle))
        #expect(restored == task.handle)
        #expect(restored.model == "suno-5.5")
    }

    @Test func artifactsDecodeFromEitherIdField() throws {
        let full = try JSONReader().decode(BeatraArtifact.self, from: try fixture("upload-artifact"))
        #expect(full.id == "artifact_01JREFERENCE")
        #expect(full.purpose == "reference_audio")
        #expect(full.contentType == "audio/mpeg")
        #expect(full.fileName == "reference.mp3")
        #expect(full.createdAt != nil)
        let bare = try JSONReader().decode(BeatraArtifact.self, from: try fixture("upload-artifact-id"))
        #expect(bare.id == full.id)
    }

    @Test func aListPageMayBeABareArray() throws {
        let page = try JSONReader().decode(BeatraTaskPage.self, from: Data(#"[{"task_id": "a"}]"#.utf8))
        #expect(page.data.map(\.id) == ["a"])
        #expect(page.hasMore == false)
        #expect(page.nextCursor == nil)
    }
}
