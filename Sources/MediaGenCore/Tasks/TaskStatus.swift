/// Where a task stands, the same for every provider.
///
/// ```swift
/// for try await task in client.updates(of: handle) {
///     switch task.status {
///     case .queued(let position): print("queued", position.map { "#\($0)" } ?? "")
///     case .running(let progress): print("running", progress.map { "\(Int($0 * 100)) %" } ?? "")
///     case .succeeded: print("done:", task.outputs.map(\.url))
///     case .failed(let failure): print("failed:", failure.message)
///     case .canceled: print("canceled")
///     case .awaitingAction(let reason): print("needs you:", reason)
///     }
/// }
/// ```
///
/// Each provider maps its own status strings here and keeps the original as
/// ``MediaTask/rawStatus``. A status string no document lists decodes as `.running(progress: nil)`
/// rather than failing, so a provider adding a state never breaks a running app.
public enum TaskStatus: Hashable, Sendable, Codable {
    /// Waiting to start; `position` is the place in the provider's queue when it says.
    case queued(position: Int?)
    /// Working; `progress` is the completed fraction in 0...1 when the provider reports it.
    case running(progress: Double?)
    /// Finished with outputs.
    case succeeded
    /// Finished without outputs.
    case failed(TaskFailure)
    /// Canceled before finishing.
    case canceled
    /// Stopped, waiting for the user to act (BeatAPI's `storyboard_ready` and `requires_action`).
    case awaitingAction(String)

    /// `true` when the task will not change again without the user: polling stops here.
    public var isTerminal: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .canceled, .awaitingAction: true
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
