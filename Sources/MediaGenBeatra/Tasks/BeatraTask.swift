import Foundation
import MediaGenCore

/// A Beatra music task: `queued`, `running`, then `succeeded`, `failed` or `canceled`.
///
/// ```swift
/// let task = try await beatra.task(id: "task_01J…")
/// print(task.status)                       // .running(progress: 0.5)
/// print(task.progress?.message ?? "")      // "Generating audio."
/// print(task.billing?.charged ?? "")       // 80 Beatra credits (≈ $0.08)
/// for clip in task.clips {
///     print(clip.artifactID ?? "-", clip.audioURL)
///     try await clip.file.download(to: URL(fileURLWithPath: "outputs/"))
/// }
/// ```
///
/// Decoding is tolerant: the id arrives as `task_id` (or `id`), a clip's audio URL as `audio_url`
/// (or `url`, since the field's name is not published), refunds inside `billing` or beside it,
/// credit amounts as numbers or numeric strings. A status no document lists decodes as running,
/// keeping its text in ``rawStatus``. The create answer, which carries only `task_id`, decodes as
/// a `queued` task.
public struct BeatraTask: MediaTask, Hashable, Sendable, Decodable {
    public var id: String { fields.value.id }
    public var rawStatus: String { fields.value.rawStatus }
    /// `"task"`, when sent.
    public var object: String? { fields.value.object }
    /// `text-to-music` or `reference-audio-to-music`, when sent.
    public var type: String? { fields.value.type }
    public internal(set) var model: String? {
        get { fields.value.model }
        set { fields = fields.updated { $0.model = newValue } }
    }
    public var progress: BeatraProgress? { fields.value.progress }
    /// The generated clips (two for suno-5.5, one for minimax-music-2.6), once succeeded.
    public var clips: [BeatraClip] { fields.value.clips }
    /// Why the task failed, with Beatra's `retryable` verdict.
    public var failure: TaskFailure? { fields.value.failure }
    /// What the task cost, and what was refunded.
    public var billing: BeatraBilling? { fields.value.billing }
    public var title: String? { fields.value.title }
    public var metadata: [String: JSONValue]? { fields.value.metadata }
    public var createdAtText: String? { fields.value.createdAtText }
    public var updatedAtText: String? { fields.value.updatedAtText }
    public var completedAtText: String? { fields.value.completedAtText }
    /// The `X-Request-Id` of the answer this value came from.
    public internal(set) var requestID: String? {
        get { fields.value.requestID }
        set { fields = fields.updated { $0.requestID = newValue } }
    }

    /// What Beatra sent, behind one reference: inline it took 520 bytes in every async frame that
    /// holds a task — an app's, and the SDK's while it follows one — for as long as the frame lives
    /// (see "Figure 4 at 10,000 tasks" in Documentation/Performance.md).
    private var fields: Boxed<Fields>

    private struct Fields: Hashable, Sendable {
        var id: String
        var rawStatus: String
        var object: String?
        var type: String?
        var model: String?
        var progress: BeatraProgress?
        var clips: [BeatraClip]
        var failure: TaskFailure?
        var billing: BeatraBilling?
        var title: String?
        var metadata: [String: JSONValue]?
        var createdAtText: String?
        var updatedAtText: String?
        var completedAtText: String?
        var requestID: String?
    }

    public var createdAt: Date? { Timestamp.date(fromISO8601: createdAtText) }
    public var updatedAt: Date? { Timestamp.date(fromISO8601: updatedAtText) }
    public var completedAt: Date? { Timestamp.date(fromISO8601: completedAtText) }

    public var handle: TaskHandle {
        TaskHandle(provider: .beatra, id: id, model: model)
    }

    public var status: TaskStatus {
        switch rawStatus.lowercased() {
        case "queued", "pending":
            .queued(position: nil)
        case "succeeded", "completed":
            .succeeded
        case "failed":
            .failed(failure ?? TaskFailure(message: "the task failed without a reason"))
        case "canceled", "cancelled":
            .canceled
        default:
            // running, and anything Beatra adds later.
            .running(progress: progress?.fraction)
        }
    }

    /// The progress message as a log line, so that updates show it (and report when it changes).
    public var logs: [TaskLog] {
        guard let message = progress?.message, !message.isEmpty else { return [] }
        return [TaskLog(message: message, level: progress?.stage)]
    }

