import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// The reads and writes beside the workflow creates — `listWorkflows`, `getTask`, `uploadFile` and
/// the webhook-endpoint operations — each sent on its documented route and answered with the
/// example BeatAPI's published description gives for it (`Fixtures/SOURCES.md`, "spec").
@Suite("BeatAPI workflows, tasks, files and webhook endpoints read the spec's examples")
struct BeatAPIResourceSpecTests {
    static func date(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }

    // MARK: - listWorkflows

    /// (position, id, name, description) as `operations.listWorkflows`' 200 example lists them.
    static let specWorkflows: [(Int, BeatAPIWorkflowID, String, String)] = [
        (
            0, .musicVideo, "Music Video API",
            "Generate short music video clips from audio, lyrics, and visual direction."
        ),
        (
            1, .ecommerceVideo, "Ecommerce Video API",
            "Generate product ad videos from product images and a short creative brief."
        ),
        (
            2, BeatAPIWorkflowID("video-analysis"), "Video Analysis API",
            "Analyze an uploaded video with timestamp-aware multimodal reasoning."
        ),
    ]

    @Test(arguments: specWorkflows)
    func eachWorkflowOfTheSpecsListDecodes(
        position: Int, id: BeatAPIWorkflowID, name: String, description: String
    ) async throws {
        let harness = BeatAPIHarness(fixtures: [("workflows-spec", 200)])
        let list = try await harness.client.listWorkflows()
        #expect(harness.routes == ["GET /v1/workflows"])
        #expect(list.object == "list")
        #expect(list.data.count == Self.specWorkflows.count)
        let workflow = try #require(list.data.count > position ? list.data[position] : nil)
        #expect(workflow.id == id)
        #expect(workflow.object == "workflow")
        #expect(workflow.name == name)
        #expect(workflow.description == description)
        // The SDK runs the two launch workflows; `video-analysis` is listed but has no catalog entry.
        #expect((id.descriptor != nil) == (id == .musicVideo || id == .ecommerceVideo))
    }

    // MARK: - getTask

    /// A `Task` the spec shows, and what it says.
    struct SpecTask: Sendable, CustomTestStringConvertible {
        /// The fixture whose `data` member is the task.
        let fixture: String
        let id: String
        let workflow: BeatAPIWorkflowID?
        let status: BeatAPITaskStatus
        let updated: TimeInterval
        let completed: TimeInterval?
        let outputs: [String]
        let requestID: String
        let shots: Int?

        var testDescription: String { fixture }
    }

    static let specTasks = [
        SpecTask(
            fixture: "task-ecommerce-created-usd", id: "task_p9Lm2", workflow: .ecommerceVideo, status: .queued,
            updated: 1_782_210_000, completed: nil, outputs: [], requestID: "req_def456", shots: nil),
        SpecTask(
            fixture: "webhook-event-music-video-usd", id: "task_8K2qA", workflow: .musicVideo, status: .succeeded,
            updated: 1_782_210_300, completed: 1_782_210_300,
            outputs: ["https://media.beatapi.io/outputs/task_8K2qA/0.mp4"], requestID: "req_abc123", shots: 1),
        SpecTask(
            fixture: "webhook-event-video-usd", id: "task_8K2qA", workflow: nil, status: .succeeded,
            updated: 1_782_210_300, completed: 1_782_210_300,
            outputs: ["https://media.beatapi.io/outputs/task_8K2qA/0.mp4"], requestID: "req_abc123", shots: nil),
    ]

