import Foundation
import MediaGenCore

// Following a request over fal's status stream rather than by polling.
extension FalClient {
    /// fal's status stream for the request (`GET …/requests/{id}/status/stream?logs=1`, server-sent
    /// events, one status per event), which `updates(of:)` and `wait(for:)` read before polling
    /// when `ClientConfiguration.statusStreaming` is on (the default).
    ///
    /// ```swift
    /// let request = try await fal.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "lofi"))
    /// for try await update in fal.updates(of: request) {   // one open request, not a poll a second
    ///     print(update.rawStatus, update.logs.last?.message ?? "")
    /// }
    /// ```
    ///
    /// Each event carries the log lines since the one before (fal's clients collect them), so the
    /// requests read from it hold every line so far, as a poll's do. When the request completes
    /// successfully its output is fetched, as ``task(_:)`` does. Anything wrong with the stream —
    /// it cannot be opened, an event is not a status, it breaks or ends early — hands the request
    /// over to polling.
    public func statusStream(for handle: TaskHandle) -> TaskStatusStream<FalRequest>? {
        guard let address = try? FalRequestAddress(handle, queueURL: queueURL) else { return nil }
        let request = APIRequest(
            .get, .url(address.statusURL.appendingPathComponent("stream")), query: [("logs", "1")],
            taskID: address.requestID)
        let logs = Locked<[TaskLog]>([])
        return TaskStatusStream(
            open: { [queue] in try await queue.events(request) },
            element: { event in
                var update = FalRequest(
                    answer: try JSONReader().decode(JSONValue.self, from: Data(event.data.utf8)), handle: address)
                update.logs = logs.withLock { seen in
                    seen += update.logs
                    return seen
                }
                if update.status == .succeeded {
                    update.output = try await result(of: update.handle).data
                }
                return update
            }
        )
    }
}