    /// The clips as files; each is named after its artifact id, so that two clips never overwrite
    /// each other when downloaded into one folder.
    public var outputs: [RemoteFile] { clips.map(\.file) }

    private enum CodingKeys: String, CodingKey {
        case id, object, type, model, status, progress, output, error, billing, title, metadata
        case taskID = "task_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case completedAt = "completed_at"
        case refundedCredits = "refunded_credits"
        case refundedCreditsUSDReference = "refunded_credits_usd_reference"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let taskID = try container.decodeIfPresent(String.self, forKey: .taskID)
        guard let id = try taskID ?? container.decodeIfPresent(String.self, forKey: .id) else {
            throw DecodingError.keyNotFound(
                CodingKeys.taskID,
                DecodingError.Context(codingPath: container.codingPath, debugDescription: "no task_id (or id)"))
        }
        // The create answer is `{"task_id"}` alone: a task just accepted is queued.
        let rawStatus = try container.decodeIfPresent(String.self, forKey: .status) ?? "queued"
        let object = try container.decodeIfPresent(String.self, forKey: .object)
        let type = try container.decodeIfPresent(String.self, forKey: .type)
        let model = try container.decodeIfPresent(String.self, forKey: .model)
        let progress = try? container.decodeIfPresent(BeatraProgress.self, forKey: .progress)

        let output = try container.decodeIfPresent(JSONValue.self, forKey: .output)
        let error = try container.decodeIfPresent(JSONValue.self, forKey: .error) ?? .null

        let billing = try container.decodeIfPresent(JSONValue.self, forKey: .billing)
        let refunds = try (
            container.decodeIfPresent(JSONValue.self, forKey: .refundedCredits),
            container.decodeIfPresent(JSONValue.self, forKey: .refundedCreditsUSDReference)
        )

        fields = Boxed(
            Fields(
                id: id,
                rawStatus: rawStatus,
                object: object,
                type: type,
                model: model,
                progress: progress,
                clips: (output?["clips"]?.arrayValue ?? []).compactMap(BeatraClip.init(json:)),
                failure: Self.failure(from: error),
                billing: BeatraBilling(json: billing, topLevelRefund: refunds),
                title: try container.decodeIfPresent(String.self, forKey: .title),
                metadata: try? container.decodeIfPresent([String: JSONValue].self, forKey: .metadata),
                createdAtText: try container.decodeIfPresent(String.self, forKey: .createdAt),
                updatedAtText: try container.decodeIfPresent(String.self, forKey: .updatedAt),
                completedAtText: try container.decodeIfPresent(String.self, forKey: .completedAt),
                requestID: nil
            ))
    }

    private static func failure(from error: JSONValue) -> TaskFailure? {
        switch error {
        case .string(let message) where !message.isEmpty:
            return TaskFailure(message: message)
        case .object:
            return TaskFailure(
                code: error["code"]?.stringValue,
                message: error["message"]?.stringValue ?? "the task failed",
                retryable: error["retryable"]?.boolValue
            )
        default:
            return nil
        }
    }
}

/// Where a running task stands: `progress {percent, stage, message}`.
///
/// ```swift
/// if let progress = task.progress {
///     print("\(progress.percent ?? 0) % \(progress.stage ?? "") — \(progress.message ?? "")")
/// }
/// ```
public struct BeatraProgress: Hashable, Sendable, Decodable {
    /// 0–100.
    public let percent: Double?
    /// Such as `queued`, `generating`, `completed`.
    public let stage: String?
    /// A sentence for people, such as "Generating audio."
    public let message: String?

    /// ``percent`` as a fraction in 0...1.
    public var fraction: Double? {
        percent.map { min(max($0 / 100, 0), 1) }
    }

    public init(percent: Double?, stage: String?, message: String?) {
        self.percent = percent
        self.stage = stage
        self.message = message
    }

    private enum CodingKeys: String, CodingKey {
        case percent, stage, message
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let value = try container.decodeIfPresent(JSONValue.self, forKey: .percent)
        percent = value.flatMap(BeatraNumber.double)
        stage = try? container.decodeIfPresent(String.self, forKey: .stage)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
    }
}

