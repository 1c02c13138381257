import Foundation
import MediaGenCore

/// BeatAPI's `Task` schema: one run of a workflow, from `queued` to a stop state.
///
/// ```swift
/// let task = try await beatAPI.task(id: "task_8K2qA")
/// print(task.workflow ?? "?", task.rawStatus)          // music-video processing
/// print(task.usage?.creditsReserved ?? "unknown")      // $4.50
/// if let video = task.outputs.first {
///     try await video.download(to: URL(fileURLWithPath: "outputs/"))
/// }
/// ```
///
/// Decoding takes the API reference's fields and those of BeatAPI's published description (`stage`,
/// `completed_at`, `usage.credits_charged`), requires only `id`, and ignores anything else.
/// Times are Unix seconds (ISO 8601 text is read too). `output` is kept as sent and read into
/// ``outputs`` from every plausible shape: `{"media": [{"url", "mime_type"}]}` (BeatAPI's
/// description), a URL, a list, or an object with a `url`.
public struct BeatAPITask: MediaTask, Hashable, Sendable, Decodable {
    public var id: String { fields.value.id }
    /// `"task"`.
    public var object: String? { fields.value.object }
    public var workflow: BeatAPIWorkflowID? { fields.value.workflow }
    /// The status as BeatAPI sent it.
    public var taskStatus: BeatAPITaskStatus { fields.value.taskStatus }
    /// The step the task is at, when BeatAPI says.
    public var stage: String? { fields.value.stage }
    public var createdAt: Date? { fields.value.createdAt }
    public var updatedAt: Date? { fields.value.updatedAt }
    /// When the task reached `succeeded` or `failed`, when BeatAPI says.
    public var completedAt: Date? { fields.value.completedAt }
    /// `null` until the task is done; kept exactly as sent.
    public var output: JSONValue? { fields.value.output }
    public var usage: BeatAPITaskUsage? { fields.value.usage }
    /// The id of the request that created the task, for BeatAPI's support.
    public var requestID: String? { fields.value.requestID }
    public var errorCode: String? { fields.value.errorCode }
    public var errorMessage: String? { fields.value.errorMessage }
    /// Completed fraction in 0...1, when BeatAPI reports a `progress` (a percentage is scaled down).
    public var progress: Double? { fields.value.progress }
    /// A music video's storyboard, when BeatAPI sends one: the shots to edit, materialize or compose.
    public var storyboard: BeatAPIStoryboard? { fields.value.storyboard }

    /// What BeatAPI sent, behind one reference: inline it took 544 bytes in every async frame that
    /// holds a task — an app's, and the SDK's while it follows one — for as long as the frame lives
    /// (see "Figure 4 at 10,000 tasks" in Documentation/Performance.md).
    private let fields: Boxed<Fields>

    private struct Fields: Hashable, Sendable {
        let id: String
        let object: String?
        let workflow: BeatAPIWorkflowID?
        let taskStatus: BeatAPITaskStatus
        let stage: String?
        let createdAt: Date?
        let updatedAt: Date?
        let completedAt: Date?
        let output: JSONValue?
        let usage: BeatAPITaskUsage?
        let requestID: String?
        let errorCode: String?
        let errorMessage: String?
        let progress: Double?
        let storyboard: BeatAPIStoryboard?
    }

    public var rawStatus: String { taskStatus.rawValue }

    public var handle: TaskHandle {
        TaskHandle(provider: .beatAPI, id: id, model: workflow?.rawValue)
    }

    public var status: TaskStatus {
        let mapped = taskStatus.mapped(
            failure: failure ?? TaskFailure(message: "the task failed without a reason"))
        if case .running = mapped { return .running(progress: progress) }
        return mapped
    }

    /// Why the task failed, from `error_code` and `error_message`, when either is set.
    public var failure: TaskFailure? {
        guard errorCode != nil || errorMessage != nil else { return nil }
        return TaskFailure(code: errorCode, message: errorMessage ?? errorCode ?? "the task failed")
    }

    /// The files in ``output``, in order.
    public var outputs: [RemoteFile] {
        output.map { Self.files(in: $0, depth: 0) } ?? []
    }

