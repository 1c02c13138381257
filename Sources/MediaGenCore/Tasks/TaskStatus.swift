/// Where a task stands, the same for every provider.
///
/// ```swift
/// for try await task in client.updates(of: handle) {
///     let status = task.status
///     switch status {
///     case .queued: print("queued", status.queuePosition.map { "#\($0)" } ?? "")
///     case .running: print("running", status.progress.map { "\(Int($0 * 100)) %" } ?? "")
///     case .succeeded: print("done:", task.outputs.map(\.url))
///     case .failed: print("failed:", status.failure?.message ?? "")
///     case .awaitingAction: print("needs you:", status.actionReason ?? "")
///     default: print(status)  // .canceled, and any status a later version adds
///     }
/// }
/// ```
///
/// Each provider maps its own status strings here and keeps the original as
/// ``MediaTask/rawStatus``. A status string no document lists decodes as `.running(progress: nil)`
/// rather than failing, so a provider adding a state never breaks a running app.
///
/// ## Matching a status
///
/// `TaskStatus` is a struct, not an enum, so that a status can be added in a minor release without
/// breaking your `switch`: a `switch` over a status needs a `default`.
///
/// - A `case` with a bare name matches that status **whatever its payload**: `case .queued:`
///   matches `.queued(position: 3)` and `.queued(position: nil)`. The bare names are
///   ``TaskStatus/Case`` values, the same one ``TaskStatus/case`` returns.
/// - The payload is read through properties that are `nil` for the other statuses:
///   ``queuePosition``, ``progress``, ``failure``, ``actionReason``.
/// - `==` compares the payload too: `status == .queued(position: 3)` is `false` for
///   `.queued(position: 4)`, and a `case` with a whole value (`case .running(progress: 1):`) matches
///   only that value. `status == .queued` does not compile; write `status.case == .queued`.
///
/// It encodes as it did when it was an enum — `{"queued":{"position":3}}`, `{"succeeded":{}}`,
/// `{"failed":{"_0":{"message":"no GPU"}}}` — so statuses saved by an earlier version still decode.
public struct TaskStatus: Hashable, Sendable {
    /// The statuses there are today, with their payloads. Internal so that adding one is not a
    /// source break; also the `Codable` form, which is why its cases keep their original labels.
    private enum Storage: Hashable, Sendable, Codable {
        case queued(position: Int?)
        case running(progress: Double?)
        case succeeded
        case failed(TaskFailure)
        case canceled
        case awaitingAction(String)
    }

    private let storage: Storage

    private init(_ storage: Storage) {
        self.storage = storage
    }

    /// Waiting to start; `position` is the place in the provider's queue when it says.
    public static func queued(position: Int?) -> TaskStatus { TaskStatus(.queued(position: position)) }
    /// Working; `progress` is the completed fraction in 0...1 when the provider reports it.
    public static func running(progress: Double?) -> TaskStatus { TaskStatus(.running(progress: progress)) }
    /// Finished with outputs.
    public static let succeeded = TaskStatus(.succeeded)
    /// Finished without outputs.
    public static func failed(_ failure: TaskFailure) -> TaskStatus { TaskStatus(.failed(failure)) }
    /// Canceled before finishing.
    public static let canceled = TaskStatus(.canceled)
    /// Stopped, waiting for the user to act (BeatAPI's `storyboard_ready` and `requires_action`);
    /// `reason` says what is awaited.
    public static func awaitingAction(_ reason: String) -> TaskStatus { TaskStatus(.awaitingAction(reason)) }

    /// The place in the provider's queue of a queued task, when the provider says; `nil` otherwise.
    public var queuePosition: Int? {
        if case .queued(let position) = storage { position } else { nil }
    }

    /// The completed fraction (0...1) of a running task, when the provider reports it; `nil` otherwise.
    public var progress: Double? {
        if case .running(let progress) = storage { progress } else { nil }
    }

    /// Why a failed task failed; `nil` for every other status.
    public var failure: TaskFailure? {
        if case .failed(let failure) = storage { failure } else { nil }
    }

    /// What a task awaiting action waits for (BeatAPI's `storyboard_ready`…); `nil` otherwise.
    public var actionReason: String? {
        if case .awaitingAction(let reason) = storage { reason } else { nil }
    }

    /// `true` when the task will not change again without the user: polling stops here.
    public var isTerminal: Bool {
        switch storage {
        case .queued, .running: false
        case .succeeded, .failed, .canceled, .awaitingAction: true
        }
    }
}

