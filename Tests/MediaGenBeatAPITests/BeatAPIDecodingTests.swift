import Foundation
import MediaGenBeatAPI
import MediaGenCore
import Testing

@Suite("BeatAPI schemas decode")
struct BeatAPIDecodingTests {
    func task(_ name: String) throws -> BeatAPITask {
        try JSONReader().decode(BeatAPITaskResponse.self, from: try fixture(name)).data
    }

    static let statuses: [(String, TaskStatus)] = [
        ("task-queued", .queued(position: nil)),
        ("task-processing", .running(progress: nil)),
        ("task-running", .running(progress: nil)),
        ("task-unknown-status", .running(progress: nil)),
        ("task-storyboard-ready", .awaitingAction("storyboard_ready")),
        ("task-requires-action", .awaitingAction("requires_action")),
        ("task-succeeded", .succeeded),
        ("task-failed", .failed(TaskFailure(code: "processing_failed", message: "No usable output was produced."))),
    ]

    @Test(arguments: statuses)
    func everyDocumentedStatusMaps(fixtureName: String, status: TaskStatus) throws {
        let task = try task(fixtureName)
        #expect(task.status == status)
        #expect(task.handle == TaskHandle(provider: .beatAPI, id: "task_8K2qA", model: "music-video"))
    }

