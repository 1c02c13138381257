import Foundation

/// Everything needed to find a task again: persist it, restart the app, resume following it.
///
/// ```swift
/// let handle = prediction.handle
/// let saved = try JSONEncoder().encode(handle)
/// // … after a restart …
/// let restored = try JSONDecoder().decode(TaskHandle.self, from: saved)
/// let finished = try await client.wait(for: restored)
/// ```
///
/// Some providers need more than an id to poll (fal addresses a request through its app and the
/// URLs it returned), so handles carry those too.
public struct TaskHandle: Hashable, Sendable, Codable, CustomStringConvertible {
    public var provider: Provider
    public var id: String
    /// The model or app the task runs, when known (it sets the default polling pace).
    public var model: String?
    /// Where to poll the task's status, when the provider returned a URL for it.
    public var statusURL: URL?
    /// Where to fetch the task's result, when separate from its status.
    public var resultURL: URL?
    /// Where to cancel the task, when the provider returned a URL for it.
    public var cancelURL: URL?

    public init(
        provider: Provider,
        id: String,
        model: String? = nil,
        statusURL: URL? = nil,
        resultURL: URL? = nil,
        cancelURL: URL? = nil
    ) {
        self.provider = provider
        self.id = id
        self.model = model
        self.statusURL = statusURL
        self.resultURL = resultURL
        self.cancelURL = cancelURL
    }

    public var description: String {
        "\(provider.rawValue) task \(id)" + (model.map { " (\($0))" } ?? "")
    }
}

/// A provider's task value, as every provider exposes it: Skytells' prediction, fal's queue
/// request, BeatAPI's task, Beatra's task.
///
/// Generic code (polling, the pipeline, progress displays) reads tasks through this protocol;
/// each provider's type adds its own fields.
public protocol MediaTask: Sendable {
    /// How to find this task again.
    var handle: TaskHandle { get }
    /// The status mapped to the shared vocabulary.
    var status: TaskStatus { get }
    /// The provider's own status string, as received.
    var rawStatus: String { get }
    /// Log lines so far, oldest first (empty when the provider sends none).
    var logs: [TaskLog] { get }
    /// The files the task produced (empty until it succeeds).
    var outputs: [RemoteFile] { get }
}

extension MediaTask {
    public var logs: [TaskLog] { [] }
    public var id: String { handle.id }
}
