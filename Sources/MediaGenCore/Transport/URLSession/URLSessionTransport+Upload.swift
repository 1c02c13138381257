import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// Uploads with a progress handler. Without one, an upload is a `send`: on Apple platforms a
// completion-handler upload task streaming the file from disk; on Linux the same body stream as
// below, with no one to tell (see `send`).
//
// Foundation tells only a delegate how many bytes an upload task sent. On Apple platforms the
// transport runs such uploads on the stream session, whose delegate (`StreamedAnswers`) passes each
// `didSendBodyData` on. On Linux that path queues a delegate callback for every small piece sent,
// which took 35–45 % of the throughput (figure 9), so there the body is an `UploadBodyStream` that
// counts what URLSession reads from it, sent by a completion-handler task like any `send`.
extension URLSessionTransport {
    /// Sends `request` and reports the bytes of its body sent so far to `progress`, then returns
    /// the (small) answer. A file body streams from disk, as `send`'s does.
    ///
    /// On Linux the count is of the bytes URLSession has read from the body to send (reported at
    /// most every 1 % or every MiB, and always at the end); on Apple platforms it is URLSession's
    /// `didSendBodyData`. Each call reads the body afresh, so an attempt the executor repeats
    /// reports from 0 again.
    public func upload(
        _ request: HTTPRequest,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        guard let progress, let body = request.body else { return try await send(request) }
        #if canImport(FoundationNetworking)
            let deadline = request.timeout.map { (instant: ContinuousClock.now.advanced(by: $0), timeout: $0) }
            return try await send(request, counting: body, progress: progress, deadline: deadline)
        #else
            let answer = try await open(request, progress: progress)
            var received = Data()
            do {
                for try await piece in answer.body { received.append(piece) }
            } catch {
                throw Self.transportError(from: error)
            }
            return HTTPResponse(status: answer.status, headers: answer.headers, body: received)
        #endif
    }

    #if canImport(FoundationNetworking)
        /// Sends `request` with `body` read through an ``UploadBodyStream``, a new one for this
        /// attempt, by a completion-handler task on the ordinary session, until `deadline`.
        func send(
            _ request: HTTPRequest,
            counting body: HTTPBody,
            progress: @escaping @Sendable (TransferProgress) -> Void,
            deadline: (instant: ContinuousClock.Instant, timeout: Duration)?
        ) async throws -> HTTPResponse {
            let failure = Locked<TransportError?>(nil)
            let stream = try UploadBodyStream(body, failure: failure, progress: progress)
            var urlRequest = Self.urlRequest(for: request)
            Self.attach(stream, to: &urlRequest)
            let box = ContinuationBox()
            let task = session.dataTask(with: urlRequest, completionHandler: Self.completion(into: box))
            task.delegate = UploadBodyStream.Renewal(body: body, failure: failure, progress: progress)
            do {
                return try await exchange(task, deadline: deadline, box: box)
            } catch {
                // libcurl reports a failed read as an abort: say what the stream saw instead.
                throw failure.current ?? error
            }
        }

        /// Makes `stream` the body of `urlRequest`, sent with a `Content-Length` rather than chunked.
        ///
        /// FoundationNetworking does not know a body stream's length, so libcurl chunks it, and adds
        /// `Transfer-Encoding: chunked` even beside a `Content-Length` the request carries (a
        /// request servers may refuse). A `Transfer-Encoding` of blanks reaches libcurl as a header
        /// that names the coding but is never sent: libcurl then neither chunks nor sends the field,
        /// and the body goes as `Content-Length` says (seen on the wire with libcurl 7.88).
        static func attach(_ stream: UploadBodyStream, to urlRequest: inout URLRequest) {
            urlRequest.httpBodyStream = stream
            urlRequest.setValue(String(stream.length), forHTTPHeaderField: "Content-Length")
            urlRequest.setValue(" ", forHTTPHeaderField: "Transfer-Encoding")
        }
    #endif
}