    public init(
        id: String,
        workflow: BeatAPIWorkflowID?,
        status: BeatAPITaskStatus,
        output: JSONValue? = nil,
        usage: BeatAPITaskUsage? = nil,
        errorCode: String? = nil,
        errorMessage: String? = nil
    ) {
        fields = Boxed(
            Fields(
                id: id, object: "task", workflow: workflow, taskStatus: status, stage: nil, createdAt: nil,
                updatedAt: nil, completedAt: nil, output: output, usage: usage, requestID: nil, errorCode: errorCode,
                errorMessage: errorMessage, progress: nil, storyboard: nil))
    }

    private enum CodingKeys: String, CodingKey {
        case id, object, workflow, status, stage, output, usage, progress, storyboard
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case completedAt = "completed_at"
        case requestID = "request_id"
        case errorCode = "error_code"
        case errorMessage = "error_message"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = Lenient.string(container.lenientValue(.id)) else {
            throw DecodingError.keyNotFound(
                CodingKeys.id, .init(codingPath: decoder.codingPath, debugDescription: "a task has an id"))
        }
        let workflowValue = container.lenientValue(.workflow)
        let output = container.lenientValue(.output)
        fields = Boxed(
            Fields(
                id: id,
                object: container.lenientValue(.object)?.stringValue,
                workflow: (workflowValue?.stringValue ?? workflowValue?["id"]?.stringValue).map {
                    BeatAPIWorkflowID(rawValue: $0)
                },
                taskStatus: BeatAPITaskStatus(rawValue: container.lenientValue(.status)?.stringValue ?? "unknown"),
                stage: Lenient.string(container.lenientValue(.stage)),
                createdAt: Lenient.date(container.lenientValue(.createdAt)),
                updatedAt: Lenient.date(container.lenientValue(.updatedAt)),
                completedAt: Lenient.date(container.lenientValue(.completedAt)),
                output: output == .null ? nil : output,
                usage: try? container.decodeIfPresent(BeatAPITaskUsage.self, forKey: .usage),
                requestID: container.lenientValue(.requestID)?.stringValue,
                errorCode: Lenient.string(container.lenientValue(.errorCode)),
                errorMessage: container.lenientValue(.errorMessage)?.stringValue,
                progress: Lenient.decimal(container.lenientValue(.progress)).map(\.nearestDouble).map {
                    min(max($0 > 1 ? $0 / 100 : $0, 0), 1)
                },
                storyboard: try? container.decodeIfPresent(BeatAPIStoryboard.self, forKey: .storyboard)
            ))
    }

    /// The files an `output` holds. Depth-limited: output is provider data, not to be trusted
    /// to be shallow.
    private static func files(in output: JSONValue, depth: Int) -> [RemoteFile] {
        guard depth < 4 else { return [] }
        switch output {
        case .string:
            return Lenient.url(output).map { [RemoteFile(url: $0)] } ?? []
        case .array(let items):
            return items.flatMap { files(in: $0, depth: depth + 1) }
        case .object:
            for key in ["media", "files", "videos", "outputs"] {
                if let items = output[key], items.arrayValue != nil { return files(in: items, depth: depth + 1) }
            }
            return file(output).map { [$0] } ?? []
        default:
            return []
        }
    }

    private static func file(_ object: JSONValue) -> RemoteFile? {
        let link = ["url", "video_url", "download_url"].lazy.compactMap { Lenient.url(object[$0]) }.first
        guard let url = link else { return nil }
        let type = object["type"]?.stringValue
        return RemoteFile(
            url: url,
            contentType: object["mime_type"]?.stringValue ?? object["content_type"]?.stringValue
                ?? (type?.contains("/") == true ? type : nil),
            fileName: object["file_name"]?.stringValue ?? object["filename"]?.stringValue
                ?? object["name"]?.stringValue,
            byteCount: Lenient.int(object["size_bytes"] ?? object["size"]).map(Int64.init),
            expiresAt: Lenient.date(object["expires_at"])
        )
    }
}
