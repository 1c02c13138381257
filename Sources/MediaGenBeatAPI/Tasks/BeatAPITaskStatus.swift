import MediaGenCore

/// BeatAPI's `TaskStatus` schema: the status string of a task, as sent.
///
/// ```swift
/// let task = try await beatAPI.task(id: "task_8K2qA")
/// switch task.taskStatus {
/// case .storyboardReady, .requiresAction: print("BeatAPI is waiting for you")
/// case .succeeded: print(task.outputs.map(\.url))
/// default: print(task.rawStatus)
/// }
/// ```
///
/// `queued` comes first; `storyboard_ready`, `requires_action`, `succeeded` and `failed` are stop
/// states; `processing`, and `editing` and `composing` after a storyboard edit or compose, are in
/// progress (BeatAPI's published description lists these eight). Any other string decodes too and
/// counts as in progress.
public struct BeatAPITaskStatus: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Accepted, not started (the status of a task just created).
    public static let queued = BeatAPITaskStatus(rawValue: "queued")
    /// Working (BeatAPI's published in-flight status).
    public static let processing = BeatAPITaskStatus(rawValue: "processing")
    /// Stopped with a storyboard to review: a stop state.
    public static let storyboardReady = BeatAPITaskStatus(rawValue: "storyboard_ready")
    /// Stopped until you act: a stop state.
    public static let requiresAction = BeatAPITaskStatus(rawValue: "requires_action")
    /// Editing a storyboard shot (after ``BeatAPIClient/editShot(taskID:shotID:prompt:images:idempotencyKey:)``).
    public static let editing = BeatAPITaskStatus(rawValue: "editing")
    /// Composing selected shots into the final video (after ``BeatAPIClient/compose(taskID:shotIDs:idempotencyKey:)``).
    public static let composing = BeatAPITaskStatus(rawValue: "composing")
    /// Finished with output.
    public static let succeeded = BeatAPITaskStatus(rawValue: "succeeded")
    /// Finished without output; the task's `error_code` and `error_message` say why.
    public static let failed = BeatAPITaskStatus(rawValue: "failed")

    /// The documented states at which a task stops changing by itself.
    public static let stopStates: Set<BeatAPITaskStatus> = [.storyboardReady, .requiresAction, .succeeded, .failed]

    /// Whether polling stops here.
    public var isStopState: Bool { Self.stopStates.contains(self) }

    /// The shared status; `failure` is used for `failed`.
    func mapped(failure: TaskFailure) -> TaskStatus {
        switch rawValue.lowercased() {
        case "queued": .queued(position: nil)
        case "storyboard_ready", "requires_action": .awaitingAction(rawValue)
        case "succeeded": .succeeded
        case "failed": .failed(failure)
        // Not a documented BeatAPI status; read as what it says rather than polled until timeout.
        case "canceled", "cancelled": .canceled
        // processing, running, and whatever BeatAPI adds later.
        default: .running(progress: nil)
        }
    }
}
