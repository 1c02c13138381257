import Foundation

extension MediaGenError {
    /// What went wrong, with the data needed to react to it.
    ///
    /// ```swift
    /// func react(to error: MediaGenError) {
    ///     let kind = error.kind
    ///     switch kind {
    ///     case .rateLimited: print("slow down for", kind.retryAfter ?? .seconds(1))
    ///     case .invalidRequest: print("fix", kind.field ?? "the input", "—", kind.reason ?? "")
    ///     case .taskFailed: print("the task failed:", kind.failure?.message ?? "")
    ///     case .outcomeUnknown: print("look task", error.taskID ?? "?", "up before creating it again")
    ///     case .needsFFmpeg: print("install ffmpeg; looked in", kind.searchedPaths ?? [])
    ///     default: print(error)  // one line: what went wrong and what to do
    ///     }
    /// }
    /// ```
    ///
    /// ## Matching a kind
    ///
    /// `Kind` is a struct, not an enum, so that a kind can be added in a minor release without
    /// breaking your `switch`: a `switch` over a kind needs a `default`.
    ///
    /// - A `case` with a bare name matches that kind **whatever its payload**: `case .rateLimited:`
    ///   matches `.rateLimited(retryAfter: .seconds(2))` and `.rateLimited(retryAfter: nil)`. The
    ///   bare names are ``MediaGenError/Kind/Case`` values, the same one ``case`` returns.
    /// - The payload is read through properties that are `nil` for the other kinds: ``field``,
    ///   ``reason``, ``retryAfter``, ``snippet``, ``failure``, ``estimate``, ``remaining``, ``path``,
    ///   ``searchedPaths``, ``mediaFile``, ``expectedStream``, ``exitStatus``, ``outputTail``.
    /// - `==` compares the payload too: `kind == .rateLimited(retryAfter: .seconds(2))` is `false`
    ///   for a wait of 3 s, and a `case` with a whole value matches only that value.
    ///   `kind == .rateLimited` does not compile; write `kind.case == .rateLimited`.
    public struct Kind: Hashable, Sendable {
        /// The kinds there are today, with their payloads. Internal, so that adding one is not a
        /// source break for anyone outside the module.
        enum Storage: Hashable, Sendable {
            case invalidRequest(field: String?, reason: String)
            case authentication
            case insufficientCredits
            case rateLimited(retryAfter: Duration?)
            case notFound
            case conflict
            case server
            case network
            case timeout
            case decoding(snippet: String)
            case taskFailed(TaskFailure)
            case canceled
            case budgetExceeded(estimate: Money?, remaining: Money)
            case outcomeUnknown
            case invalidSignature
            case unsupported
            case file(path: String)
            case needsFFmpeg(reason: String, searched: [String])
            case cannotRemux(reason: String)
            case unreadableMedia(URL, reason: String)
            case missingStream(URL, expected: String)
            case ffmpegFailed(status: Int32, outputTail: String)
        }

        let storage: Storage

        private init(_ storage: Storage) {
            self.storage = storage
        }

        // MARK: - Requests and providers

        /// The request was refused as invalid, before sending (local validation) or by the provider.
        /// `field` names the input at fault when known.
        public static func invalidRequest(field: String?, reason: String) -> Kind {
            Kind(.invalidRequest(field: field, reason: reason))
        }
        /// The API key is missing, wrong, or lacks permission.
        public static let authentication = Kind(.authentication)
        /// The account has no credits or payment method for this request.
        public static let insufficientCredits = Kind(.insufficientCredits)
        /// Too many requests; `retryAfter` is how long the provider asked to wait.
        public static func rateLimited(retryAfter: Duration?) -> Kind { Kind(.rateLimited(retryAfter: retryAfter)) }
        /// The task, model or file does not exist (or has expired).
        public static let notFound = Kind(.notFound)
        /// The request conflicts with an earlier one (an idempotency key reused with another body).
        public static let conflict = Kind(.conflict)
        /// The provider failed (5xx) and retries did not help.
        public static let server = Kind(.server)
        /// The connection failed or broke.
        public static let network = Kind(.network)
        /// No answer in time: one request's timeout, or a polling deadline.
        public static let timeout = Kind(.timeout)
        /// The answer could not be decoded; `snippet` is the start of the body, credentials removed.
        public static func decoding(snippet: String) -> Kind { Kind(.decoding(snippet: snippet)) }
        /// The task ran and failed at the provider.
        public static func taskFailed(_ failure: TaskFailure) -> Kind { Kind(.taskFailed(failure)) }
        /// The task was canceled at the provider.
        public static let canceled = Kind(.canceled)
        /// The request would exceed the client's budget; nothing was sent.
        public static func budgetExceeded(estimate: Money?, remaining: Money) -> Kind {
            Kind(.budgetExceeded(estimate: estimate, remaining: remaining))
        }
        /// A request that creates a paid task may or may not have reached the provider, and retrying
        /// could charge twice. Look the task up (``MediaGenError/taskID``, ``MediaGenError/requestID``)
        /// or resend with the same ``MediaGenError/idempotencyKey`` where the provider supports one.
        public static let outcomeUnknown = Kind(.outcomeUnknown)
        /// A webhook delivery failed signature or timestamp verification.
        public static let invalidSignature = Kind(.invalidSignature)
        /// The operation is not available: the provider documents none (BeatAPI has no cancel
        /// endpoint), or this platform cannot perform it.
        public static let unsupported = Kind(.unsupported)
        /// A file on this machine could not be read or written — a download's destination not
        /// writable or its disk full, an upload's source missing, a merge's output not writable.
        /// Nothing the provider did, and nothing a retry would fix: it is never retried.
        public static func file(path: String) -> Kind { Kind(.file(path: path)) }

