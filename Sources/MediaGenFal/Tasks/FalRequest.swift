import Foundation
import MediaGenCore

/// A request in fal's queue, as its last answer described it: `IN_QUEUE` with a position,
/// `IN_PROGRESS` with logs, or `COMPLETED` — and then, once fetched, the app's output.
///
/// ```swift
/// let request = try await fal.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
/// print(request.requestID, request.queuePosition ?? 0)
/// let now = try await fal.request(request.handle, logs: true)
/// switch now.status {
/// case .queued: print("queued at", now.queuePosition ?? 0)
/// case .running: now.logs.forEach { print($0.message) }
/// default: print(now.rawStatus, now.error ?? "")
/// }
/// ```
///
/// A `COMPLETED` answer that carries `error` or `error_type` is a failed request (fal reports an
/// app's failure that way); `error_type` `client_cancelled` is a canceled one. Status strings no
/// document lists map to `.running`. The status answer never holds the output: `wait(for:)` and
/// ``FalClient/task(_:)`` fetch it when the request completes, into ``output`` and ``outputs``.
public struct FalRequest: MediaTask, Hashable, Sendable {
    /// fal's `request_id`.
    public let requestID: String
    /// The app the request runs.
    public let app: FalAppID
    /// `IN_QUEUE`, `IN_PROGRESS` or `COMPLETED`, as sent.
    public let rawStatus: String
    /// The place in the queue while `IN_QUEUE` (0 is next).
    public let queuePosition: Int?
    /// Log lines so far, oldest first (asked for with `logs: true`).
    public internal(set) var logs: [TaskLog]
    /// fal's `metrics` (such as `inference_time`), once completed.
    public let metrics: JSONValue?
    /// Why a completed request failed, when it did.
    public let error: String?
    /// fal's error type for a failed request, such as `runner_server_error`.
    public let errorType: String?
    /// Where to poll the request's status.
    public let statusURL: URL
    /// Where to fetch the request's result.
    public let responseURL: URL
    /// Where to cancel the request.
    public let cancelURL: URL
    /// The app's output, once fetched (`nil` before: the status answer does not carry it).
    public var output: JSONValue?

    /// How to find the request again: its id, app and URLs. `Codable`: persist it and resume.
    public var handle: TaskHandle {
        TaskHandle(
            provider: .fal, id: requestID, model: app.rawValue, statusURL: statusURL, resultURL: responseURL,
            cancelURL: cancelURL)
    }

    /// The status in the shared vocabulary (see the type's notes on `COMPLETED`).
    public var status: TaskStatus {
        switch rawStatus.uppercased() {
        case "IN_QUEUE":
            return .queued(position: queuePosition)
        case "IN_PROGRESS":
            return .running(progress: nil)
        case "COMPLETED":
            guard error != nil || errorType != nil else { return .succeeded }
            if errorType == "client_cancelled" { return .canceled }
            return .failed(TaskFailure(code: errorType, message: error ?? errorType ?? "the request failed"))
        default:
            return .running(progress: nil)
        }
    }

    /// The files in the output: every object with a `url` (such as Beatoven's `audio`).
    public var outputs: [RemoteFile] {
        output.map(FalFile.files(in:)) ?? []
    }

    /// A request from a queue answer (submit or status), completed with what `handle` knows.
    init(answer: JSONValue, handle: FalRequestAddress) {
        requestID = answer["request_id"]?.stringValue ?? handle.requestID
        app = handle.app
        rawStatus = answer["status"]?.stringValue ?? "IN_QUEUE"
        queuePosition = answer["queue_position"]?.intValue
        logs = (answer["logs"]?.arrayValue ?? []).compactMap(Self.log)
        metrics = answer["metrics"]
        error = Self.text(of: answer["error"])
        errorType = answer["error_type"]?.stringValue
        statusURL = answer["status_url"]?.stringValue.flatMap(URL.init(string:)) ?? handle.statusURL
        responseURL = answer["response_url"]?.stringValue.flatMap(URL.init(string:)) ?? handle.responseURL
        cancelURL = answer["cancel_url"]?.stringValue.flatMap(URL.init(string:)) ?? handle.cancelURL
        output = nil
    }

