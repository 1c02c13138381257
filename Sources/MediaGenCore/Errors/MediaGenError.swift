import Foundation

/// The one error type MediaGenKit throws (besides `CancellationError` when your Swift task is cancelled).
///
/// ```swift
/// do {
///     let prediction = try await client.wait(for: handle)
/// } catch let error as MediaGenError {
///     switch error.kind {
///     case .rateLimited: print("slow down", error.kind.retryAfter ?? .seconds(1))
///     case .outcomeUnknown: print("the task may exist:", error.taskID ?? error.requestID ?? "unknown id")
///     case .taskFailed: print("failed:", error.kind.failure?.message ?? "")
///     default: print(error)  // one line that says what went wrong and what to do
///     }
/// }
/// ```
///
/// A bare name in a `case` matches that kind whatever its data (`case .rateLimited:` matches any
/// wait), and kinds can be added in a minor release, so a `switch` over a kind needs a `default`:
/// see ``Kind`` for the rule.
///
/// Every error carries what is known of the call that failed — provider, HTTP status, the provider's
/// own error code, request id, task id — and never a credential. Its ``description`` is one line a
/// person can act on.
public struct MediaGenError: Error, Hashable, Sendable {
    /// What went wrong, with the data needed to react to it: match it by name in a `switch`, read
    /// its data through its properties (see ``Kind``).
    public var kind: Kind {
        get { box.value.kind }
        set { box = box.updated { $0.kind = newValue } }
    }
    public var provider: Provider? {
        get { box.value.provider }
        set { box = box.updated { $0.provider = newValue } }
    }
    /// What happened, in the provider's words when it gave any.
    public var message: String {
        get { box.value.message }
        set { box = box.updated { $0.message = newValue } }
    }
    /// The provider's own error code, such as `RATE_LIMIT_EXCEEDED` or `user_concurrency_exceeded`.
    public var providerCode: String? {
        get { box.value.providerCode }
        set { box = box.updated { $0.providerCode = newValue } }
    }
    public var httpStatus: Int? {
        get { box.value.httpStatus }
        set { box = box.updated { $0.httpStatus = newValue } }
    }
    /// The provider's request id, for its support team.
    public var requestID: String? {
        get { box.value.requestID }
        set { box = box.updated { $0.requestID = newValue } }
    }
    /// The task this error concerns, when one is known.
    public var taskID: String? {
        get { box.value.taskID }
        set { box = box.updated { $0.taskID = newValue } }
    }
    /// The idempotency key sent with the failed create, to resend it without a duplicate.
    public var idempotencyKey: String? {
        get { box.value.idempotencyKey }
        set { box = box.updated { $0.idempotencyKey = newValue } }
    }
    /// Where the account stood against the provider's rate limits, when the failed answer said
    /// (Skytells' `x-skytells-ratelimit-*` headers).
    public var rateLimit: RateLimitStatus? {
        get { box.value.rateLimit }
        set { box = box.updated { $0.rateLimit = newValue } }
    }
    /// Set when this error ended one side of a MediaGenPipeline pipeline: which side, and the file
    /// the other side left. MediaGenPipeline reads it as `failedSide` and `keptMedia`.
    package var pipelineFailure: PipelineFailure? {
        get { box.value.pipelineFailure }
        set { box = box.updated { $0.pipelineFailure = newValue } }
    }

    /// The error's values, behind one reference: laid out inline they took 648 bytes, and every
    /// async frame that can throw or catch one (`throws(MediaGenError)`) reserves that much for as
    /// long as the frame lives.
    private var box: Boxed<Fields>

    private struct Fields: Hashable, Sendable {
        var kind: Kind
        var provider: Provider?
        var message: String
        var providerCode: String?
        var httpStatus: Int?
        var requestID: String?
        var taskID: String?
        var idempotencyKey: String?
        var rateLimit: RateLimitStatus?
        var pipelineFailure: PipelineFailure?
    }

    public init(
        _ kind: Kind,
        provider: Provider? = nil,
        message: String,
        providerCode: String? = nil,
        httpStatus: Int? = nil,
        requestID: String? = nil,
        taskID: String? = nil,
        idempotencyKey: String? = nil,
        rateLimit: RateLimitStatus? = nil
    ) {
        box = Boxed(
            Fields(
                kind: kind, provider: provider, message: message, providerCode: providerCode, httpStatus: httpStatus,
                requestID: requestID, taskID: taskID, idempotencyKey: idempotencyKey, rateLimit: rateLimit,
                pipelineFailure: nil))
    }

    /// A local validation failure: thrown before anything is sent.
    public static func invalidInput(_ field: String, _ reason: String, provider: Provider? = nil) -> MediaGenError {
        MediaGenError(.invalidRequest(field: field, reason: reason), provider: provider, message: reason)
    }

    /// `true` when the same call may succeed if made again later unchanged.
    public var isTransient: Bool {
        switch kind {
        case .rateLimited, .server, .network, .timeout: true
        default: false
        }
    }
}

extension MediaGenError {
    /// One side of a MediaGenPipeline pipeline failed with this error. The pipeline's side and
    /// media types live in MediaGenPipeline, which turns these back into them; here they are the
    /// plain values the description needs.
    package struct PipelineFailure: Hashable, Sendable {
        /// `"video"` or `"music"`.
        package var side: String
        /// The other side's result, when it completed: it was paid for.
        package var kept: KeptMedia?

        package init(side: String, kept: KeptMedia?) {
            self.side = side
            self.kept = kept
        }
    }