/// One generated clip from `output.clips[]`.
///
/// ```swift
/// for clip in task.clips {
///     let saved = try await clip.file.download(to: URL(fileURLWithPath: "outputs/"))
///     print(saved.lastPathComponent, clip.artifactID ?? "")   // artifact_01J….wav
/// }
/// ```
///
/// Keep ``artifactID``: it names the clip at Beatra, for instance to use it as reference audio
/// (``ReferenceAudio/artifact(id:)``).
public struct BeatraClip: Hashable, Sendable {
    public let audioURL: URL
    public let artifactID: String?
    /// The clip's length, when Beatra says.
    public let duration: Duration?
    /// The whole clip object as sent, for fields this SDK does not read.
    public let json: JSONValue

    /// `audio_url` (or `url`), `artifact_id`, `duration` in seconds.
    init?(json: JSONValue) {
        guard let text = json["audio_url"]?.stringValue ?? json["url"]?.stringValue, let url = URL(string: text)
        else { return nil }
        self.audioURL = url
        self.artifactID = json["artifact_id"]?.stringValue
        // Only a length a clip can have: `Int64` milliseconds trap beyond ~10¹⁵ seconds.
        self.duration = json["duration"].flatMap(BeatraNumber.double).flatMap {
            $0.isFinite && (0...1e9).contains($0) ? .milliseconds(Int64(($0 * 1000).rounded())) : nil
        }
        self.json = json
    }

    /// The clip as a downloadable file, named `<artifact_id>.<extension of the URL>`.
    public var file: RemoteFile {
        var name: String?
        if let artifactID {
            let ext = audioURL.pathExtension
            name = ext.isEmpty ? artifactID : "\(artifactID).\(ext)"
        }
        return RemoteFile(
            url: audioURL,
            contentType: json["content_type"]?.stringValue ?? json["mime_type"]?.stringValue,
            fileName: name
        )
    }
}

/// What a task cost: `billing.charged_credits` and its USD reference, and the refund after a
/// failure or cancel.
///
/// ```swift
/// if let billing = task.billing {
///     print(billing.charged ?? "")            // 80 Beatra credits (≈ $0.08)
///     print(billing.refunded ?? "nothing")    // after a failure: 80 Beatra credits (≈ $0.08)
///     print(billing.net ?? "")                // 0 Beatra credits
/// }
/// ```
///
/// The USD references are Beatra's display figures (the documents call them display-only); the
/// credit amounts are what the wallet moved.
public struct BeatraBilling: Hashable, Sendable {
    /// Debited from the wallet when the task was created.
    public let charged: Money?
    public let chargedUSDReference: Money?
    /// Given back after a failure or cancel.
    public let refunded: Money?
    public let refundedUSDReference: Money?

    public init(charged: Money?, chargedUSDReference: Money?, refunded: Money?, refundedUSDReference: Money?) {
        self.charged = charged
        self.chargedUSDReference = chargedUSDReference
        self.refunded = refunded
        self.refundedUSDReference = refundedUSDReference
    }

    /// What the task costs in the end: the charge less any refund.
    public var net: Money? {
        guard let charged else { return nil }
        return Money(charged.amount - (refunded?.amount ?? 0), charged.currency)
    }

    init?(json: JSONValue?, topLevelRefund: (JSONValue?, JSONValue?)) {
        func credits(_ value: JSONValue?) -> Money? {
            value.flatMap(BeatraNumber.decimal).map { Money($0, BeatraCatalog.credits) }
        }
        func usd(_ value: JSONValue?) -> Money? {
            value.flatMap(BeatraNumber.decimal).map(Money.usd)
        }
        let charged = credits(json?["charged_credits"])
        let chargedUSD = usd(json?["charged_credits_usd_reference"])
        // The documents do not say whether refunds sit inside `billing` or beside it: both are read.
        let refunded = credits(json?["refunded_credits"] ?? topLevelRefund.0)
        let refundedUSD = usd(json?["refunded_credits_usd_reference"] ?? topLevelRefund.1)
        if charged == nil, chargedUSD == nil, refunded == nil, refundedUSD == nil { return nil }
        self.init(
            charged: charged, chargedUSDReference: chargedUSD, refunded: refunded, refundedUSDReference: refundedUSD)
    }
}

/// Numbers as Beatra may send them: JSON numbers, or numeric strings (`"80.0000"`).
enum BeatraNumber {
    static func decimal(_ value: JSONValue) -> Decimal? {
        switch value {
        case .number(let number): number
        case .string(let text): Decimal(string: text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    static func double(_ value: JSONValue) -> Double? {
        decimal(value)?.nearestDouble
    }
}
