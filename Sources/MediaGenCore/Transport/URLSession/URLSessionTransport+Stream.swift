import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// Answers handed over as they arrive: a task on the stream session, whose delegate resumes the
// caller at the answer's head and then passes each piece of the body on. Uploads with progress
// go the same way on Apple platforms, since there only a delegate hears how many bytes were sent
// (see `+Upload`).
extension URLSessionTransport {
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamedResponse {
        try await open(request, progress: nil)
    }

    /// Starts `request` on the stream session and returns once its answer's head is in. With
    /// `progress`, the delegate reports each `didSendBodyData` to it (uploads on Apple platforms).
    func open(
        _ request: HTTPRequest,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPStreamedResponse {
        var urlRequest = Self.urlRequest(for: request)
        let task: URLSessionTask
        switch request.body {
        case .file(let file):
            task = streamSession.uploadTask(with: urlRequest, fromFile: file)
        case .data(let body):
            urlRequest.httpBody = body
            task = streamSession.dataTask(with: urlRequest)
        case nil:
            task = streamSession.dataTask(with: urlRequest)
        }
        let (body, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let box = ContinuationBox()
        streams.register(StreamedAnswer(head: box, body: continuation, progress: progress), for: task.taskIdentifier)
        continuation.onTermination = { termination in
            // The reader stopped (or was cancelled) before the body ended: close the connection.
            // From another thread, as every cancel here (see `run(_:box:)`).
            if case .cancelled = termination { DispatchQueue.global().async { task.cancel() } }
        }
        // The request's timeout bounds the wait for the head; after it, URLSession's idle timeout
        // (`timeoutInterval`, the same value) bounds each silence of the body.
        let deadline = Self.armDeadline(request.timeout, for: task, box: box)
        defer { deadline.map(Watchdog.shared.disarm) }
        let head: HTTPResponse
        do {
            head = try await Self.run(task, box: box)
        } catch {
            continuation.finish(throwing: Self.transportError(from: error))
            throw Self.transportError(from: error)
        }
        return HTTPStreamedResponse(status: head.status, headers: head.headers, body: body)
    }
}

/// One streamed answer in flight: where its head and its body's pieces go.
struct StreamedAnswer: Sendable {
    let head: ContinuationBox
    let body: AsyncThrowingStream<Data, any Error>.Continuation
    /// Told the bytes sent so far, for an upload with progress on Apple platforms.
    let progress: (@Sendable (TransferProgress) -> Void)?
}

/// Routes the stream session's callbacks to the ``StreamedAnswer`` of each task.
final class StreamedAnswers: NSObject, URLSessionDataDelegate, Sendable {
    private let answers = TaskJobs<StreamedAnswer>()

    func register(_ answer: StreamedAnswer, for taskIdentifier: Int) {
        answers.register(answer, for: taskIdentifier)
    }

    /// Refused (``AuthenticationChallenges``): the SDK's credentials are headers.
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        AuthenticationChallenges.refuse(challenge, for: task, completionHandler: completionHandler)
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        if let answer = answers.job(for: dataTask) {
            if let http = response as? HTTPURLResponse {
                answer.head.resume(
                    with: .success(
                        HTTPResponse(
                            status: http.statusCode, headers: URLSessionTransport.headers(of: http), body: Data())))
            } else {
                answer.head.resume(
                    with: .failure(TransportError(.invalidResponse, "the answer was not an HTTP response")))
            }
        }
        completionHandler(.allow)
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(CredentialRedirects.follow(request, from: task.originalRequest))
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        didSendBodyData bytesSent: Int64,
        totalBytesSent: Int64,
        totalBytesExpectedToSend: Int64
    ) {
        guard let progress = answers.job(for: task)?.progress else { return }
        progress(
            TransferProgress(
                bytesTransferred: totalBytesSent,
                totalBytes: totalBytesExpectedToSend > 0 ? totalBytesExpectedToSend : nil))
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        answers.job(for: dataTask)?.body.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let answer = answers.remove(for: task) else { return }
        let failure = error.map(URLSessionTransport.transportError(from:))
        // No head yet: the call is still waiting for one and fails with the reason.
        answer.head.resume(
            with: .failure(failure ?? TransportError(.invalidResponse, "the answer ended before its head")))
        if let failure {
            answer.body.finish(throwing: failure)
        } else {
            answer.body.finish()
        }
    }
}
