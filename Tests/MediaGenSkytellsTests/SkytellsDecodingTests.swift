import Foundation
import MediaGenCore
import MediaGenSkytells
import Testing

@Suite("Skytells prediction decoding")
struct SkytellsDecodingTests {
    static let statuses: [(String, TaskStatus)] = [
        ("prediction-queued", .queued(position: nil)),
        ("prediction-pending", .queued(position: nil)),
        ("prediction-starting", .running(progress: nil)),
        ("prediction-processing-progress", .running(progress: 0.42)),
        ("prediction-processing-percent", .running(progress: 0.65)),
        ("prediction-succeeded-list", .succeeded),
        ("prediction-succeeded-string", .succeeded),
        ("prediction-official-client", .succeeded),
        ("prediction-canceled", .canceled),
        ("prediction-cancelled", .canceled),
        (
            "prediction-failed-string",
            .failed(TaskFailure(message: "Video generation failed: prompt rejected by the safety filter"))
        ),
        (
            "prediction-failed-object",
            .failed(TaskFailure(code: "INFERENCE_TIMEOUT", message: "Model took too long to respond"))
        ),
        (
            "prediction-failed-top-level",
            .failed(
                TaskFailure(code: "CONTENT_POLICY_VIOLATION", message: "The prompt was flagged by safety controls."))
        ),
        ("prediction-unknown-status", .running(progress: nil)),
        ("prediction-status-false-queued", .queued(position: nil)),
        ("prediction-await-succeeded", .succeeded),
        ("prediction-await-video-pending", .queued(position: nil)),
    ]

    @Test(arguments: statuses)
    func everyDocumentedShapeDecodes(fixtureName: String, status: TaskStatus) throws {
        let prediction = try JSONReader().decode(Prediction.self, from: try fixture(fixtureName))
        #expect(prediction.status == status)
        #expect(prediction.handle.provider == .skytells)
    }

    /// Skytells' TypeScript SDK reads a prediction whose top-level `status` is `false` as still queued;
    /// the `error.message` it carries is a note, not a failure.
    @Test func aQueuedStatusFalseEnvelopeIsAQueuedPredictionWithoutAFailure() throws {
        let prediction = try JSONReader().decode(
            Prediction.self, from: try fixture("prediction-status-false-queued"))
        #expect(prediction.id == "pred_aud_q7f3a91c")
        #expect(prediction.rawStatus == "queued")
        #expect(prediction.failure == nil)
        #expect(prediction.model == "beatfusion-2.0")
        #expect(
            prediction.handle.statusURL?.absoluteString == "https://api.skytells.ai/v1/predictions/pred_aud_q7f3a91c")
    }

    @Test func unknownStatusesKeepTheirRawText() throws {
        let prediction = try JSONReader().decode(Prediction.self, from: try fixture("prediction-unknown-status"))
        #expect(prediction.rawStatus == "warming_up")
    }

    @Test(arguments: [
        ("prediction-queued", [String]()),
        ("prediction-succeeded-list", ["https://cdn.skytells.ai/outputs/pred_aud_7f3k/audio.mp3"]),
        ("prediction-succeeded-string", ["https://cdn.skytells.ai/outputs/pred_vid_9q2/video.mp4"]),
    ])
    func outputMayBeNullOneURLOrAList(fixtureName: String, urls: [String]) throws {
        let prediction = try JSONReader().decode(Prediction.self, from: try fixture(fixtureName))
        #expect(prediction.outputURLs.map(\.absoluteString) == urls)
        #expect(prediction.outputs.map(\.url.absoluteString) == urls)
    }

    @Test func outputsExpireADayAfterCompletion() throws {
        let prediction = try JSONReader().decode(Prediction.self, from: try fixture("prediction-succeeded-list"))
        let completed = try #require(prediction.completedAt)
        #expect(prediction.outputs.first?.expiresAt == completed.addingTimeInterval(24 * 3600))
        #expect(prediction.createdAt == Date(timeIntervalSince1970: 1_795_168_800))
    }

    @Test func theOfficialClientsShapeGivesModelLinksFilesAndCredits() throws {
        let prediction = try JSONReader().decode(Prediction.self, from: try fixture("prediction-official-client"))
        #expect(prediction.model == "lipfusion")
        #expect(prediction.modelType == "video")
        #expect(prediction.creditsUsed == Decimal(string: "0.6"))
        #expect(
            prediction.urls["cancel"]?.absoluteString == "https://api.skytells.ai/v1/predictions/pred_lip_42/cancel")
        #expect(prediction.handle.statusURL?.absoluteString == "https://api.skytells.ai/v1/predictions/pred_lip_42")
        let file = try #require(prediction.outputs.first)
        #expect(file.fileName == "out.mp4")
        #expect(file.contentType == "video/mp4")
        #expect(file.byteCount == 1_048_576)
        #expect(prediction.metrics?["predict_time"] == 44.8)
    }

    @Test func aHandleRoundTripsThroughJSON() throws {
        let prediction = try JSONReader().decode(Prediction.self, from: try fixture("prediction-queued"))
        let restored = try JSONDecoder().decode(TaskHandle.self, from: JSONEncoder().encode(prediction.handle))
        #expect(restored == prediction.handle)
        #expect(restored.model == "truefusion-video-pro")
    }

    /// `status` is read once, whatever its kind: a string is the status, `false` the queued
    /// envelope, `null` or nothing "unknown"; any other kind is refused as a string expected.
    @Test(arguments: [
        (#""processing""#, "processing"), ("false", "queued"), ("null", "unknown"), ("", "unknown"),
    ])
    func theStatusIsReadWhateverItsKind(status: String, rawStatus: String) throws {
        let member = status.isEmpty ? "" : #", "status": \#(status)"#
        let prediction = try JSONReader().decode(Prediction.self, from: Data(#"{"id": "p1"\#(member)}"#.utf8))
        #expect(prediction.rawStatus == rawStatus)
    }

    @Test(arguments: ["true", "7", #"{"state": "queued"}"#, #"["queued"]"#])
    func aStatusOfAnotherKindIsADecodingError(status: String) {
        #expect(throws: DecodingError.self) {
            try JSONReader().decode(Prediction.self, from: Data(#"{"id": "p1", "status": \#(status)}"#.utf8))
        }
    }

    @Test func aPredictionWithoutAnIdIsADecodingError() {
        #expect(throws: DecodingError.self) {
            try JSONReader().decode(Prediction.self, from: Data(#"{"status": "queued"}"#.utf8))
        }
    }
}
