import Foundation
import MediaGenCore

/// A Skytells prediction: one run of a model, from `queued` to `succeeded`, `failed` or `canceled`.
///
/// ```swift
/// let prediction = try await skytells.prediction(id: "pred_vid_abc123")
/// print(prediction.status)              // .running(progress: 0.4)
/// if let video = prediction.outputs.first {
///     try await video.download(to: URL(fileURLWithPath: "outputs/"))
/// }
/// ```
///
/// Decoding accepts every shape Skytells has been seen to send: `output` as `null`, one URL or a
/// list of URLs; `model` as a name or an object; `error` as text or an object; `canceled` and
/// `cancelled`; a top-level `"status": false` beside the `id`, which Skytells sends while a
/// prediction waits (read as `queued`); and status strings no document lists (kept in
/// ``rawStatus``, mapped to running).
public struct Prediction: MediaTask, Hashable, Sendable, Decodable {
    public var id: String { fields.value.id }
    public var rawStatus: String { fields.value.rawStatus }
    /// The model's name, as sent (`"truefusion-video-pro"`).
    public var model: String? { fields.value.model }
    /// The model's type when the API says (`"video"`, `"audio"`…).
    public var modelType: String? { fields.value.modelType }
    public var input: JSONValue? { fields.value.input }
    /// The output URLs, in order (empty until the prediction succeeds).
    public var outputURLs: [URL] { fields.value.outputLinks.compactMap(URL.init(string:)) }
    /// Why the prediction failed, when it did.
    public var failure: TaskFailure? { fields.value.failure }
    /// Completed fraction in 0...1, from `metrics.progress` (a percentage is scaled down).
    public var progress: Double? { fields.value.progress }
    /// The whole `metrics` object (`predict_time`, `image_count`…).
    public var metrics: JSONValue? { fields.value.metrics }
    /// Credits the prediction used, from `metadata.billing.credits_used`.
    public var creditsUsed: Decimal? { fields.value.creditsUsed }
    /// Links Skytells returned for this prediction (`get`, `cancel`, `stream`, `delete`).
    public var urls: [String: URL] { fields.value.links.compactMapValues(URL.init(string:)) }
    public var createdAtText: String? { fields.value.createdAtText }
    public var startedAtText: String? { fields.value.startedAtText }
    public var completedAtText: String? { fields.value.completedAtText }

    /// What Skytells sent, behind one reference: inline it took 264 bytes in every async frame that
    /// holds a prediction — an app's, and the SDK's while it follows one — for as long as the frame
    /// lives (see "Figure 4 at 10,000 tasks" in Documentation/Performance.md).
    private let fields: Boxed<Fields>

    private struct Fields: Hashable, Sendable {
        let id: String
        let rawStatus: String
        let model: String?
        let modelType: String?
        let input: JSONValue?
        let failure: TaskFailure?
        let progress: Double?
        let metrics: JSONValue?
        let creditsUsed: Decimal?
        let createdAtText: String?
        let startedAtText: String?
        let completedAtText: String?
        let storedFiles: [RemoteFile]
        // URLs are kept as the text Skytells sent and parsed when asked: a poll that only looks at
        // the status parses none (five `URL(string:)` calls per answer otherwise).
        let outputLinks: [String]
        let links: [String: String]
    }

    /// Output CDN links expire 24 hours after the prediction ends (Skytells' video guide): download promptly.
    public static let outputLifetime: Duration = .seconds(24 * 60 * 60)

    public var createdAt: Date? { Timestamp.date(fromISO8601: createdAtText) }
    public var startedAt: Date? { Timestamp.date(fromISO8601: startedAtText) }
    public var completedAt: Date? { Timestamp.date(fromISO8601: completedAtText) }

    public var handle: TaskHandle {
        TaskHandle(
            provider: .skytells, id: id, model: model, statusURL: fields.value.links["get"].flatMap(URL.init(string:)),
            cancelURL: fields.value.links["cancel"].flatMap(URL.init(string:)))
    }

    public var status: TaskStatus {
        switch rawStatus.lowercased() {
        case "queued", "pending":
            .queued(position: nil)
        case "succeeded", "completed", "success":
            .succeeded
        case "failed", "error":
            .failed(failure ?? TaskFailure(message: "the prediction failed without a reason"))
        case "canceled", "cancelled":
            .canceled
        default:
            // starting, started, processing, and anything Skytells adds later.
            .running(progress: progress)
        }
    }

    /// The output files: the stored files' details when Skytells lists them, else the output URLs.
    public var outputs: [RemoteFile] {
        let lifetime = TimeInterval(Self.outputLifetime.components.seconds)
        let expiry = (completedAt ?? createdAt).map { $0.addingTimeInterval(lifetime) }
        let storedFiles = fields.value.storedFiles
        let files = storedFiles.isEmpty ? outputURLs.map { RemoteFile(url: $0) } : storedFiles
        return files.map { file in
            var file = file
            file.expiresAt = file.expiresAt ?? expiry
            return file
        }
    }