    @Test func theSeedsTaskDecodesFieldForField() throws {
        let task = try task("task-queued")
        #expect(task.id == "task_8K2qA")
        #expect(task.object == "task")
        #expect(task.workflow == .musicVideo)
        #expect(task.taskStatus == .queued)
        #expect(task.rawStatus == "queued")
        #expect(task.createdAt == Date(timeIntervalSince1970: 1_782_210_000))
        #expect(task.updatedAt == Date(timeIntervalSince1970: 1_782_210_000))
        #expect(task.output == nil)
        #expect(task.outputs.isEmpty)
        #expect(
            task.usage
                == BeatAPITaskUsage(
                    creditsReserved: Money(450, .beatAPICredits), creditsSettled: Money(0, .beatAPICredits),
                    creditsRefunded: Money(0, .beatAPICredits)))
        #expect(task.requestID == "req_abc123")
        #expect(task.errorCode == nil)
        #expect(task.errorMessage == nil)
        #expect(task.failure == nil)
        #expect(task.stage == nil)
        #expect(task.completedAt == nil)
    }

    @Test func thePublishedDescriptionsExtraFieldsDecode() throws {
        let task = try task("task-succeeded")
        #expect(task.stage == "succeeded")
        #expect(task.completedAt == Date(timeIntervalSince1970: 1_782_210_095))
        #expect(task.usage?.currency == .usd)
        #expect(task.usage?.creditsCharged == .usd(450))
        #expect(task.usage?.creditsSettled == .usd(450))
        #expect(task.usage?.billableDurationSeconds == 90)
        #expect(
            task.outputs == [
                RemoteFile(
                    url: URL(string: "https://cdn.beatapi.io/outputs/task_8K2qA/video.mp4")!, contentType: "video/mp4")
            ])
    }

    @Test func aFailedTaskReportsItsRefund() throws {
        let task = try task("task-failed")
        #expect(task.usage?.creditsRefunded == .usd(450))
        #expect(task.failure == TaskFailure(code: "processing_failed", message: "No usable output was produced."))
    }

    @Test func unknownStatusesAndExtraFieldsDecode() throws {
        let task = try task("task-unknown-status")
        #expect(task.rawStatus == "rendering_previews")
        #expect(!task.taskStatus.isStopState)
        #expect(task.stage == "previews")
    }

    @Test(arguments: ["task-output-url-string", "task-output-url-object", "task-succeeded"])
    func everyPlausibleOutputShapeGivesTheVideo(fixtureName: String) throws {
        let files = try task(fixtureName).outputs
        #expect(files.map(\.url.absoluteString) == ["https://cdn.beatapi.io/outputs/task_8K2qA/video.mp4"])
    }

    @Test func anOutputObjectKeepsItsTypeAndSize() throws {
        let file = try #require(try task("task-output-url-object").outputs.first)
        #expect(file.contentType == "video/mp4")
        #expect(file.byteCount == 1_048_576)
    }

    @Test func timesAsTextAndCreditsAsTextAreRead() throws {
        let task = try task("task-lenient-types")
        #expect(task.createdAt == Date(timeIntervalSince1970: 1_782_210_000))
        #expect(task.updatedAt == Date(timeIntervalSince1970: 1_782_210_000))
        #expect(task.usage?.creditsReserved == Money(450, .beatAPICredits))
    }

    @Test func aTaskWithoutTheEnvelopeIsReadToo() throws {
        let body = Data(#"{"id": "task_1", "status": "queued"}"#.utf8)
        let answer = try JSONReader().decode(BeatAPITaskResponse.self, from: body)
        #expect(answer.data.id == "task_1")
        #expect(answer.data.usage == nil)
        #expect(answer.data.workflow == nil)
    }

    @Test func stopStatesAreTheDocumentedFour() {
        #expect(BeatAPITaskStatus.stopStates == [.storyboardReady, .requiresAction, .succeeded, .failed])
        #expect(!BeatAPITaskStatus.queued.isStopState)
        #expect(!BeatAPITaskStatus.processing.isStopState)
    }

    @Test func workflowsDecode() throws {
        let list = try JSONReader().decode(BeatAPIWorkflowListResponse.self, from: try fixture("workflows")).data
        #expect(list.object == "list")
        #expect(list.data.map(\.id) == [.musicVideo, .ecommerceVideo])
        #expect(list.data.first?.name == "Music Video API")
        #expect(list.data.first?.object == "workflow")
        #expect(list.data.last?.description?.hasPrefix("Generate product ad videos") == true)
    }

    @Test func aCreditEraUsageDecodesCreditsAndConcurrency() throws {
        let usage = try JSONReader().decode(BeatAPIUsageResponse.self, from: try fixture("usage")).data
        #expect(usage.creditBalance == Money(99_550, .beatAPICredits))
        #expect(usage.totalTasks == 3)
        #expect(usage.creditsSettled == Money(450, .beatAPICredits))
        #expect(usage.creditsRefunded == Money(450, .beatAPICredits))
        #expect(usage.concurrency?.limit == 10)
        #expect(usage.concurrency?.active == 1)
        #expect(usage.byWorkflow.map(\.workflow) == [.musicVideo, .ecommerceVideo])
        #expect(usage.byWorkflow.first?.tasks == 2)
        #expect(usage.json["object"] == "usage")
    }

    @Test func filesDecode() throws {
        let file = try JSONReader().decode(BeatAPIFileResponse.self, from: try fixture("file")).data
        #expect(file.id == "file_Q7wLk2")
        #expect(file.object == "file")
        #expect(file.key == "inputs/file_Q7wLk2.png")
        #expect(file.mimeType == "image/png")
        #expect(file.sizeBytes == 20_480)
        #expect(file.purpose == "input")
        #expect(file.createdAt == Date(timeIntervalSince1970: 1_782_209_990))
        #expect(file.audioDurationSeconds == nil)
    }

    @Test func webhookEndpointsDecodeWithoutTheirSecret() throws {
        let list = try JSONReader().decode(
            BeatAPIWebhookEndpointListResponse.self, from: try fixture("webhook-endpoints"))
        let endpoint = try #require(list.data.data.first)
        #expect(endpoint.id == "wh_Hk3mP9qZ")
        #expect(endpoint.url?.absoluteString == "https://app.example.com/hooks/beatapi")
        #expect(endpoint.events == [.taskSucceeded, .taskFailed])
        #expect(endpoint.status == .active)
        #expect(endpoint.maskedSecret == "whsec_********0000")

        let single = try JSONReader().decode(
            BeatAPIWebhookEndpointResponse.self, from: try fixture("webhook-endpoint"))
        #expect(single.data.updatedAt == Date(timeIntervalSince1970: 1_782_209_500))
    }

    @Test func theCreateAnswerCarriesTheSecretOnlyInItsOwnType() throws {
        let data = try fixture("webhook-endpoint-created")
        let created = try JSONReader().decode(BeatAPIResponse<BeatAPICreatedWebhookEndpoint>.self, from: data).data
        #expect(created.secret?.value == "whsec_TEST_ONLY_dummy_value_0000")
        #expect(created.endpoint.maskedSecret == nil)
        // The plain endpoint type never holds the real secret.
        let plain = try JSONReader().decode(BeatAPIWebhookEndpointResponse.self, from: data).data
        #expect(!String(reflecting: plain).contains("whsec_TEST"))
    }

    @Test func aDeleteAnswerDecodes() throws {
        let answer = try JSONReader().decode(
            BeatAPIResponse<BeatAPIDeleteResponse>.self, from: try fixture("webhook-endpoint-deleted")
        ).data
        #expect(answer.id == "wh_Hk3mP9qZ")
        #expect(answer.object == "webhook_endpoint")
        #expect(answer.deleted)
    }

    @Test func webhookEventsDecodeIntoTheTask() throws {
        let event = try JSONReader().decode(BeatAPIWebhookEvent.self, from: try fixture("webhook-event-failed"))
        #expect(event.id == "evt_9aB2cD4eF6gH")
        #expect(event.type == .taskFailed)
        #expect(event.createdAt == Date(timeIntervalSince1970: 1_782_210_040))
        #expect(
            event.task.status
                == .failed(TaskFailure(code: "processing_failed", message: "No usable output was produced.")))
    }

    @Test(arguments: [
        "error-400", "error-401", "error-402", "error-404", "error-409", "error-429-rate-limit",
        "error-429-concurrency", "error-500",
    ])
    func theErrorSchemaDecodes(fixtureName: String) throws {
        let error = try JSONReader().decode(BeatAPIError.Envelope.self, from: try fixture(fixtureName)).error
        #expect(error.code?.isEmpty == false)
        #expect(error.message?.isEmpty == false)
        #expect(error.requestID?.hasPrefix("req_") == true)
    }

    @Test func theErrorSchemasOptionalFieldsDecode() throws {
        let limited = try JSONReader().decode(BeatAPIError.Envelope.self, from: try fixture("error-429-rate-limit"))
        #expect(limited.error.retryAfter == .seconds(7))
        let invalid = try JSONReader().decode(BeatAPIError.Envelope.self, from: try fixture("error-400"))
        #expect(invalid.error.field == "language")
        #expect(invalid.error.details == ["field": "language"])
    }
}
