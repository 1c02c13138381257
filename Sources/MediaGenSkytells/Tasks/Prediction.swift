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
    public let id: String
    public let rawStatus: String
    /// The model's name, as sent (`"truefusion-video-pro"`).
    public let model: String?
    /// The model's type when the API says (`"video"`, `"audio"`…).
    public let modelType: String?
    public let input: JSONValue?
    /// The output URLs, in order (empty until the prediction succeeds).
    public var outputURLs: [URL] { outputLinks.compactMap(URL.init(string:)) }
    /// Why the prediction failed, when it did.
    public let failure: TaskFailure?
    /// Completed fraction in 0...1, from `metrics.progress` (a percentage is scaled down).
    public let progress: Double?
    /// The whole `metrics` object (`predict_time`, `image_count`…).
    public let metrics: JSONValue?
    /// Credits the prediction used, from `metadata.billing.credits_used`.
    public let creditsUsed: Decimal?
    /// Links Skytells returned for this prediction (`get`, `cancel`, `stream`, `delete`).
    public var urls: [String: URL] { links.compactMapValues(URL.init(string:)) }
    public let createdAtText: String?
    public let startedAtText: String?
    public let completedAtText: String?
    private let storedFiles: [RemoteFile]
    // URLs are kept as the text Skytells sent and parsed when asked: a poll that only looks at
    // the status parses none (five `URL(string:)` calls per answer otherwise).
    private let outputLinks: [String]
    private let links: [String: String]

    /// Output CDN links expire 24 hours after the prediction ends (Skytells' video guide): download promptly.
    public static let outputLifetime: Duration = .seconds(24 * 60 * 60)

    public var createdAt: Date? { Timestamp.date(fromISO8601: createdAtText) }
    public var startedAt: Date? { Timestamp.date(fromISO8601: startedAtText) }
    public var completedAt: Date? { Timestamp.date(fromISO8601: completedAtText) }

    public var handle: TaskHandle {
        TaskHandle(
            provider: .skytells, id: id, model: model, statusURL: links["get"].flatMap(URL.init(string:)),
            cancelURL: links["cancel"].flatMap(URL.init(string:)))
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
        id = try container.decode(String.self, forKey: .id)
        // Skytells may answer a prediction still waiting with a top-level `"status": false` and an
        // `error.message` saying so (its TypeScript SDK reads that as queued): the note is no failure.
        let statusFlag = try? container.decodeIfPresent(Bool.self, forKey: .status)
        let isQueuedEnvelope = statusFlag == false
        rawStatus =
            isQueuedEnvelope ? "queued" : try container.decodeIfPresent(String.self, forKey: .status) ?? "unknown"
        input = try container.decodeIfPresent(JSONValue.self, forKey: .input)

        let modelValue = try container.decodeIfPresent(JSONValue.self, forKey: .model)
        model = modelValue?.stringValue ?? modelValue?["name"]?.stringValue
        modelType = modelValue?["type"]?.stringValue

        let output = try container.decodeIfPresent(JSONValue.self, forKey: .output) ?? .null
        outputLinks = Self.links(in: output)

        let metrics = try container.decodeIfPresent(JSONValue.self, forKey: .metrics)
        self.metrics = metrics
        progress = metrics?["progress"]?.decimalValue.map(Self.fraction)

        let error = try container.decodeIfPresent(JSONValue.self, forKey: .error) ?? .null
        // A failed prediction may carry its reason beside `error`, as top-level `error_id` and
        // `error_message`; the nested `error` wins when both are there.
        let code = try? container.decodeIfPresent(String.self, forKey: .errorID)
        let message = try? container.decodeIfPresent(String.self, forKey: .errorMessage)
        failure =
            isQueuedEnvelope
            ? nil : Self.failure(from: error) ?? Self.failure(code: code ?? nil, message: message ?? nil)

        let metadata = try container.decodeIfPresent(JSONValue.self, forKey: .metadata)
        creditsUsed = metadata?["billing"]?["credits_used"]?.decimalValue
        storedFiles = (metadata?["storage"]?["files"]?.arrayValue ?? []).compactMap(Self.file)

        let links = try container.decodeIfPresent([String: JSONValue].self, forKey: .urls) ?? [:]
        self.links = links.compactMapValues(\.stringValue)

        createdAtText = try container.decodeIfPresent(String.self, forKey: .createdAt)
        startedAtText = try container.decodeIfPresent(String.self, forKey: .startedAt)
        completedAtText = try container.decodeIfPresent(String.self, forKey: .completedAt)
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