    /// `getTask` (`GET /v1/tasks/{task_id}`) answered with each `Task` the spec shows (the
    /// `createEcommerceVideoTask` 201 example, and the task of each `WebhookEvent` example), as its
    /// `TaskResponse` envelope.
    @Test(arguments: specTasks)
    func getTaskReadsEachOfTheSpecsTasks(expected: SpecTask) async throws {
        let task = try #require(try fixtureJSON(expected.fixture)["data"])
        let body = try JSONEncoder().encode(JSONValue.object(["data": task]))
        let harness = BeatAPIHarness { _ in HTTPResponse(status: 200, body: body) }

        let read = try await harness.client.task(id: expected.id)

        #expect(harness.routes == ["GET /v1/tasks/\(expected.id)"])
        #expect(harness.requests.first?.body == nil)
        #expect(read.id == expected.id)
        #expect(read.object == "task")
        #expect(read.workflow == expected.workflow)
        #expect(read.taskStatus == expected.status)
        #expect(read.stage == expected.status.rawValue)
        #expect(read.createdAt == Self.date(1_782_210_000))
        #expect(read.updatedAt == Self.date(expected.updated))
        #expect(read.completedAt == expected.completed.map(Self.date))
        #expect(read.outputs.map(\.url.absoluteString) == expected.outputs)
        #expect(read.outputs.allSatisfy { $0.contentType == "video/mp4" })
        #expect(read.requestID == expected.requestID)
        #expect(read.errorCode == nil)
        #expect(read.errorMessage == nil)
        #expect(read.failure == nil)
        #expect(read.storyboard?.shots.count == expected.shots)
        #expect(read.handle == TaskHandle(provider: .beatAPI, id: expected.id, model: expected.workflow?.rawValue))
    }

    @Test func getTasksDocumented404IsNotFound() async {
        let harness = BeatAPIHarness(fixtures: [("error-404-spec", 404)])
        let error = await mediaError { try await harness.client.task(id: "task_missing") }
        #expect(error?.kind == .notFound)
        #expect(error?.providerCode == "not_found")
        #expect(error?.taskID == "task_missing")
        #expect(harness.requests.count == 1)
    }

    // MARK: - uploadFile

    /// (fixture, id, url, key, MIME type, size, measured audio seconds): the spec's example first.
    static let files: [(String, String, String, String, String, Int64, Decimal?)] = [
        (
            "file-spec", "file_3xYz9", "https://media.beatapi.io/inputs/file_3xYz9.mp3", "inputs/file_3xYz9.mp3",
            "audio/mpeg", 1_048_576, Decimal(string: "64.02")
        ),
        (
            "file", "file_Q7wLk2", "https://files.beatapi.io/inputs/file_Q7wLk2.png", "inputs/file_Q7wLk2.png",
            "image/png", 20_480, nil
        ),
    ]

    @Test(arguments: files)
    func uploadFileReadsTheFileSchema(
        fixtureName: String, id: String, url: String, key: String, mimeType: String, size: Int64, seconds: Decimal?
    ) async throws {
        let harness = BeatAPIHarness(fixtures: [(fixtureName, 201)])
        let file = try await harness.client.upload(.data(Data(repeating: 7, count: 64), fileName: "input.mp3"))
        #expect(harness.routes == ["POST /v1/files"])
        #expect(harness.requests.first?.headers["Idempotency-Key"] == nil)
        #expect(file.id == id)
        #expect(file.object == "file")
        #expect(file.url.absoluteString == url)
        #expect(file.key == key)
        #expect(file.mimeType == mimeType)
        #expect(file.sizeBytes == size)
        #expect(file.purpose == "input")
        #expect(file.audioDurationSeconds == seconds)
        #expect(file.createdAt != nil)
    }

    // MARK: - Webhook endpoints

    /// The calls that answer one `WebhookEndpoint`, each with its spec example (`updateWebhookEndpoint`
    /// shows none: its answer is the same `WebhookEndpointResponse`, so `getWebhookEndpoint`'s is used).
    enum EndpointCall: String, CaseIterable, Sendable {
        case list, get, create, update

        var answer: (String, Int) {
            switch self {
            case .list: ("webhook-endpoints-spec", 200)
            case .get, .update: ("webhook-endpoint-spec", 200)
            case .create: ("webhook-endpoint-created-spec", 201)
            }
        }