        // MARK: - Media on this machine (MediaGenPipeline)

        /// ffmpeg (or ffprobe) is not installed where the SDK looked, and this needs it: `reason`
        /// says why (and, for a merge, the command to run once it is), `searched` where it looked.
        public static func needsFFmpeg(reason: String, searched: [String]) -> Kind {
            Kind(.needsFFmpeg(reason: reason, searched: searched))
        }
        /// The native merger was chosen (`MergeOptions(merger: .native)`) but cannot do this merge:
        /// `reason` says what it would take (a codec, a filter…).
        public static func cannotRemux(reason: String) -> Kind { Kind(.cannotRemux(reason: reason)) }
        /// An input could not be read as media; `reason` is ffprobe's or the native reader's.
        public static func unreadableMedia(_ file: URL, reason: String) -> Kind {
            Kind(.unreadableMedia(file, reason: reason))
        }
        /// An input lacks the stream a merge needs (a "video" without a video stream…).
        public static func missingStream(_ file: URL, expected: String) -> Kind {
            Kind(.missingStream(file, expected: expected))
        }
        /// ffmpeg ran and failed; `outputTail` is the end of what it printed.
        public static func ffmpegFailed(status: Int32, outputTail: String) -> Kind {
            Kind(.ffmpegFailed(status: status, outputTail: outputTail))
        }
    }
}

// MARK: - Payloads

extension MediaGenError.Kind {
    /// The input at fault of an ``invalidRequest(field:reason:)``, when known; `nil` otherwise.
    public var field: String? {
        if case .invalidRequest(let field, _) = storage { field } else { nil }
    }

    /// Why: the reason of an ``invalidRequest(field:reason:)``, ``needsFFmpeg(reason:searched:)``,
    /// ``cannotRemux(reason:)`` or ``unreadableMedia(_:reason:)``; `nil` for the other kinds.
    public var reason: String? {
        switch storage {
        case .invalidRequest(_, let reason), .needsFFmpeg(let reason, _), .cannotRemux(let reason),
            .unreadableMedia(_, let reason):
            reason
        default: nil
        }
    }

    /// How long a ``rateLimited(retryAfter:)`` provider asked to wait, when it said; `nil` otherwise.
    public var retryAfter: Duration? {
        if case .rateLimited(let retryAfter) = storage { retryAfter } else { nil }
    }

    /// The start of the body a ``decoding(snippet:)`` error could not read; `nil` for the other kinds.
    public var snippet: String? {
        if case .decoding(let snippet) = storage { snippet } else { nil }
    }

    /// Why a ``taskFailed(_:)`` task failed, as the provider said; `nil` for the other kinds.
    public var failure: TaskFailure? {
        if case .taskFailed(let failure) = storage { failure } else { nil }
    }

    /// What a ``budgetExceeded(estimate:remaining:)`` request was estimated to cost, when known.
    public var estimate: Money? {
        if case .budgetExceeded(let estimate, _) = storage { estimate } else { nil }
    }

    /// What was left of the budget that refused a ``budgetExceeded(estimate:remaining:)`` request.
    public var remaining: Money? {
        if case .budgetExceeded(_, let remaining) = storage { remaining } else { nil }
    }

