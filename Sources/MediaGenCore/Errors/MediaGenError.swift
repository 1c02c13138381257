import Foundation

/// The one error type MediaGenKit throws (besides `CancellationError` when your Swift task is cancelled).
///
/// ```swift
/// do {
///     let prediction = try await client.wait(for: handle)
/// } catch let error as MediaGenError {
///     switch error.kind {
///     case .rateLimited(let retryAfter): print("slow down", retryAfter ?? .seconds(1))
///     case .outcomeUnknown: print("the task may exist:", error.taskID ?? error.requestID ?? "unknown id")
///     case .taskFailed(let failure): print("failed:", failure.message)
///     default: print(error)  // one line that says what went wrong and what to do
///     }
/// }
/// ```
///
/// Every error carries what is known of the call that failed — provider, HTTP status, the provider's
/// own error code, request id, task id — and never a credential. Its ``description`` is one line a
/// person can act on.
public struct MediaGenError: Error, Hashable, Sendable {
    /// What went wrong, with the data needed to react to it.
    public enum Kind: Hashable, Sendable {
        /// The request was refused as invalid, before sending (local validation) or by the provider.
        /// `field` names the input at fault when known.
        case invalidRequest(field: String?, reason: String)
        /// The API key is missing, wrong, or lacks permission.
        case authentication
        /// The account has no credits or payment method for this request.
        case insufficientCredits
        /// Too many requests; `retryAfter` is how long the provider asked to wait.
        case rateLimited(retryAfter: Duration?)
        /// The task, model or file does not exist (or has expired).
        case notFound
        /// The request conflicts with an earlier one (an idempotency key reused with another body).
        case conflict
        /// The provider failed (5xx) and retries did not help.
        case server
        /// The connection failed or broke.
        case network
        /// No answer in time: one request's timeout, or a polling deadline.
        case timeout
        /// The answer could not be decoded; `snippet` is the start of the body, credentials removed.
        case decoding(snippet: String)
        /// The task ran and failed at the provider.
        case taskFailed(TaskFailure)
        /// The task was canceled at the provider.
        case canceled
        /// The request would exceed the client's budget; nothing was sent.
        case budgetExceeded(estimate: Money?, remaining: Money)
        /// A request that creates a paid task may or may not have reached the provider, and retrying
        /// could charge twice. Look the task up (``MediaGenError/taskID``, ``MediaGenError/requestID``)
        /// or resend with the same ``MediaGenError/idempotencyKey`` where the provider supports one.
        case outcomeUnknown
        /// A webhook delivery failed signature or timestamp verification.
        case invalidSignature
        /// The feature is not available here (for example no Ed25519 verifier on Linux).
        case unsupported
        /// A file on this machine could not be read or written — a download's destination not
        /// writable or its disk full, an upload's source missing. Nothing the provider did, and
        /// nothing a retry would fix: it is never retried.
        case file(path: String)
    }

    public var kind: Kind
    public var provider: Provider?
    /// What happened, in the provider's words when it gave any.
    public var message: String
    /// The provider's own error code, such as `RATE_LIMIT_EXCEEDED` or `user_concurrency_exceeded`.
    public var providerCode: String?
    public var httpStatus: Int?
    /// The provider's request id, for its support team.
    public var requestID: String?
    /// The task this error concerns, when one is known.
    public var taskID: String?
    /// The idempotency key sent with the failed create, to resend it without a duplicate.
    public var idempotencyKey: String?

    public init(
        _ kind: Kind,
        provider: Provider? = nil,
        message: String,
        providerCode: String? = nil,
        httpStatus: Int? = nil,
        requestID: String? = nil,
        taskID: String? = nil,
        idempotencyKey: String? = nil
    ) {
        self.kind = kind
        self.provider = provider
        self.message = message
        self.providerCode = providerCode
        self.httpStatus = httpStatus
        self.requestID = requestID
        self.taskID = taskID
        self.idempotencyKey = idempotencyKey
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
        return line + ". " + hint
    }

    public var errorDescription: String? { description }

    private var headline: String {
        switch kind {
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
        }
    }

    private var hint: String {
        switch kind {
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
        }
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}