        var route: String {
            switch self {
            case .list: "GET /v1/webhooks"
            case .get: "GET /v1/webhooks/wh_9aBcD"
            case .create: "POST /v1/webhooks"
            case .update: "PATCH /v1/webhooks/wh_9aBcD"
            }
        }

        /// The request body the spec's example shows for the call, if it has one.
        var requestFixture: String? {
            switch self {
            case .list, .get: nil
            case .create: "webhook-endpoint-create-request"
            case .update: "webhook-endpoint-update-request"
            }
        }

        /// The endpoint, and the secret when the call returns one.
        func send(_ client: BeatAPIClient) async throws -> (BeatAPIWebhookEndpoint, BeatAPIWebhookSecret?) {
            switch self {
            case .list:
                let list = try await client.listWebhookEndpoints()
                #expect(list.object == "list")
                #expect(list.data.count == 1)
                return (try #require(list.data.first), nil)
            case .get:
                return (try await client.webhookEndpoint(id: "wh_9aBcD"), nil)
            case .create:
                let url = try #require(URL(string: "https://example.com/beatapi-webhook"))
                let created = try await client.createWebhookEndpoint(url: url, events: [.taskSucceeded, .taskFailed])
                return (created.endpoint, created.secret)
            case .update:
                return (try await client.updateWebhookEndpoint(id: "wh_9aBcD", status: .disabled), nil)
            }
        }
    }

    @Test(arguments: EndpointCall.allCases)
    func eachWebhookEndpointCallSendsTheSpecsRequestAndReadsItsExample(call: EndpointCall) async throws {
        let harness = BeatAPIHarness(fixtures: [call.answer])
        let (endpoint, secret) = try await call.send(harness.client)

        #expect(harness.routes == [call.route])
        let request = try #require(harness.requests.first)
        #expect(request.headers["Idempotency-Key"] == nil)
        if let name = call.requestFixture {
            #expect(request.json == (try fixtureJSON(name)))
        } else {
            #expect(request.body == nil)
        }
        #expect(endpoint.id == "wh_9aBcD")
        #expect(endpoint.object == "webhook_endpoint")
        #expect(endpoint.url?.absoluteString == "https://example.com/beatapi-webhook")
        #expect(endpoint.description == "Production webhook")
        #expect(endpoint.events == [.taskSucceeded, .taskFailed])
        #expect(endpoint.status == .active)
        #expect(endpoint.createdAt == Self.date(1_782_210_000))
        #expect(endpoint.updatedAt == Self.date(1_782_210_000))
        // The create alone returns the secret in full; the plain endpoint type never holds it. The
        // spec's placeholder for a masked secret (`whsec_example_masked`) shows no mask, so it is
        // not kept as `maskedSecret` either: only a value with `*` is.
        #expect(secret?.value == (call == .create ? "whsec_example_store_this_once" : nil))
        #expect(endpoint.maskedSecret == nil)
        #expect(!String(reflecting: endpoint).contains("whsec_example"))
    }

    /// (fixture, id, object): `DeleteResponse` as the spec's example gives it (`{"id", "deleted"}`),
    /// and the seed's shape with `object`.
    static let deletions: [(String, String, String?)] = [
        ("webhook-endpoint-deleted-spec", "wh_9aBcD", nil),
        ("webhook-endpoint-deleted", "wh_Hk3mP9qZ", "webhook_endpoint"),
    ]

    @Test(arguments: deletions)
    func deleteWebhookEndpointReadsTheDeleteResponse(fixtureName: String, id: String, object: String?) async throws {
        let harness = BeatAPIHarness(fixtures: [(fixtureName, 200)])
        let answer = try await harness.client.deleteWebhookEndpoint(id: id)
        #expect(harness.routes == ["DELETE /v1/webhooks/\(id)"])
        #expect(harness.requests.first?.body == nil)
        #expect(answer.id == id)
        #expect(answer.object == object)
        #expect(answer.deleted)
    }
}
