import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// Streaming an answer's body into a file, never holding it in memory.
extension URLSessionTransport {
    public func download(
        _ request: HTTPRequest,
        to file: URL,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        var urlRequest = Self.urlRequest(for: request)
        if case .data(let body) = request.body { urlRequest.httpBody = body }
        let box = ContinuationBox()
        let task: URLSessionTask
        if let progress {
            // Foundation reports progress only to a delegate, and the platforms part here (see
            // `URLSessionTransport+Platform.swift`).
            task = progressDownloadTask(for: urlRequest, to: file, progress: progress, box: box)
        } else {
            // No delegate queue at all: Foundation writes the body to disk inside its network
            // callback, so a slow disk slows the transfer, and memory stays at its flattest.
            task = plainDownloadSession.downloadTask(with: urlRequest) { location, response, error in
                // Foundation may delete `location` after this returns: place the file now, unless
                // the caller has stopped waiting (cancelled, timed out) and may have cleaned up;
                // then the body is nobody's.
                let placement = box.whileWaiting { location.map { DownloadOutcome.place($0, at: file) } }
                if placement == nil, let location { try? FileManager.default.removeItem(at: location) }
                let placed = placement ?? nil
                box.resume(
                    with: Result {
                        try DownloadOutcome.response(file: file, placement: placed, response: response, error: error)
                    })
            }
        }
        let deadline = Self.armDeadline(request.timeout, for: task, box: box)
        defer { deadline.map(Watchdog.shared.disarm) }
        do {
            return try await Self.run(task, box: box)
        } catch {
            throw Self.transportError(from: error)
        }
    }
}