    private enum CodingKeys: String, CodingKey {
        case id, status, model, input, output, error, metrics, metadata, urls
        case errorID = "error_id"
        case errorMessage = "error_message"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case completedAt = "completed_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .id)
        // Skytells may answer a prediction still waiting with a top-level `"status": false` and an
        // `error.message` saying so (its TypeScript SDK reads that as queued): the note is no failure.
        // Read once, as whatever it is: trying it as a `Bool` first built and dropped a
        // `DecodingError` on every poll.
        let status = try container.decodeIfPresent(JSONValue.self, forKey: .status)
        let isQueuedEnvelope = status == .bool(false)
        let rawStatus: String
        switch status {
        case .bool(false)?: rawStatus = "queued"
        case .string(let text)?: rawStatus = text
        case nil, .null?: rawStatus = "unknown"
        // Any other kind is refused as before, with the error that says a string was expected.
        default: rawStatus = try container.decodeIfPresent(String.self, forKey: .status) ?? "unknown"
        }
        let input = try container.decodeIfPresent(JSONValue.self, forKey: .input)

        let modelValue = try container.decodeIfPresent(JSONValue.self, forKey: .model)

        let output = try container.decodeIfPresent(JSONValue.self, forKey: .output) ?? .null

        let metrics = try container.decodeIfPresent(JSONValue.self, forKey: .metrics)

        let error = try container.decodeIfPresent(JSONValue.self, forKey: .error) ?? .null
        // A failed prediction may carry its reason beside `error`, as top-level `error_id` and
        // `error_message`; the nested `error` wins when both are there.
        let code = try? container.decodeIfPresent(String.self, forKey: .errorID)
        let message = try? container.decodeIfPresent(String.self, forKey: .errorMessage)

        let metadata = try container.decodeIfPresent(JSONValue.self, forKey: .metadata)
        let links = try container.decodeIfPresent([String: JSONValue].self, forKey: .urls) ?? [:]

        fields = Boxed(
            Fields(
                id: id,
                rawStatus: rawStatus,
                model: modelValue?.stringValue ?? modelValue?["name"]?.stringValue,
                modelType: modelValue?["type"]?.stringValue,
                input: input,
                failure: isQueuedEnvelope
                    ? nil : Self.failure(from: error) ?? Self.failure(code: code ?? nil, message: message ?? nil),
                progress: metrics?["progress"]?.decimalValue.map(Self.fraction),
                metrics: metrics,
                creditsUsed: metadata?["billing"]?["credits_used"]?.decimalValue,
                createdAtText: try container.decodeIfPresent(String.self, forKey: .createdAt),
                startedAtText: try container.decodeIfPresent(String.self, forKey: .startedAt),
                completedAtText: try container.decodeIfPresent(String.self, forKey: .completedAt),
                storedFiles: (metadata?["storage"]?["files"]?.arrayValue ?? []).compactMap(Self.file),
                outputLinks: Self.links(in: output),
                links: links.compactMapValues(\.stringValue)
            ))
    }

    /// `null`, `"https://…"`, or `["https://…", …]` (also objects with a `url`, to be lenient).
    private static func links(in output: JSONValue) -> [String] {
        switch output {
        case .string(let text):
            return [text]
        case .array(let items):
            return items.flatMap(links)
        case .object:
            return output["url"].map(links) ?? []
        default:
            return []
        }
    }

    private static func failure(code: String?, message: String?) -> TaskFailure? {
        guard code?.isEmpty == false || message?.isEmpty == false else { return nil }
        return TaskFailure(code: code, message: message.flatMap { $0.isEmpty ? nil : $0 } ?? "the prediction failed")
    }

    private static func failure(from error: JSONValue) -> TaskFailure? {
        switch error {
        case .string(let message) where !message.isEmpty:
            return TaskFailure(message: message)
        case .object:
            let message = error["message"]?.stringValue ?? error["details"]?.stringValue ?? "the prediction failed"
            return TaskFailure(code: error["error_id"]?.stringValue ?? error["code"]?.stringValue, message: message)
        default:
            return nil
        }
    }

    private static func file(_ value: JSONValue) -> RemoteFile? {
        guard let url = value["url"]?.stringValue.flatMap(URL.init(string:)) else { return nil }
        return RemoteFile(
            url: url,
            contentType: value["type"]?.stringValue,
            fileName: value["name"]?.stringValue,
            byteCount: value["size"]?.intValue.map(Int64.init)
        )
    }

    /// Progress as a fraction: values above 1 are taken as percentages.
    private static func fraction(_ value: Decimal) -> Double {
        // The nearest `Double`, so 0.42 stays 0.42 (`NSDecimalNumber.doubleValue` gives 0.42000000000000004).
        let number = value.nearestDouble
        return min(max(number > 1 ? number / 100 : number, 0), 1)
    }
}
