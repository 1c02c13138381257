import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// Sending a request and reading its whole answer.
extension URLSessionTransport {
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        // The timeout is the whole call's, the wait for a connection included: its instant is set
        // before the request queues.
        let deadline = request.timeout.map { (instant: ContinuousClock.now.advanced(by: $0), timeout: $0) }
        guard let admission else { return try await exchange(request, deadline: deadline) }
        // Only `send` queues here: its exchanges are short, so a slot frees soon. Uploads with
        // progress on Linux share this session's connections but are few and long; queued behind
        // a burst of polls they would wait for all of them, and they are not counted (while they
        // run, up to that many admitted sends wait inside URLSession, as before). Streams and
        // downloads run on sessions of their own, with connections of their own.
        let host = HostAdmission.key(for: request.url)
        try await admission.enter(host, deadline: deadline)
        defer { admission.leave(host) }
        return try await exchange(request, deadline: deadline)
    }

    /// Hands `request` to URLSession and waits for its whole answer, or until `deadline`.
    private func exchange(
        _ request: HTTPRequest,
        deadline: (instant: ContinuousClock.Instant, timeout: Duration)?
    ) async throws -> HTTPResponse {
        #if canImport(FoundationNetworking)
            // A file goes as a body stream, as an upload with progress does: FoundationNetworking
            // cannot rewind an upload task's file when libcurl sends the request again on a new
            // connection (a kept-alive one closed before answering), so that resend went out with
            // no body and waited for the timeout; and the stream is faster (figure 9).
            if case .file = request.body, let body = request.body {
                return try await send(request, counting: body, progress: { _ in }, deadline: deadline)
            }
        #endif
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
        return try await exchange(task, deadline: deadline, box: box)
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

    /// Runs `task`, made with ``completion(into:)``, until `deadline`, and returns its answer.
    func exchange(
        _ task: URLSessionTask,
        deadline: (instant: ContinuousClock.Instant, timeout: Duration)?,
        box: ContinuationBox
    ) async throws -> HTTPResponse {
        let watch = deadline.map { Self.armDeadline(at: $0.instant, timeout: $0.timeout, for: task, box: box) }
        defer { watch.map(Watchdog.shared.disarm) }
        do {
            return try await Self.run(task, box: box)
        } catch {
            throw Self.transportError(from: error)
        }
    }
}