extension TaskStatus {
    /// A status's name without its payload: what a bare name in a `case` matches.
    ///
    /// ```swift
    /// var seen: [TaskStatus.Case: Int] = [:]
    /// for status: TaskStatus in [.queued(position: 2), .queued(position: 1), .running(progress: nil)] {
    ///     seen[status.case, default: 0] += 1
    /// }
    /// print(seen[.queued] ?? 0)                                   // 2
    /// print(TaskStatus.running(progress: 0.5).case == .running)  // true
    /// ```
    ///
    /// In `switch status { case .failed: … }`, `.failed` is this type's ``failed`` and matches every
    /// failed status, whatever its ``TaskStatus/failure``.
    public struct Case: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// Any ``TaskStatus/queued(position:)``.
        public static let queued = Case("queued")
        /// Any ``TaskStatus/running(progress:)``.
        public static let running = Case("running")
        /// ``TaskStatus/succeeded``.
        public static let succeeded = Case("succeeded")
        /// Any ``TaskStatus/failed(_:)``.
        public static let failed = Case("failed")
        /// ``TaskStatus/canceled``.
        public static let canceled = Case("canceled")
        /// Any ``TaskStatus/awaitingAction(_:)``.
        public static let awaitingAction = Case("awaitingAction")

        /// The name, as spelled in Swift: `queued`, `awaitingAction`.
        public var description: String { name }
    }

    /// The status's name without its payload.
    ///
    /// ```swift
    /// let status = TaskStatus.queued(position: 3)
    /// print(status.case == .queued)   // true, whatever the position
    /// ```
    public var `case`: Case {
        switch storage {
        case .queued: .queued
        case .running: .running
        case .succeeded: .succeeded
        case .failed: .failed
        case .canceled: .canceled
        case .awaitingAction: .awaitingAction
        }
    }

    /// Matches a status by its name, whatever its payload: what makes `case .queued:` match
    /// `.queued(position: 3)`.
    ///
    /// ```swift
    /// if case .failed = TaskStatus.failed(TaskFailure(message: "no GPU")) { print("failed") }
    /// ```
    public static func ~= (pattern: Case, status: TaskStatus) -> Bool {
        pattern == status.case
    }
}

extension TaskStatus.Case {
    /// Matches an optional status by its name, as an enum's case would: `nil` matches no name.
    ///
    /// ```swift
    /// let latest: TaskStatus? = .running(progress: 0.5)
    /// if case .running = latest { print("still running") }
    /// ```
    public static func ~= (pattern: Self, status: TaskStatus?) -> Bool {
        status.map { pattern == $0.case } ?? false
    }
}

extension TaskStatus: Codable {
    /// Decodes the form `TaskStatus` has always had, the one a Swift enum with these cases gets:
    /// `{"queued":{"position":3}}`, `{"failed":{"_0":{"message":"no GPU"}}}`.
    public init(from decoder: any Decoder) throws {
        storage = try Storage(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try storage.encode(to: encoder)
    }
}

extension TaskStatus: CustomStringConvertible {
    /// The status as you would write it: `.queued(position: 3)`, `.running(progress: nil)`, `.succeeded`.
    public var description: String {
        switch storage {
        case .queued(let position): ".queued(position: \(position.map(String.init) ?? "nil"))"
        case .running(let progress): ".running(progress: \(progress.map { "\($0)" } ?? "nil"))"
        case .succeeded: ".succeeded"
        case .failed(let failure): ".failed(\(String(reflecting: failure.description)))"
        case .canceled: ".canceled"
        case .awaitingAction(let reason): ".awaitingAction(\(String(reflecting: reason)))"
        }
    }
}

/// Why a task failed, as the provider reported it.
public struct TaskFailure: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The provider's error code, when it gave one.
    public var code: String?
    public var message: String
    /// Whether the provider says running the same task again may succeed, when it says.
    public var retryable: Bool?

    public init(code: String? = nil, message: String, retryable: Bool? = nil) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    public var description: String {
        code.map { "\($0): \(message)" } ?? message
    }
}

/// One line of a task's log, as the provider reported it.
public struct TaskLog: Hashable, Sendable, Codable {
    public var message: String
    /// The provider's timestamp text, kept as sent (formats differ between providers).
    public var timestamp: String?
    public var level: String?

    public init(message: String, timestamp: String? = nil, level: String? = nil) {
        self.message = message
        self.timestamp = timestamp
        self.level = level
    }
}