    private static func log(_ value: JSONValue) -> TaskLog? {
        guard let message = value["message"]?.stringValue ?? value.stringValue else { return nil }
        return TaskLog(message: message, timestamp: value["timestamp"]?.stringValue, level: value["level"]?.stringValue)
    }

    /// `error` as text, whether fal sent a string or an object.
    private static func text(of value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .object?: value?["message"]?.stringValue ?? value?["detail"]?.stringValue ?? "the request failed"
        default: nil
        }
    }
}

/// A fal request's id, app and three URLs: taken from a handle, or built from the app id.
struct FalRequestAddress: Sendable {
    let requestID: String
    let app: FalAppID
    let statusURL: URL
    let responseURL: URL
    let cancelURL: URL

    /// The URLs fal returned, when the handle has them; otherwise built under `queueURL` from the
    /// app's `{owner}/{alias}` (the sub-path dropped, as fal does).
    init(_ handle: TaskHandle, queueURL: URL) throws(MediaGenError) {
        guard handle.provider == .fal else {
            throw .invalidInput("handle", "\(handle) is not a fal request", provider: .fal)
        }
        // Checked even when the handle carries fal's URLs: the id is fal's, a UUID.
        try RequestValidation.checkPathSegment(handle.id, field: "handle", provider: .fal)
        let app = handle.model.map(FalAppID.init(rawValue:))
        var built: (status: URL, response: URL, cancel: URL)?
        let complete = handle.statusURL != nil && handle.resultURL != nil && handle.cancelURL != nil
        if let app, !complete {
            built = try Self.urls(app: app, requestID: handle.id, queueURL: queueURL)
        }
        guard let response = handle.resultURL ?? built?.response,
            let status = handle.statusURL ?? built?.status,
            let cancel = handle.cancelURL ?? built?.cancel
        else {
            throw .invalidInput(
                "handle",
                "\(handle) has neither the URLs fal returned nor the app id (`model`) to build them from",
                provider: .fal)
        }
        self.requestID = handle.id
        self.app = app ?? FalAppID(rawValue: Self.appPath(in: response) ?? "")
        self.statusURL = status
        self.responseURL = response
        self.cancelURL = cancel
    }

    /// The address of a request known only by its app and id.
    init(app: FalAppID, requestID: String, queueURL: URL) throws(MediaGenError) {
        let urls = try Self.urls(app: app, requestID: requestID, queueURL: queueURL)
        self.requestID = requestID
        self.app = app
        self.statusURL = urls.status
        self.responseURL = urls.response
        self.cancelURL = urls.cancel
    }

    /// `{queue}/{owner}/{alias}/requests/{id}`, `…/status`, `…/cancel`.
    static func urls(app: FalAppID, requestID: String, queueURL: URL) throws(MediaGenError)
        -> (status: URL, response: URL, cancel: URL)
    {
        let app = try app.checkedSegments().prefix(2)
        var base = queueURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let text = try RequestValidation.path(
            base, appending: app + ["requests", requestID], field: "requestID", provider: .fal)
        guard let response = URL(string: text), let status = URL(string: text + "/status"),
            let cancel = URL(string: text + "/cancel")
        else {
            throw .invalidInput("handle", "cannot form the request's URLs from \(text)", provider: .fal)
        }
        return (status, response, cancel)
    }

    /// `owner/alias` from a response URL `…/{owner}/{alias}/requests/{id}`.
    private static func appPath(in url: URL) -> String? {
        let parts = url.pathComponents
        guard let index = parts.lastIndex(of: "requests"), index >= 2 else { return nil }
        return parts[(index - 2)..<index].joined(separator: "/")
    }
}