    /// The local file a ``file(path:)`` error could not read or write; `nil` for the other kinds.
    public var path: String? {
        if case .file(let path) = storage { path } else { nil }
    }

    /// Where ffmpeg was looked for, for ``needsFFmpeg(reason:searched:)``; `nil` for the other kinds.
    public var searchedPaths: [String]? {
        if case .needsFFmpeg(_, let searched) = storage { searched } else { nil }
    }

    /// The input of an ``unreadableMedia(_:reason:)`` or ``missingStream(_:expected:)``; `nil` otherwise.
    public var mediaFile: URL? {
        switch storage {
        case .unreadableMedia(let file, _), .missingStream(let file, _): file
        default: nil
        }
    }

    /// The stream (`"video"`, `"audio"`) a ``missingStream(_:expected:)`` input lacks; `nil` otherwise.
    public var expectedStream: String? {
        if case .missingStream(_, let expected) = storage { expected } else { nil }
    }

    /// The exit status of ffmpeg for ``ffmpegFailed(status:outputTail:)``; `nil` for the other kinds.
    public var exitStatus: Int32? {
        if case .ffmpegFailed(let status, _) = storage { status } else { nil }
    }

    /// The end of what ffmpeg printed for ``ffmpegFailed(status:outputTail:)``; `nil` otherwise.
    public var outputTail: String? {
        if case .ffmpegFailed(_, let tail) = storage { tail } else { nil }
    }
}

// MARK: - Matching

extension MediaGenError.Kind {
    /// A kind's name without its payload: what a bare name in a `case` matches.
    ///
    /// ```swift
    /// var failures: [MediaGenError.Kind.Case: Int] = [:]
    /// for kind: MediaGenError.Kind in [.rateLimited(retryAfter: nil), .rateLimited(retryAfter: .seconds(2))] {
    ///     failures[kind.case, default: 0] += 1
    /// }
    /// print(failures[.rateLimited] ?? 0)   // 2
    /// ```
    ///
    /// In `switch error.kind { case .taskFailed: … }`, `.taskFailed` is this type's ``taskFailed``
    /// and matches every failed task, whatever its ``MediaGenError/Kind/failure``.
    public struct Case: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// Any ``MediaGenError/Kind/invalidRequest(field:reason:)``.
        public static let invalidRequest = Case("invalidRequest")
        /// ``MediaGenError/Kind/authentication``.
        public static let authentication = Case("authentication")
        /// ``MediaGenError/Kind/insufficientCredits``.
        public static let insufficientCredits = Case("insufficientCredits")
        /// Any ``MediaGenError/Kind/rateLimited(retryAfter:)``.
        public static let rateLimited = Case("rateLimited")
        /// ``MediaGenError/Kind/notFound``.
        public static let notFound = Case("notFound")
        /// ``MediaGenError/Kind/conflict``.
        public static let conflict = Case("conflict")
        /// ``MediaGenError/Kind/server``.
        public static let server = Case("server")
        /// ``MediaGenError/Kind/network``.
        public static let network = Case("network")
        /// ``MediaGenError/Kind/timeout``.
        public static let timeout = Case("timeout")
        /// Any ``MediaGenError/Kind/decoding(snippet:)``.
        public static let decoding = Case("decoding")
        /// Any ``MediaGenError/Kind/taskFailed(_:)``.
        public static let taskFailed = Case("taskFailed")
        /// ``MediaGenError/Kind/canceled``.
        public static let canceled = Case("canceled")
        /// Any ``MediaGenError/Kind/budgetExceeded(estimate:remaining:)``.
        public static let budgetExceeded = Case("budgetExceeded")
        /// ``MediaGenError/Kind/outcomeUnknown``.
        public static let outcomeUnknown = Case("outcomeUnknown")
        /// ``MediaGenError/Kind/invalidSignature``.
        public static let invalidSignature = Case("invalidSignature")
        /// ``MediaGenError/Kind/unsupported``.
        public static let unsupported = Case("unsupported")
        /// Any ``MediaGenError/Kind/file(path:)``.
        public static let file = Case("file")
        /// Any ``MediaGenError/Kind/needsFFmpeg(reason:searched:)``.
        public static let needsFFmpeg = Case("needsFFmpeg")
        /// Any ``MediaGenError/Kind/cannotRemux(reason:)``.
        public static let cannotRemux = Case("cannotRemux")
        /// Any ``MediaGenError/Kind/unreadableMedia(_:reason:)``.
        public static let unreadableMedia = Case("unreadableMedia")
        /// Any ``MediaGenError/Kind/missingStream(_:expected:)``.
        public static let missingStream = Case("missingStream")
        /// Any ``MediaGenError/Kind/ffmpegFailed(status:outputTail:)``.
        public static let ffmpegFailed = Case("ffmpegFailed")