    /// A file one side of a pipeline generated and downloaded.
    package struct KeptMedia: Hashable, Sendable {
        package var side: String
        package var handle: TaskHandle
        package var source: RemoteFile
        package var file: URL

        package init(side: String, handle: TaskHandle, source: RemoteFile, file: URL) {
            self.side = side
            self.handle = handle
            self.source = source
            self.file = file
        }
    }
}

extension MediaGenError: CustomStringConvertible, LocalizedError {
    /// One line: who, what, the ids to quote, and what to do about it.
    public var description: String {
        var line = provider.map { "\($0.displayName): " } ?? ""
        line += headline
        if !message.isEmpty, message != headline { line += " — \(message)" }
        let context = [
            httpStatus.map { "HTTP \($0)" },
            providerCode.map { "code \($0)" },
            requestID.map { "request \($0)" },
            taskID.map { "task \($0)" },
            idempotencyKey.map { "idempotency key \($0)" },
        ].compactMap { $0 }
        if !context.isEmpty { line += " (\(context.joined(separator: ", ")))" }
        line += ". " + hint
        guard let pipelineFailure else { return line }
        let kept = pipelineFailure.kept.map { " The \($0.side) was kept: \($0.file.path)." } ?? ""
        return "the \(pipelineFailure.side) failed: \(line)\(kept)"
    }

    public var errorDescription: String? { description }

    private var headline: String {
        switch kind.storage {
        case .invalidRequest(let field, _): field.map { "invalid value for `\($0)`" } ?? "invalid request"
        case .authentication: "authentication failed"
        case .insufficientCredits: "insufficient credits"
        case .rateLimited: "rate limited"
        case .notFound: "not found"
        case .conflict: "conflict"
        case .server: "server error"
        case .network: "network error"
        case .timeout: "timed out"
        case .decoding: "unexpected response"
        case .taskFailed(let failure): failure.code.map { "task failed (\($0))" } ?? "task failed"
        case .canceled: "task canceled"
        case .budgetExceeded: "budget exceeded"
        case .outcomeUnknown: "outcome unknown"
        case .invalidSignature: "webhook rejected"
        case .unsupported: "not supported"
        case .file: "local file error"
        case .needsFFmpeg: "ffmpeg not found"
        case .cannotRemux: "cannot remux"
        case .unreadableMedia: "unreadable media"
        case .missingStream(_, let expected): "no \(expected) stream"
        case .ffmpegFailed: "ffmpeg failed"
        }
    }

    private var hint: String {
        switch kind.storage {
        case .invalidRequest:
            return "Correct the input and send it again."
        case .authentication:
            let variable = provider?.apiKeyEnvironmentVariable.map { " (set \($0) or pass the key explicitly)" } ?? ""
            return "Check the API key\(variable)."
        case .insufficientCredits:
            return "Top up the account or lower the request's cost, then retry."
        case .rateLimited(let retryAfter):
            return retryAfter.map { "Retry after \(Self.format($0))." } ?? "Slow down and retry later."
        case .notFound:
            return "Check the id; tasks and output URLs can expire."
        case .conflict:
            return "Use a new idempotency key for a different request."
        case .server:
            return "The provider failed; retry later."
        case .network:
            return "Check the connection and retry."
        case .timeout:
            return "Retry, or allow more time (the timeout or the polling policy's deadline)."
        case .decoding(let snippet):
            return "The answer did not have the documented shape; body starts: \(snippet.isEmpty ? "<empty>" : snippet)"
        case .taskFailed:
            return "Change the input or retry the task."
        case .canceled:
            return "Create a new task to try again."
        case .budgetExceeded(let estimate, let remaining):
            return
                "Estimated \(estimate.map(String.init(describing:)) ?? "an unknown cost") with \(remaining) left: raise the budget or choose a cheaper model."
        case .outcomeUnknown:
            return "The task may exist and be charged: look it up before creating it again."
        case .invalidSignature:
            return "Reject the delivery; check the signing secret and the server clock."
        case .unsupported:
            return "See the documentation for alternatives."
        case .file(let path):
            return
                "Check that \(path.isEmpty ? "the file" : path) can be read or written here (the folder exists and is writable, the disk has room), then retry."
        case .needsFFmpeg(_, let searched):
            let looked = searched.isEmpty ? "" : " (looked in \(searched.joined(separator: ", ")))"
            return
                "Install it — `apt-get install -y ffmpeg` on Debian/Ubuntu, `brew install ffmpeg` on macOS — or set FFMPEG_PATH\(looked)."
        case .cannotRemux:
            return "Use MergeOptions(merger: .automatic) with ffmpeg installed."
        case .unreadableMedia(let file, _):
            return
                "Check that \(file.path) is a whole audio or video file (not cut short, not an error page saved as media)."
        case .missingStream(let file, let expected):
            return
                "Pass a file with \(expected == "audio" ? "an" : "a") \(expected) stream as the \(expected) (\(file.lastPathComponent) may be the other input)."
        case .ffmpegFailed:
            return
                "The last lines of ffmpeg's output say why (error.kind.outputTail has more): check the inputs and the output file's extension."
        }
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}
