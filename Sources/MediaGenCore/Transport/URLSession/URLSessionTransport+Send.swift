import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// Sending a request and reading its whole answer.
extension URLSessionTransport {
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = Self.urlRequest(for: request)
        let box = ContinuationBox()
        let task: URLSessionTask
        switch request.body {
        case .file(let file):
            task = session.uploadTask(with: urlRequest, fromFile: file, completionHandler: Self.completion(into: box))
        case .data(let body):
            urlRequest.httpBody = body
            task = session.dataTask(with: urlRequest, completionHandler: Self.completion(into: box))
        case nil:
            task = session.dataTask(with: urlRequest, completionHandler: Self.completion(into: box))
        }
        return try await exchange(task, timeout: request.timeout, box: box)
    }

    /// A completion handler that hands the task's outcome to `box`.
    ///
    /// Completion-handler tasks rather than `data(for:)`/`upload(for:)`: those cancel their
    /// URLSession task from inside the Swift task's cancellation, which deadlocks on Linux (see
    /// `run(_:box:)`); here the cancellation is ours to make safe.
    static func completion(into box: ContinuationBox) -> @Sendable (Data?, URLResponse?, (any Error)?) -> Void {
        { data, response, error in
            box.resume(
                with: Result {
                    if let error { throw error }
                    guard let http = response as? HTTPURLResponse else {
                        throw TransportError(.invalidResponse, "the answer was not an HTTP response")
                    }
                    return HTTPResponse(status: http.statusCode, headers: Self.headers(of: http), body: data ?? Data())
                })
        }
    }

    /// Runs `task`, made with ``completion(into:)``, under `timeout`, and returns its answer.
    func exchange(_ task: URLSessionTask, timeout: Duration?, box: ContinuationBox) async throws -> HTTPResponse {
        let deadline = Self.armDeadline(timeout, for: task, box: box)
        defer { deadline.map(Watchdog.shared.disarm) }
        do {
            return try await Self.run(task, box: box)
        } catch {
            throw Self.transportError(from: error)
        }
    }
}