        /// The name, as spelled in Swift: `rateLimited`, `taskFailed`.
        public var description: String { name }
    }

    /// The kind's name without its payload.
    ///
    /// ```swift
    /// let kind = MediaGenError.Kind.rateLimited(retryAfter: .seconds(2))
    /// print(kind.case == .rateLimited)   // true, whatever the wait
    /// ```
    public var `case`: Case {
        switch storage {
        case .invalidRequest: .invalidRequest
        case .authentication: .authentication
        case .insufficientCredits: .insufficientCredits
        case .rateLimited: .rateLimited
        case .notFound: .notFound
        case .conflict: .conflict
        case .server: .server
        case .network: .network
        case .timeout: .timeout
        case .decoding: .decoding
        case .taskFailed: .taskFailed
        case .canceled: .canceled
        case .budgetExceeded: .budgetExceeded
        case .outcomeUnknown: .outcomeUnknown
        case .invalidSignature: .invalidSignature
        case .unsupported: .unsupported
        case .file: .file
        case .needsFFmpeg: .needsFFmpeg
        case .cannotRemux: .cannotRemux
        case .unreadableMedia: .unreadableMedia
        case .missingStream: .missingStream
        case .ffmpegFailed: .ffmpegFailed
        }
    }

    /// Matches a kind by its name, whatever its payload: what makes `case .rateLimited:` match
    /// `.rateLimited(retryAfter: .seconds(2))`.
    ///
    /// ```swift
    /// let kind = MediaGenError.Kind.taskFailed(TaskFailure(message: "no GPU"))
    /// if case .taskFailed = kind { print("failed:", kind.failure?.message ?? "") }
    /// ```
    public static func ~= (pattern: Case, kind: MediaGenError.Kind) -> Bool {
        pattern == kind.case
    }
}

extension MediaGenError.Kind.Case {
    /// Matches an optional kind by its name, as an enum's case would: `nil` matches no name.
    ///
    /// ```swift
    /// let error: MediaGenError? = MediaGenError(.rateLimited(retryAfter: nil), message: "slow down")
    /// if case .rateLimited = error?.kind { print("rate limited") }
    /// ```
    public static func ~= (pattern: Self, kind: MediaGenError.Kind?) -> Bool {
        kind.map { pattern == $0.case } ?? false
    }
}

extension MediaGenError.Kind: CustomStringConvertible {
    /// The kind as you would write it: `.rateLimited(retryAfter: 2.0 seconds)`, `.notFound`.
    public var description: String {
        switch storage {
        case .invalidRequest(let field, let reason):
            ".invalidRequest(field: \(field.map { String(reflecting: $0) } ?? "nil"), reason: \(String(reflecting: reason)))"
        case .rateLimited(let retryAfter): ".rateLimited(retryAfter: \(retryAfter.map { "\($0)" } ?? "nil"))"
        case .decoding(let snippet): ".decoding(snippet: \(String(reflecting: snippet)))"
        case .taskFailed(let failure): ".taskFailed(\(String(reflecting: failure.description)))"
        case .budgetExceeded(let estimate, let remaining):
            ".budgetExceeded(estimate: \(estimate.map { "\($0)" } ?? "nil"), remaining: \(remaining))"
        case .file(let path): ".file(path: \(String(reflecting: path)))"
        case .needsFFmpeg(let reason, let searched):
            ".needsFFmpeg(reason: \(String(reflecting: reason)), searched: \(searched))"
        case .cannotRemux(let reason): ".cannotRemux(reason: \(String(reflecting: reason)))"
        case .unreadableMedia(let file, let reason):
            ".unreadableMedia(\(String(reflecting: file.path)), reason: \(String(reflecting: reason)))"
        case .missingStream(let file, let expected):
            ".missingStream(\(String(reflecting: file.path)), expected: \(String(reflecting: expected)))"
        case .ffmpegFailed(let status, let tail):
            ".ffmpegFailed(status: \(status), outputTail: \(String(reflecting: tail)))"
        case .authentication, .insufficientCredits, .notFound, .conflict, .server, .network, .timeout, .canceled,
            .outcomeUnknown, .invalidSignature, .unsupported:
            ".\(self.case)"
        }
    }
}
